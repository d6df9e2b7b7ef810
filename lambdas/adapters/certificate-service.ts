import { Buffer } from 'node:buffer';
import { pemEncode } from '../core/pki/asn1';
import { createCsr } from '../core/pki/csr';
import type { CertificateService, OfficialCertificates } from '../ports/pki';
import { invokeAuthority } from './authority-client';
import {
  officialCertificateStatus,
  officialCredential,
  officialSubject,
  revokeOfficial,
  revokeStaleOfficial,
  sealCredential,
  sealSubject,
} from './city-pki';

/*
 * The certificate port over the KMS-backed city PKI and the certificate authority function, in parts:
 * each function wires only what it uses, so its bundle (and its permissions) carry nothing more.
 */

/** Revocations after a change of position (the directory function). */
export const cityRevocations: Pick<CertificateService, 'revokeOfficial' | 'revokeStaleOfficial'> = {
  revokeOfficial,
  revokeStaleOfficial,
};

/** Officials' current certificates and their status (the directory function, for administrators). */
export const cityOfficialCertificates: OfficialCertificates = {
  officialCertificate: officialCertificateStatus,
};

/** CSRs signed by a holder's key (the signing function, which may read their public keys). */
export const cityCertificateRequests: Pick<CertificateService, 'certificateRequest'> = {
  async certificateRequest(holder, org, person, value) {
    if (holder.kind === 'official' && !person) throw new Error(`no person for ${holder.personId}`);
    const { credential, subject } =
      holder.kind === 'official' && person
        ? { credential: await officialCredential(person, org), subject: officialSubject(person, org) }
        : { credential: await sealCredential(org), subject: sealSubject(org) };
    const key = credential.signer;
    const csr = await createCsr(
      {
        keyId: key.keyId,
        algorithm: key.algorithm,
        publicKeySpki: () => key.publicKeySpki(),
        signDigest: value,
      },
      subject,
    );
    return { csrPem: pemEncode('CERTIFICATE REQUEST', csr), keyId: credential.signer.keyId };
  },
};

/** Imports of an external CA's certificate, through the authority (the pki function). */
export const cityCertificateImports: Pick<CertificateService, 'importCertificate'> = {
  async importCertificate(holder, certificatePem, by) {
    const answer = await invokeAuthority({ command: 'importCertificate', holder, certificatePem, by });
    return {
      keyId: answer.keyId ?? '',
      certificate: new Uint8Array(Buffer.from(answer.certificate ?? '', 'base64')),
    };
  },
};

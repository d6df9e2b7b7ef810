import { Buffer } from 'node:buffer';
import { pemEncode } from '../core/pki/asn1';
import { createCsr } from '../core/pki/csr';
import type { CertificateService } from '../ports/pki';
import { invokeAuthority } from './authority-client';
import {
  officialCredential,
  officialSubject,
  revokeOfficial,
  revokeStaleOfficial,
  sealCredential,
  sealSubject,
} from './city-pki';

/** The certificate port over the KMS-backed city PKI and the certificate authority function. */
export const cityCertificateService: CertificateService = {
  revokeOfficial,
  revokeStaleOfficial,
  async certificateRequest(holder, org, person) {
    const { credential, subject } =
      holder.kind === 'seal' || !person
        ? { credential: await sealCredential(org), subject: sealSubject(org) }
        : { credential: await officialCredential(person, org), subject: officialSubject(person, org) };
    const csr = await createCsr(credential.signer, subject);
    return { csrPem: pemEncode('CERTIFICATE REQUEST', csr), keyId: credential.signer.keyId };
  },
  async importCertificate(holder, certificatePem, by) {
    const answer = await invokeAuthority({ command: 'importCertificate', holder, certificatePem, by });
    return {
      keyId: answer.keyId ?? '',
      certificate: new Uint8Array(Buffer.from(answer.certificate ?? '', 'base64')),
    };
  },
};

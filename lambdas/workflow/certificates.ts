import { invokeAuthority } from '../adapters/authority-client';
import { findPerson, loadDirectory } from '../adapters/directory-store';
import { officialCredential, officialSubject, sealCredential, sealSubject } from '../adapters/pki-store';
import type { KeyHolder } from '../contracts/authority';
import { DomainError } from '../core/errors';
import { pemEncode } from '../core/pki/asn1';
import { parseCertificate } from '../core/pki/certificate';
import { createCsr } from '../core/pki/csr';
import { logger } from '../observability';
import { requireAdmin } from './people';

/*
 * Certificates from an external CA (e.g. the official-duty CA) for keys docflow holds in KMS: an
 * administrator exports a CSR signed by the key, has it certified elsewhere, and imports the result. The
 * key never leaves KMS; signing then uses the imported certificate until it expires or another replaces it.
 */

async function holderKey(holder: KeyHolder) {
  const directory = await loadDirectory();
  if (holder.kind === 'seal') {
    const org = directory.find(holder.orgId);
    if (!org)
      throw new DomainError('not_found', 404, {
        what: `cơ quan ${holder.orgId} / organisation ${holder.orgId}`,
      });
    return { credential: await sealCredential(org), subject: sealSubject(org) };
  }
  const person = await findPerson(holder.personId);
  const org = person && directory.find(person.position.orgId);
  if (!person || !org) {
    throw new DomainError('not_found', 404, {
      what: `người dùng ${holder.personId} / user ${holder.personId}`,
    });
  }
  return { credential: await officialCredential(person, org), subject: officialSubject(person, org) };
}

/** A CSR for the holder's key (created on first use), naming them as docflow's certificate does. */
export async function certificateRequest(adminId: string | undefined, holder: KeyHolder) {
  const by = (await requireAdmin(adminId)).id;
  const { credential, subject } = await holderKey(holder);
  const csr = await createCsr(credential.signer, subject);
  logger.info('certificate request exported', { holder, keyId: credential.signer.keyId, by });
  return { csr: pemEncode('CERTIFICATE REQUEST', csr), keyId: credential.signer.keyId };
}

/** Hands the certificate to the authority, which checks it certifies the key and chains to a trusted root. */
export async function importCertificate(
  adminId: string | undefined,
  holder: KeyHolder,
  certificatePem: string,
) {
  const by = (await requireAdmin(adminId)).id;
  const answer = await invokeAuthority({ command: 'importCertificate', holder, certificatePem, by });
  const info = parseCertificate(new Uint8Array(Buffer.from(answer.certificate ?? '', 'base64')));
  logger.info('certificate imported', { holder, serial: info.serial, by });
  return {
    keyId: answer.keyId ?? '',
    serial: info.serial,
    subject: info.subject.display,
    issuer: info.issuer.display,
  };
}

import type { Caller } from '../core/domain/caller';
import type { KeyHolder } from '../core/domain/key-holder';
import { DomainError } from '../core/errors';
import { messageText } from '../core/i18n/messages';
import { parseCertificate } from '../core/pki/certificate';
import { logger } from '../observability';
import type { DirectoryRepository } from '../ports/directory';
import type { CertificateService } from '../ports/pki';
import { requireAdmin } from './people';

/*
 * Certificates from an external CA (e.g. the official-duty CA) for keys docflow holds in KMS: an
 * administrator exports a CSR signed by the key, has it certified elsewhere, and imports the result. The
 * key never leaves KMS; signing then uses the imported certificate until it expires or another replaces it.
 */

export interface CertificatePorts {
  readonly directory: DirectoryRepository;
  readonly certificates: CertificateService;
}

/** A CSR for the holder's key (created on first use), naming them as docflow's certificate does. */
export async function certificateRequest(ports: CertificatePorts, caller: Caller, holder: KeyHolder) {
  const by = requireAdmin(caller).id;
  let answer: { csrPem: string; keyId: string };
  if (holder.kind === 'seal') {
    const org = caller.directory.find(holder.orgId);
    if (!org)
      throw new DomainError('not_found', 404, {
        what: messageText('what_organisation', { id: holder.orgId }),
      });
    answer = await ports.certificates.certificateRequest(holder, org);
  } else {
    const person = await ports.directory.findPerson(holder.personId);
    const org = person && caller.directory.find(person.position.orgId);
    if (!person || !org) {
      throw new DomainError('not_found', 404, {
        what: messageText('what_user', { id: holder.personId }),
      });
    }
    answer = await ports.certificates.certificateRequest(holder, org, person);
  }
  logger.info('certificate request exported', { holder, keyId: answer.keyId, by });
  return { csr: answer.csrPem, keyId: answer.keyId };
}

/** Hands the certificate to the authority, which checks it certifies the key and chains to a trusted root. */
export async function importCertificate(
  ports: CertificatePorts,
  caller: Caller,
  holder: KeyHolder,
  certificatePem: string,
) {
  const by = requireAdmin(caller).id;
  const answer = await ports.certificates.importCertificate(holder, certificatePem, by);
  const info = parseCertificate(answer.certificate);
  logger.info('certificate imported', { holder, serial: info.serial, by });
  return {
    keyId: answer.keyId,
    serial: info.serial,
    subject: info.subject.display,
    issuer: info.issuer.display,
  };
}

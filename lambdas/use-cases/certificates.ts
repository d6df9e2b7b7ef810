import type { Caller } from '../core/domain/caller';
import type { Organisation, Person } from '../core/domain/directory';
import type { KeyHolder } from '../core/domain/key-holder';
import { DomainError } from '../core/errors';
import { messageText } from '../core/i18n/messages';
import { parseCertificate } from '../core/pki/certificate';
import { assertMayAuthorize } from '../core/signing/authorization';
import { logger } from '../observability/logger';
import type { DirectoryRepository } from '../ports/directory';
import type { CertificateService } from '../ports/pki';
import type { SignatureValue } from '../ports/signing';
import {
  authorizedRequest,
  authorizedValue,
  digestOf,
  type PreparedSignaturePorts,
  preparedView,
  saveRequest,
} from './authorization/prepared';
import { requireAdmin } from './people';

/*
 * Certificates from an external CA (e.g. the official-duty CA) for keys docflow holds in KMS. A CSR is a
 * signature by the holder's key, so the holder makes it, with their own authorization like any signature
 * (the official for their key, a clerk for their organisation's seal); an administrator imports what the
 * external CA issued. The key never leaves KMS; signing then uses the imported certificate until it
 * expires or another replaces it.
 */

export interface CertificateRequestPorts extends PreparedSignaturePorts {
  readonly directory: Pick<DirectoryRepository, 'findPerson'>;
  readonly certificates: Pick<CertificateService, 'certificateRequest'>;
}

export interface CertificateImportPorts {
  readonly certificates: Pick<CertificateService, 'importCertificate'>;
}

async function holderOf(
  ports: CertificateRequestPorts,
  caller: Caller,
  holder: KeyHolder,
): Promise<{ org: Organisation; person?: Person }> {
  if (holder.kind === 'seal') {
    const org = caller.directory.find(holder.orgId);
    if (!org)
      throw new DomainError('not_found', 404, {
        what: messageText('what_organisation', { id: holder.orgId }),
      });
    assertMayAuthorize(caller.actor, holder, org.name);
    return { org };
  }
  assertMayAuthorize(caller.actor, holder);
  const person = await ports.directory.findPerson(holder.personId);
  const org = person && caller.directory.find(person.position.orgId);
  if (!person || !org)
    throw new DomainError('not_found', 404, {
      what: messageText('what_user', { id: holder.personId }),
    });
  return { org, person };
}

/**
 * A CSR for the holder's key, in two steps like every signature: without `requestId` it is prepared and
 * the holder must authorize it; with the id of the authorized request, it is made and returned.
 */
export async function certificateRequest(
  ports: CertificateRequestPorts,
  caller: Caller,
  holder: KeyHolder,
  requestId?: string,
) {
  const { org, person } = await holderOf(ports, caller, holder);
  const make = (value: SignatureValue) => ports.certificates.certificateRequest(holder, org, person, value);
  const documentId = `csr:${holder.kind === 'seal' ? `seal:${holder.orgId}` : `official:${holder.personId}`}`;
  if (!requestId) {
    const digest = await digestOf(make);
    const request = await saveRequest(ports, {
      documentId,
      step: 'csr',
      personId: caller.actor.id,
      holder,
      revisionSha256: digest,
      digest,
      signingTime: ports.now().toISOString(),
      display: { title: holder.kind === 'seal' ? org.name : (person?.name ?? holder.personId) },
    });
    return { prepared: preparedView(request) };
  }
  const request = await authorizedRequest(ports, caller, documentId, 'csr', requestId);
  const { csrPem, keyId } = await make(authorizedValue(ports, request));
  await ports.requests.markUsed(requestId, ports.now().toISOString());
  logger.info('certificate request exported', { holder, keyId, by: caller.actor.id });
  return { csr: csrPem, keyId };
}

/** Hands the certificate to the authority, which checks it certifies the key and chains to a trusted root. */
export async function importCertificate(
  ports: CertificateImportPorts,
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

import { randomUUID } from 'node:crypto';
import type { Caller } from '../core/domain/caller';
import type { Person, Position } from '../core/domain/directory';
import { checkSignatureImage, type SignatureImage } from '../core/domain/signature-image';
import { DomainError } from '../core/errors';
import { messageText } from '../core/i18n/messages';
import { sha256Hex } from '../core/io/hash';
import { canonicalize } from '../core/log/canonical-json';
import { logger } from '../observability/logger';
import type { DirectoryRepository } from '../ports/directory';
import type { SignatureImageFiles } from '../ports/files';
import type { CertificateService } from '../ports/pki';

/*
 * People: administrators move them between positions; each official keeps their own signature image.
 */

export interface PeoplePorts {
  readonly directory: DirectoryRepository;
  readonly certificates: Pick<CertificateService, 'revokeOfficial' | 'revokeStaleOfficial'>;
  readonly signatureImages: SignatureImageFiles;
  readonly now: () => Date;
}

/** The caller, if they are a system administrator; 403 otherwise. */
export function requireAdmin(caller: Caller): Person {
  if (caller.actor.position.role !== 'admin') {
    throw new DomainError('forbidden', 403, { reason: messageText('reason_administrators_only') });
  }
  return caller.actor;
}

const personNotFound = (personId: string) =>
  new DomainError('not_found', 404, { what: messageText('what_user', { id: personId }) });

/**
 * An administrator moves a person to a new position (the 2025 reform moved thousands). Authorization reads
 * the directory on every request, so the change applies to the person's very next request, whatever their
 * token says; their certificate, which names the old position, is revoked at once, and their next
 * signature gets a new one. Signatures made before stay valid: they were made while it was not revoked.
 */
export async function changePosition(
  ports: PeoplePorts,
  caller: Caller,
  personId: string,
  position: Position,
) {
  const admin = requireAdmin(caller);
  const person = await ports.directory.findPerson(personId);
  if (!person) throw personNotFound(personId);
  const org = caller.directory.find(position.orgId);
  if (!org) {
    throw new DomainError('validation_failed', 422, {
      detail: messageText('invalid_unknown_organisation', { orgId: position.orgId }),
    });
  }
  const moved = { ...person, position };
  const now = ports.now();
  if (canonicalize(person.position) === canonicalize(position)) {
    // A repeated request (PUT): nothing to save or log; a certificate still naming an earlier position (the
    // first attempt stopped before revoking it) is revoked now, a current one is left alone.
    const revokedCertificate = await ports.certificates.revokeStaleOfficial(
      moved,
      org,
      now,
      'affiliationChanged',
    );
    return { ...moved, revokedCertificate };
  }
  await ports.directory.savePeople([moved]);
  const revokedCertificate = await ports.certificates.revokeOfficial(person.id, now, 'affiliationChanged');
  logger.info('position changed', {
    personId,
    by: admin.id,
    from: person.position,
    to: position,
    revokedCertificate,
  });
  return { ...moved, revokedCertificate };
}

/*
 * Officials' signature images (D30 PL I: blue, transparent PNG, drawn between the title lines and the name).
 * Each person registers and replaces their own, never someone else's. A replacement only affects
 * signatures made after it: signed PDFs are immutable and carry the image they were signed with.
 */

/** Oneself; anyone else is not there for the caller (404, whether they exist or not). */
function selfOnly(caller: Caller, personId: string): Person {
  if (personId === caller.actor.id) return caller.actor;
  throw personNotFound(personId);
}

async function withUrl(ports: PeoplePorts, personId: string, image: SignatureImage) {
  return { ...image, url: await ports.signatureImages.presignDownload(personId, image.sha256) };
}

export async function signatureImageOf(ports: PeoplePorts, caller: Caller, personId: string) {
  const person = selfOnly(caller, personId);
  const image = await ports.directory.currentSignatureImage(person.id);
  return { image: image ? await withUrl(ports, person.id, image) : null };
}

export async function startSignatureImageUpload(ports: PeoplePorts, caller: Caller, personId: string) {
  const person = selfOnly(caller, personId);
  const uploadId = randomUUID();
  return { uploadId, upload: await ports.signatureImages.presignUpload(person.id, uploadId) };
}

/**
 * Checks the uploaded PNG and makes it the person's signature image. Nothing is written unless the image
 * passes every check; registering the current image again changes nothing (`changed: false`).
 */
export async function registerSignatureImage(
  ports: PeoplePorts,
  caller: Caller,
  personId: string,
  uploadId: string,
) {
  const person = selfOnly(caller, personId);
  const bytes = await ports.signatureImages.readUpload(person.id, uploadId);
  const { width, height } = checkSignatureImage(bytes);
  const sha256 = sha256Hex(bytes);
  const current = await ports.directory.currentSignatureImage(person.id);
  if (current?.sha256 === sha256) {
    logger.info('signature image unchanged', { personId: person.id, sha256 });
    return { image: await withUrl(ports, person.id, current), changed: false };
  }
  // The object first: a failure before the record leaves an unused object, never a record without one.
  await ports.signatureImages.put(person.id, bytes);
  const image: SignatureImage = {
    sha256,
    width,
    height,
    bytes: bytes.length,
    uploadedAt: ports.now().toISOString(),
  };
  await ports.directory.recordSignatureImage(person.id, image);
  logger.info('signature image registered', {
    personId: person.id,
    sha256,
    width,
    height,
    bytes: bytes.length,
    replaced: current?.sha256,
  });
  return { image: await withUrl(ports, person.id, image), changed: true };
}

/**
 * Removes the person's signature image: their signatures from now on show the capacity lines and the name
 * only. Documents already signed keep the image they carry; the archive keeps the file. Removing when there
 * is none changes nothing (`changed: false`).
 */
export async function removeSignatureImage(ports: PeoplePorts, caller: Caller, personId: string) {
  const person = selfOnly(caller, personId);
  const current = await ports.directory.currentSignatureImage(person.id);
  if (!current) return { image: null, changed: false };
  await ports.directory.recordSignatureImageRemoval(person.id, current, ports.now().toISOString());
  logger.info('signature image removed', { personId: person.id, sha256: current.sha256 });
  return { image: null, changed: true };
}

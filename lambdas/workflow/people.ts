import { randomUUID } from 'node:crypto';
import {
  currentSignatureImage,
  findPerson,
  loadDirectory,
  recordSignatureImage,
  recordSignatureImageRemoval,
  savePeople,
} from '../adapters/directory-store';
import {
  presignSignatureImageDownload,
  presignSignatureImageUpload,
  putSignatureImage,
  readSignatureImageUpload,
  sha256Hex,
} from '../adapters/file-store';
import { revokeOfficial, revokeStaleOfficial } from '../adapters/pki-store';
import type { Person, Position } from '../core/domain/directory';
import { checkSignatureImage, type SignatureImage } from '../core/domain/signature-image';
import { DomainError } from '../core/errors';
import { canonicalize } from '../core/log/canonical-json';
import { logger } from '../observability';

/** The signed-in person, if they are a system administrator; 401 or 403 otherwise. */
export async function requireAdmin(adminId: string | undefined): Promise<Person> {
  const admin = adminId ? await findPerson(adminId) : undefined;
  if (!admin) throw new DomainError('unauthenticated', 401);
  if (admin.position.role !== 'admin') {
    throw new DomainError('forbidden', 403, { reason: 'chỉ quản trị hệ thống / administrators only' });
  }
  return admin;
}

/**
 * An administrator moves a person to a new position (the 2025 reform moved thousands). Authorization reads
 * the directory on every request, so the change applies to the person's very next request, whatever their
 * token says; their certificate, which names the old position, is revoked at once, and their next
 * signature gets a new one. Signatures made before stay valid: they were made while it was not revoked.
 */
export async function changePosition(adminId: string | undefined, personId: string, position: Position) {
  const admin = await requireAdmin(adminId);
  const person = await findPerson(personId);
  if (!person) throw new DomainError('not_found', 404, { what: `người dùng ${personId} / user ${personId}` });
  const directory = await loadDirectory();
  const org = directory.find(position.orgId);
  if (!org) {
    throw new DomainError('validation_failed', 422, { detail: `orgId: ${position.orgId}` });
  }
  const moved = { ...person, position };
  const now = new Date();
  if (canonicalize(person.position) === canonicalize(position)) {
    // A repeated request (PUT): nothing to save or log; a certificate still naming an earlier position (the
    // first attempt stopped before revoking it) is revoked now, a current one is left alone.
    const revokedCertificate = await revokeStaleOfficial(moved, org, now, 'affiliationChanged');
    return { ...moved, revokedCertificate };
  }
  await savePeople([moved]);
  const revokedCertificate = await revokeOfficial(person.id, now, 'affiliationChanged');
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

async function selfOnly(callerId: string | undefined, personId: string): Promise<Person> {
  const caller = callerId ? await findPerson(callerId) : undefined;
  if (!caller) throw new DomainError('unauthenticated', 401);
  const person = personId === caller.id ? caller : await findPerson(personId);
  if (!person) throw new DomainError('not_found', 404, { what: `người dùng ${personId} / user ${personId}` });
  if (person.id !== caller.id) throw new DomainError('signature_image_not_yours', 403);
  return person;
}

async function withUrl(personId: string, image: SignatureImage) {
  return { ...image, url: await presignSignatureImageDownload(personId, image.sha256) };
}

export async function signatureImageOf(callerId: string | undefined, personId: string) {
  const person = await selfOnly(callerId, personId);
  const image = await currentSignatureImage(person.id);
  return { image: image ? await withUrl(person.id, image) : null };
}

export async function startSignatureImageUpload(callerId: string | undefined, personId: string) {
  const person = await selfOnly(callerId, personId);
  const uploadId = randomUUID();
  return { uploadId, upload: await presignSignatureImageUpload(person.id, uploadId) };
}

/**
 * Checks the uploaded PNG and makes it the person's signature image. Nothing is written unless the image
 * passes every check; registering the current image again changes nothing (`changed: false`).
 */
export async function registerSignatureImage(
  callerId: string | undefined,
  personId: string,
  uploadId: string,
) {
  const person = await selfOnly(callerId, personId);
  const bytes = await readSignatureImageUpload(person.id, uploadId);
  const { width, height } = checkSignatureImage(bytes);
  const sha256 = sha256Hex(bytes);
  const current = await currentSignatureImage(person.id);
  if (current?.sha256 === sha256) {
    logger.info('signature image unchanged', { personId: person.id, sha256 });
    return { image: await withUrl(person.id, current), changed: false };
  }
  // The object first: a failure before the record leaves an unused object, never a record without one.
  await putSignatureImage(person.id, bytes);
  const image: SignatureImage = {
    sha256,
    width,
    height,
    bytes: bytes.length,
    uploadedAt: new Date().toISOString(),
  };
  await recordSignatureImage(person.id, image);
  logger.info('signature image registered', {
    personId: person.id,
    sha256,
    width,
    height,
    bytes: bytes.length,
    replaced: current?.sha256,
  });
  return { image: await withUrl(person.id, image), changed: true };
}

/**
 * Removes the person's signature image: their signatures from now on show the capacity lines and the name
 * only. Documents already signed keep the image they carry; the archive keeps the file. Removing when there
 * is none changes nothing (`changed: false`).
 */
export async function removeSignatureImage(callerId: string | undefined, personId: string) {
  const person = await selfOnly(callerId, personId);
  const current = await currentSignatureImage(person.id);
  if (!current) return { image: null, changed: false };
  await recordSignatureImageRemoval(person.id, current, new Date().toISOString());
  logger.info('signature image removed', { personId: person.id, sha256: current.sha256 });
  return { image: null, changed: true };
}

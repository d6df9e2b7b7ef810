import { randomUUID } from 'node:crypto';
import {
  type AdministrationEntryBody,
  AdministrationEntrySchema,
  type AdministrationHead,
  administers,
  assertMayDecide,
  assertNotOwnPosition,
  chainEntries,
  checkAdministrationLog,
  needsSecondAdministrator,
  type PositionRequest,
  requireAdministrator,
} from '../core/domain/administration';
import type { Caller } from '../core/domain/caller';
import type { Person, Position } from '../core/domain/directory';
import { checkSignatureImage, type SignatureImage } from '../core/domain/signature-image';
import { DomainError } from '../core/errors';
import { messageText } from '../core/i18n/messages';
import { peopleForbidden } from '../core/i18n/people';
import { sha256Hex } from '../core/io/hash';
import { canonicalize } from '../core/log/canonical-json';
import { logger } from '../observability/logger';
import type { AdministrationChange, DirectoryRepository } from '../ports/directory';
import type { SignatureImageFiles } from '../ports/files';
import type { CertificateService } from '../ports/pki';
import { withRetries } from './context';

/*
 * People: administrators move them between positions (separation of duties: core/domain/administration.ts);
 * each official keeps their own signature image.
 */

export interface PeoplePorts {
  readonly directory: DirectoryRepository;
  readonly certificates: Pick<CertificateService, 'revokeOfficial' | 'revokeStaleOfficial'>;
  readonly signatureImages: SignatureImageFiles;
  readonly now: () => Date;
}

/** The caller, if their position is a system administrator's; 403 otherwise. */
export function requireAdmin(caller: Caller): Person {
  return requireAdministrator(caller.actor);
}

/**
 * 403 unless the administrator manages the organisation: their own or one under it
 * (core/domain/administration.ts `administers`). An administrator of one organisation changes nobody of another.
 */
export function assertAdministers(caller: Caller, orgId: string): void {
  if (!administers(caller.directory, caller.actor.position.orgId, orgId))
    throw peopleForbidden('reason_other_organisation');
}

const personNotFound = (personId: string) =>
  new DomainError('not_found', 404, { what: messageText('what_user', { id: personId }) });

const requestNotFound = (id: string) =>
  new DomainError('not_found', 404, { what: messageText('what_position_request', { id }) });

/** A change of position applied: the person as they are now, and the certificate it revoked. */
export interface PositionApplied {
  readonly id: string;
  readonly name: string;
  readonly position: Position;
  readonly revokedCertificate?: string;
}

/** A guarded position asked for: the request another administrator must decide. */
export interface PositionPending {
  readonly request: PositionRequest;
}

/** Appends to the administration log (and writes what goes with it), deciding again on a conflict. */
export async function administer(
  ports: PeoplePorts,
  change: (head: AdministrationHead | undefined) => Promise<
    Omit<AdministrationChange, 'head' | 'entries'> & {
      readonly bodies: readonly AdministrationEntryBody[];
    }
  >,
): Promise<void> {
  await withRetries(async () => {
    const head = await ports.directory.readAdministrationHead();
    const { bodies, ...rest } = await change(head);
    await ports.directory.commitAdministration({ head, entries: chainEntries(head, bodies), ...rest });
  });
}

/**
 * Revokes the certificate naming the person's old position, after the move is committed: a retried
 * request that finds the move done revokes one still naming an earlier position (revokeStaleOfficial).
 */
async function revokeAfterMove(ports: PeoplePorts, moved: Person, now: Date) {
  return ports.certificates.revokeOfficial(moved.id, now, 'affiliationChanged');
}

/**
 * An administrator moves a person to a new position (the 2025 reform moved thousands). Authorization reads
 * the directory on every request, so the change applies to the person's very next request, whatever their
 * token says; their certificate, which names the old position, is revoked at once, and their next
 * signature gets a new one. Signatures made before stay valid: they were made while it was not revoked.
 * Nobody changes their own position; a position that administers or audits is only asked for here, and
 * given when a second administrator approves (core/domain/administration.ts). Every change is logged.
 */
export async function changePosition(
  ports: PeoplePorts,
  caller: Caller,
  personId: string,
  position: Position,
): Promise<PositionApplied | PositionPending> {
  const admin = requireAdministrator(caller.actor);
  assertNotOwnPosition(admin, personId);
  const person = await ports.directory.findPerson(personId);
  if (!person) throw personNotFound(personId);
  assertAdministers(caller, person.position.orgId);
  const org = caller.directory.find(position.orgId);
  if (!org) {
    throw new DomainError('validation_failed', 422, {
      detail: messageText('invalid_unknown_organisation', { orgId: position.orgId }),
    });
  }
  assertAdministers(caller, org.id);
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
  if (needsSecondAdministrator(person, position)) return requestPosition(ports, admin, person, position, now);
  await administer(ports, async () => ({
    bodies: [
      {
        type: 'position-changed',
        at: now.toISOString(),
        by: admin.id,
        personId,
        from: person.position,
        to: position,
      },
    ],
    people: [moved],
  }));
  const revokedCertificate = await revokeAfterMove(ports, moved, now);
  logger.info('position changed', {
    personId,
    by: admin.id,
    from: person.position,
    to: position,
    revokedCertificate,
  });
  return { ...moved, revokedCertificate };
}

/** The request for a guarded position; asking again for the same while it is pending answers with it. */
async function requestPosition(
  ports: PeoplePorts,
  admin: Person,
  person: Person,
  position: Position,
  now: Date,
): Promise<PositionPending> {
  const same = (r: PositionRequest) =>
    r.status === 'pending' &&
    r.personId === person.id &&
    canonicalize(r.position) === canonicalize(position) &&
    canonicalize(r.from) === canonicalize(person.position);
  const pending = (await ports.directory.listPositionRequests()).find(same);
  if (pending) return { request: pending };
  const request: PositionRequest = {
    id: randomUUID(),
    personId: person.id,
    from: person.position,
    position,
    requestedBy: admin.id,
    requestedAt: now.toISOString(),
    status: 'pending',
  };
  await administer(ports, async () => ({
    bodies: [
      {
        type: 'position-requested',
        at: request.requestedAt,
        by: admin.id,
        personId: person.id,
        from: person.position,
        to: position,
        requestId: request.id,
      },
    ],
    people: [],
    request: { after: request },
  }));
  logger.info('position requested', {
    personId: person.id,
    by: admin.id,
    to: position,
    requestId: request.id,
  });
  return { request };
}

/** The requests for a guarded position still waiting for a second administrator (administrators only). */
export async function pendingPositionRequests(
  ports: PeoplePorts,
  caller: Caller,
): Promise<PositionRequest[]> {
  requireAdministrator(caller.actor);
  const mine = (orgId: string) => administers(caller.directory, caller.actor.position.orgId, orgId);
  return (await ports.directory.listPositionRequests())
    .filter((r) => r.status === 'pending' && mine(r.from.orgId) && mine(r.position.orgId))
    .sort((a, b) => (a.requestedAt < b.requestedAt ? -1 : a.requestedAt > b.requestedAt ? 1 : 0));
}

/** A request this caller already decided this way: a retry answers with the outcome, not a refusal. */
const decidedBy = (request: PositionRequest, caller: Caller, status: PositionRequest['status']) =>
  request.status === status && request.decidedBy === caller.actor.id;

/**
 * A second administrator approves a request for a guarded position: the person moves, as in
 * `changePosition`, if their position is still the one the request was made from.
 */
export async function approvePositionRequest(
  ports: PeoplePorts,
  caller: Caller,
  requestId: string,
): Promise<PositionApplied & { readonly request: PositionRequest }> {
  const first = await ports.directory.findPositionRequest(requestId);
  if (!first) throw requestNotFound(requestId);
  if (decidedBy(first, caller, 'approved')) {
    const person = await ports.directory.findPerson(first.personId);
    if (!person) throw personNotFound(first.personId);
    return { ...person, request: first };
  }
  assertMayDecide(caller.actor, first, 'approve');
  assertAdministers(caller, first.from.orgId);
  assertAdministers(caller, first.position.orgId);
  const now = ports.now();
  let moved: Person | undefined;
  let decided: PositionRequest | undefined;
  await administer(ports, async () => {
    const request = await ports.directory.findPositionRequest(requestId);
    if (!request) throw requestNotFound(requestId);
    assertMayDecide(caller.actor, request, 'approve');
    const person = await ports.directory.findPerson(request.personId);
    if (!person) throw personNotFound(request.personId);
    if (canonicalize(person.position) !== canonicalize(request.from))
      throw new DomainError('position_request_stale', 409);
    moved = { ...person, position: request.position };
    decided = { ...request, status: 'approved', decidedBy: caller.actor.id, decidedAt: now.toISOString() };
    return {
      bodies: [
        {
          type: 'position-approved',
          at: now.toISOString(),
          by: caller.actor.id,
          personId: person.id,
          from: person.position,
          to: request.position,
          requestId,
          requestedBy: request.requestedBy,
        },
      ],
      people: [moved],
      request: { before: request, after: decided },
    };
  });
  if (!moved || !decided) throw new Error('approval committed without its outcome');
  const revokedCertificate = await revokeAfterMove(ports, moved, now);
  logger.info('position approved', {
    requestId,
    by: caller.actor.id,
    personId: moved.id,
    revokedCertificate,
  });
  return { ...moved, revokedCertificate, request: decided };
}

/** Any administrator turns a pending request down (the one who asked withdraws it); nobody moves. */
export async function rejectPositionRequest(
  ports: PeoplePorts,
  caller: Caller,
  requestId: string,
  reason: string | undefined,
): Promise<PositionRequest> {
  const first = await ports.directory.findPositionRequest(requestId);
  if (!first) throw requestNotFound(requestId);
  if (decidedBy(first, caller, 'rejected')) return first;
  assertMayDecide(caller.actor, first, 'reject');
  assertAdministers(caller, first.from.orgId);
  assertAdministers(caller, first.position.orgId);
  const now = ports.now();
  let decided: PositionRequest | undefined;
  await administer(ports, async () => {
    const request = await ports.directory.findPositionRequest(requestId);
    if (!request) throw requestNotFound(requestId);
    assertMayDecide(caller.actor, request, 'reject');
    decided = {
      ...request,
      status: 'rejected',
      decidedBy: caller.actor.id,
      decidedAt: now.toISOString(),
      ...(reason ? { reason } : {}),
    };
    return {
      bodies: [
        {
          type: 'position-rejected',
          at: now.toISOString(),
          by: caller.actor.id,
          personId: request.personId,
          from: request.from,
          to: request.position,
          requestId,
          requestedBy: request.requestedBy,
          ...(reason ? { reason } : {}),
        },
      ],
      people: [],
      request: { before: request, after: decided },
    };
  });
  if (!decided) throw new Error('rejection committed without its outcome');
  logger.info('position request rejected', { requestId, by: caller.actor.id });
  return decided;
}

/**
 * The administration log with its check (administrators and auditors): every change of position, every
 * request and decision, in order, and whether the chain still verifies up to its head.
 */
export async function administrationLog(ports: PeoplePorts, caller: Caller) {
  const role = caller.actor.position.role;
  if (role !== 'admin' && role !== 'auditor')
    throw new DomainError('forbidden', 403, { reason: messageText('reason_administration_log') });
  const { entries, head } = await ports.directory.readAdministrationLog();
  const check = checkAdministrationLog(entries, head);
  const valid = entries.flatMap((e) => {
    const parsed = AdministrationEntrySchema.safeParse(e);
    return parsed.success ? [parsed.data] : [];
  });
  return { entries: valid, chain: check };
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

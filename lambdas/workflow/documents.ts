import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import { findPerson, listPeople, loadDirectory } from '../adapters/directory-store';
import {
  type Change,
  commit,
  countInbox,
  type DocumentSnapshot,
  type Folder,
  type IssueReservation,
  listInbox,
  type RegisterEntry,
  readDocument,
  readLog,
  readRegister,
  readSeries,
  reserveNumber,
  savePendingUpload,
  withLease,
  withRetries,
  yearOf,
} from '../adapters/document-store';
import {
  presignRevisionDownload,
  presignUpload,
  putRevision,
  readRevision,
  readUpload,
} from '../adapters/file-store';
import type {
  AssignBodySchema,
  CreateDocument,
  ForwardBodySchema,
  ReassignBodySchema,
  ResolveBodySchema,
  SignBodySchema,
} from '../contracts/documents';
import type { Actor } from '../core/domain/actor';
import type { Caller } from '../core/domain/caller';
import {
  capacityLines,
  capacityMark,
  entitledCapacities,
  type SigningCapacity,
} from '../core/domain/capacity';
import type { Directory, RecipientTarget } from '../core/domain/directory';
import { documentType } from '../core/domain/document-types';
import type { Assignee, EventDraft } from '../core/domain/events';
import {
  arriveIncoming,
  decideIncoming,
  type IncomingCommand,
  type IncomingRecord,
} from '../core/domain/incoming';
import { type NumberingSeries, seriesKeyAt } from '../core/domain/numbering';
import {
  decideOutgoing,
  type OutgoingCommand,
  type OutgoingDocument,
  previewIssue,
} from '../core/domain/outgoing';
import { assertVisible, documentNotFound } from '../core/domain/visibility';
import { DomainError } from '../core/errors';
import { verifyChain } from '../core/log/chain';
import type { CirculationEvent } from '../core/log/event';
import { documentView } from '../core/log/projection';
import { matches } from '../core/text/search';
import { logger } from '../observability';
import type { DocumentSigning } from './ports';

/*
 * The circulation use cases: each reads the document, lets the pure core decide, then commits the events
 * and the views they change in one conditional transaction (retrying on a concurrent change). PDF work
 * (signing, sealing) happens under a lease, so a conflict never costs a second KMS signature.
 */

export type { Caller };

/** The signed-in person as they are now: authorization follows the directory, not the token. */
export async function callerOf(userId: string | undefined): Promise<Caller> {
  const person = userId ? await findPerson(userId) : undefined;
  if (!person) throw new DomainError('unauthenticated', 401);
  return { actor: { ...person, delegations: [] }, directory: await loadDirectory() };
}

const notFound = documentNotFound;

function assertWriter(caller: Caller): void {
  if (caller.actor.position.role === 'auditor') {
    throw new DomainError('forbidden', 403, { reason: 'kiểm soát viên chỉ được xem / auditors read only' });
  }
}

async function loadVisible(caller: Caller, id: string): Promise<DocumentSnapshot> {
  const snapshot = await readDocument(id);
  assertVisible(caller, snapshot);
  return snapshot;
}

function outgoingChange(
  snapshot: DocumentSnapshot,
  documentId: string,
  decision: { state: OutgoingDocument; events: readonly EventDraft[] },
  extra: Partial<Change> = {},
): Change {
  return {
    documentId,
    head: snapshot.head,
    events: decision.events,
    outgoing: { before: snapshot.document, after: decision.state },
    ...extra,
  };
}

function logDecision(caller: Caller, documentId: string, events: readonly EventDraft[]): void {
  for (const event of events) {
    logger.info('circulation event', {
      documentId,
      type: event.type,
      orgId: event.orgId,
      actor: caller.actor.id,
    });
  }
}

// --- Drafts ----------------------------------------------------------------------------------------------------

const uploadKey = (documentId: string) => `uploads/${documentId}/draft.pdf`;

function recipientTargets(recipients: CreateDocument['recipients']): RecipientTarget[] {
  return (recipients ?? []).map((r) => (typeof r === 'string' ? { to: r, purpose: 'action' } : r));
}

export async function createDraft(caller: Caller, input: CreateDocument) {
  assertWriter(caller);
  const documentId = randomUUID();
  // Decide now with a placeholder file, so that a bad request fails before any upload is offered.
  decideOutgoing(undefined, createCommand(documentId, input, '0'.repeat(64)), caller.actor, new Date(), {
    directory: caller.directory,
  });
  await savePendingUpload({
    documentId,
    orgId: caller.actor.position.orgId,
    createdBy: caller.actor.id,
    uploadKey: uploadKey(documentId),
    metadata: input,
    createdAt: new Date().toISOString(),
  });
  logger.info('draft started', { documentId, actor: caller.actor.id });
  return { id: documentId, upload: await presignUpload(uploadKey(documentId)) };
}

function draftFields(input: CreateDocument, documentSha256: string) {
  return {
    typeId: input.docType,
    subject: input.title,
    urgency: input.urgency ?? 'normal',
    deliverBy: input.deliverBy,
    dueDate: input.dueDate,
    draftingUnitCode: input.draftingUnit,
    recipients: recipientTargets(input.recipients),
    documentSha256,
  };
}

function createCommand(documentId: string, input: CreateDocument, documentSha256: string): OutgoingCommand {
  return { type: 'create', documentId, ...draftFields(input, documentSha256) };
}

/** Records the uploaded PDF as the draft (first time) or as its new version (a revision). */
export async function recordContent(caller: Caller, id: string, signing: DocumentSigning) {
  assertWriter(caller);
  return withLease(`doc:${id}`, async () => {
    const first = await loadVisible(caller, id);
    if (!first.upload) throw notFound();
    const { pdf, pageCount } = await signing.prepareDraft(await readUpload(first.upload.uploadKey));
    const documentSha256 = await putRevision(id, pdf);
    return withRetries(async () => {
      const snapshot = await readDocument(id);
      const metadata = snapshot.upload?.metadata as CreateDocument;
      const fields = { ...draftFields(metadata, documentSha256), pageCount };
      const command: OutgoingCommand = snapshot.document
        ? { type: 'revise', ...fields }
        : { type: 'create', documentId: id, ...fields };
      const decision = decideOutgoing(snapshot.document, command, caller.actor, new Date(), {
        directory: caller.directory,
      });
      await commit(outgoingChange(snapshot, id, decision));
      logDecision(caller, id, decision.events);
      return viewFor(caller, id);
    });
  });
}

/** A state change of the outgoing document with no file work: submit, approve, return, recall, replace. */
export async function outgoingCommand(caller: Caller, id: string, command: OutgoingCommand) {
  assertWriter(caller);
  return withRetries(async () => {
    const snapshot = await loadVisible(caller, id);
    if (!snapshot.document) throw notFound();
    const decision = decideOutgoing(snapshot.document, command, caller.actor, new Date(), {
      directory: caller.directory,
    });
    await commit(outgoingChange(snapshot, id, decision));
    logDecision(caller, id, decision.events);
    return viewFor(caller, id);
  });
}

/**
 * Recalls an issued document (D30: frozen, recipients delete it and the sender is told): the sender's
 * document first, then every recipient's record that is still live, in batches like the deliveries.
 * Safe to call again: records already recalled (or returned) are left alone.
 */
export async function recall(caller: Caller, id: string, reason: string) {
  const first = await readDocument(id);
  if (assertVisible(caller, first) !== 'sender') {
    throw new DomainError('forbidden', 403, {
      reason: 'chỉ nơi ban hành được thu hồi / only the issuer may recall',
    });
  }
  if (first.document?.state !== 'RECALLED') await outgoingCommand(caller, id, { type: 'recall', reason });
  const live = (records: readonly IncomingRecord[]) =>
    records.filter((r) => r.state !== 'RECALLED' && r.state !== 'RETURNED').map((r) => r.orgId);
  const pending = live((await readDocument(id)).incoming);
  for (let start = 0; start < pending.length; start += ARRIVALS_PER_TRANSACTION) {
    const batch = new Set(pending.slice(start, start + ARRIVALS_PER_TRANSACTION));
    await withRetries(async () => {
      const snapshot = await readDocument(id);
      const now = new Date();
      const events: EventDraft[] = [];
      const incoming: { before: IncomingRecord; after: IncomingRecord }[] = [];
      for (const record of snapshot.incoming.filter((r) => batch.has(r.orgId) && live([r]).length > 0)) {
        const decision = decideIncoming(record, { type: 'recall', reason }, caller.actor, now, {
          directory: caller.directory,
        });
        events.push(...decision.events);
        incoming.push({ before: record, after: decision.state });
      }
      if (events.length > 0) await commit({ documentId: id, head: snapshot.head, events, incoming });
    });
  }
  logger.info('recalled', { documentId: id, recipients: pending.length, actor: caller.actor.id });
  return viewFor(caller, id);
}

// --- Signing and issuing -----------------------------------------------------------------------------------------

function parseCapacity(
  caller: Caller,
  doc: OutgoingDocument,
  body: z.infer<typeof SignBodySchema>,
  now: Date,
): SigningCapacity {
  if (!body.capacity) {
    const org = caller.directory.get(doc.orgId);
    const [first] = entitledCapacities(caller.actor, caller.actor.delegations ?? [], org, now, doc.typeId);
    if (!first) throw new DomainError('capacity_not_entitled', 403, { capacity: '—' });
    return first;
  }
  const kind = body.capacity.replace(/\.$/, '') as SigningCapacity['kind'];
  if (kind === 'TL' || kind === 'TUQ') return { kind, delegationId: body.delegationId ?? '' };
  if (kind === 'KT' || kind === 'Q')
    return { kind, onBehalfOfCollective: body.onBehalfOfCollective ?? false };
  return { kind };
}

export async function sign(
  caller: Caller,
  id: string,
  body: z.infer<typeof SignBodySchema>,
  signing: DocumentSigning,
) {
  assertWriter(caller);
  return withLease(`doc:${id}`, () =>
    withRetries(async () => {
      const snapshot = await loadVisible(caller, id);
      const doc = snapshot.document;
      if (!doc) throw notFound();
      const now = new Date();
      const capacity = parseCapacity(caller, doc, body, now);
      const ctx = { directory: caller.directory };
      // Refuse before any key is used: a wrong state or capacity must not cost a signature.
      decideOutgoing(
        doc,
        { type: 'sign', capacity, documentSha256: doc.documentSha256 },
        caller.actor,
        now,
        ctx,
      );
      const org = caller.directory.get(doc.orgId);
      const signed = await signing.signPersonal({
        pdf: await readRevision(id, doc.documentSha256),
        signer: caller.actor,
        org,
        capacityLines: capacityLines(capacity, org, caller.actor.position),
        capacityMark: capacityMark(capacity),
        reason: body.reason ?? `Ký ban hành: ${documentType(doc.typeId).name} – ${doc.subject}`.slice(0, 300),
        at: now,
      });
      const documentSha256 = await putRevision(id, signed.pdf);
      const decision = decideOutgoing(
        doc,
        { type: 'sign', capacity, documentSha256, certificateSha256: signed.certificateSha256 },
        caller.actor,
        now,
        ctx,
      );
      await commit(outgoingChange(snapshot, id, decision));
      logDecision(caller, id, decision.events);
      return viewFor(caller, id);
    }),
  );
}

function outgoingRegisterEntry(doc: OutgoingDocument, directory: Directory): RegisterEntry {
  const personal = doc.signatures.find((s) => s.kind === 'person');
  return {
    register: 'outgoing',
    orgId: doc.orgId,
    year: yearOf(doc.issuedAt ?? doc.updatedAt),
    number: doc.number ?? 0,
    documentId: doc.id,
    row: {
      symbol: doc.symbol,
      issuedOn: doc.issuedOn,
      docType: documentType(doc.typeId).name,
      subject: doc.subject,
      signer: personal?.kind === 'person' ? `${personal.lines.join(' / ')} – ${personal.signerName}` : '',
      recipients: doc.recipients.map((r) => directory.get(r.orgId).name),
      urgency: doc.urgency,
    },
  };
}

/**
 * The clerk's issue, in two steps. First the number: under a short per-organisation lease, the next number
 * of the yearly series is reserved for this document in one transaction (fast, so fifty clerks pressing
 * the button at once wait milliseconds, not seconds). Then, with no organisation-wide lock, the number and
 * date are stamped on the PDF, the seal applied, and the issue committed with the reserved number. A
 * retried or interrupted issue resumes with its reservation: numbers are unique and gap-free.
 */
export async function issue(caller: Caller, id: string, signing: DocumentSigning) {
  assertWriter(caller);
  const first = await loadVisible(caller, id);
  const doc = first.document;
  if (!doc) throw notFound();
  const org = caller.directory.get(doc.orgId);
  const now = new Date();
  // Refuse before taking a number: wrong state, role or organisation.
  const current = await readSeries(seriesKeyAt(doc.orgId, now));
  const check = previewIssue(doc, org, current, now);
  decideOutgoing(
    doc,
    { type: 'issue', number: check.number, issuedOn: check.issuedOn, documentSha256: doc.documentSha256 },
    caller.actor,
    now,
    { directory: caller.directory, series: current },
  );
  const reservation = first.reservation ?? (await reserve(caller, id));
  return withLease(`doc:${id}`, () =>
    withRetries(async () => {
      const snapshot = await readDocument(id);
      const signedDoc = snapshot.document;
      if (!signedDoc) throw notFound();
      if (!snapshot.reservation) return viewFor(caller, id);
      const at = new Date(reservation.reservedAt);
      // The series as it was when this number was taken: the core checks the number against it.
      const before = { ...seriesOf(reservation, signedDoc.orgId), lastNumber: reservation.number - 1 };
      const preview = previewIssue(signedDoc, org, before, at);
      const sealed = await signing.issueAndSeal({
        pdf: await readRevision(id, signedDoc.documentSha256),
        org,
        clerk: caller.actor,
        symbol: `Số: ${preview.symbol}`,
        dateLine: preview.dateLine,
        at,
      });
      const documentSha256 = await putRevision(id, sealed.pdf);
      const decision = decideOutgoing(
        signedDoc,
        {
          type: 'issue',
          number: preview.number,
          issuedOn: preview.issuedOn,
          documentSha256,
          certificateSha256: sealed.certificateSha256,
        },
        caller.actor,
        at,
        { directory: caller.directory, series: before },
      );
      await commit(
        outgoingChange(snapshot, id, decision, {
          registerEntries: [outgoingRegisterEntry(decision.state, caller.directory)],
          consumeReservation: true,
        }),
      );
      logDecision(caller, id, decision.events);
      return viewFor(caller, id);
    }),
  );
}

function seriesOf(reservation: IssueReservation, orgId: string): NumberingSeries {
  const year = Number(reservation.seriesKey.split('#')[1]);
  return { key: reservation.seriesKey, orgId, year, kind: 'general', lastNumber: reservation.number };
}

/** Takes the next number for the document under the organisation's short issuing lease. */
async function reserve(caller: Caller, id: string): Promise<IssueReservation> {
  const orgId = caller.actor.position.orgId;
  return withLease(`issue:${orgId}`, () =>
    withRetries(async () => {
      const snapshot = await readDocument(id);
      const doc = snapshot.document;
      if (!doc) throw notFound();
      if (snapshot.reservation) return snapshot.reservation;
      const now = new Date();
      const series = await readSeries(seriesKeyAt(doc.orgId, now));
      const preview = previewIssue(doc, caller.directory.get(doc.orgId), series, now);
      const decision = decideOutgoing(
        doc,
        {
          type: 'issue',
          number: preview.number,
          issuedOn: preview.issuedOn,
          documentSha256: doc.documentSha256,
        },
        caller.actor,
        now,
        { directory: caller.directory, series },
      );
      if (!decision.series) throw new Error('issuing gave out no number');
      const reservation: IssueReservation = {
        number: preview.number,
        reservedAt: now.toISOString(),
        reservedBy: caller.actor.id,
        seriesKey: preview.seriesKey,
      };
      await reserveNumber({ document: doc, series: { before: series, after: decision.series }, reservation });
      logger.info('number reserved', {
        documentId: id,
        number: reservation.number,
        seriesKey: reservation.seriesKey,
      });
      return reservation;
    }),
  );
}

// --- Sending and arrival -----------------------------------------------------------------------------------------

/** Recipients per transaction: each costs an event and a record (≤ 100 items with the chain head). */
const ARRIVALS_PER_TRANSACTION = 45;

const systemClerk = (orgId: string): Actor => ({
  id: 'docflow-system',
  name: 'docflow (kiểm tra tự động)',
  position: { orgId, role: 'clerk', title: 'Hệ thống' },
  delegations: [],
});

/**
 * Delivers a sent document to every recipient that has no record yet. Each arrival is checked (every
 * signature verified once for all recipients); an invalid document is returned at once with the reason,
 * which the sender sees. Safe to call again: it only does what is missing.
 */
async function deliver(caller: Caller, id: string, signing: DocumentSigning): Promise<void> {
  const snapshot = await readDocument(id);
  const doc = snapshot.document;
  if (!doc || (doc.state !== 'SENT' && doc.state !== 'ARCHIVED')) return;
  const have = new Set(snapshot.incoming.map((r) => r.orgId));
  const missing = doc.recipients.filter((r) => !have.has(r.orgId)).map((r) => r.orgId);
  if (missing.length === 0) return;
  const now = new Date();
  const check = await signing.verify(await readRevision(id, doc.documentSha256), now);
  for (let start = 0; start < missing.length; start += ARRIVALS_PER_TRANSACTION) {
    const batch = missing.slice(start, start + ARRIVALS_PER_TRANSACTION);
    await withRetries(async () => {
      const current = await readDocument(id);
      const present = new Set(current.incoming.map((r) => r.orgId));
      const events: EventDraft[] = [];
      const incoming: { before: IncomingRecord | undefined; after: IncomingRecord }[] = [];
      for (const orgId of batch.filter((o) => !present.has(o))) {
        const arrival = arriveIncoming(doc, orgId, caller.actor, now, { directory: caller.directory });
        let record = arrival.state;
        events.push(...arrival.events);
        if (!check.valid) {
          const reason = `Chữ ký số không hợp lệ: ${check.detail ?? 'không rõ lý do'}`.slice(0, 2000);
          const returned = decideIncoming(record, { type: 'return', reason }, systemClerk(orgId), now, {
            directory: caller.directory,
          });
          record = returned.state;
          events.push(...returned.events);
        }
        incoming.push({ before: undefined, after: record });
      }
      if (events.length === 0) return;
      await commit({ documentId: id, head: current.head, events, incoming });
    });
  }
  logger.info('delivered', { documentId: id, recipients: missing.length, signaturesValid: check.valid });
}

export async function send(
  caller: Caller,
  id: string,
  recipients: readonly (string | RecipientTarget)[] | undefined,
  signing: DocumentSigning,
) {
  assertWriter(caller);
  const targets = recipients?.map((r) => (typeof r === 'string' ? { to: r, purpose: 'action' as const } : r));
  await withRetries(async () => {
    const snapshot = await loadVisible(caller, id);
    const doc = snapshot.document;
    if (!doc) throw notFound();
    // A retried send whose deliveries were interrupted completes them instead of failing.
    if (doc.state === 'SENT' && snapshot.incoming.length < doc.recipients.length) return;
    const decision = decideOutgoing(doc, { type: 'send', recipients: targets }, caller.actor, new Date(), {
      directory: caller.directory,
    });
    await commit(outgoingChange(snapshot, id, decision));
    logDecision(caller, id, decision.events);
  });
  await deliver(caller, id, signing);
  return viewFor(caller, id);
}

// --- Incoming ----------------------------------------------------------------------------------------------------

function assignee(ref: string): Assignee {
  return ref.startsWith('unit:')
    ? { kind: 'unit', unitCode: ref.slice(5) }
    : { kind: 'person', personId: ref };
}

async function assertPeopleIn(orgId: string, refs: readonly string[]): Promise<void> {
  for (const ref of refs) {
    if (ref.startsWith('unit:')) continue;
    const person = await findPerson(ref);
    if (!person || person.position.orgId !== orgId) {
      throw new DomainError('validation_failed', 422, {
        detail: `${ref}: không phải cán bộ của đơn vị / not a member`,
      });
    }
  }
}

async function incomingCommand(
  caller: Caller,
  id: string,
  command: IncomingCommand | ((record: IncomingRecord) => IncomingCommand[]),
  options: { arrivalSeries?: boolean } = {},
) {
  assertWriter(caller);
  return withRetries(async () => {
    const snapshot = await loadVisible(caller, id);
    const orgId = caller.actor.position.orgId;
    const before = snapshot.incoming.find((r) => r.orgId === orgId);
    if (!before) throw notFound();
    const now = new Date();
    const series = options.arrivalSeries ? await readSeries(seriesKeyAt(orgId, now, 'arrival')) : undefined;
    const commands = typeof command === 'function' ? command(before) : [command];
    let record = before;
    const events: EventDraft[] = [];
    let nextSeries: typeof series;
    for (const c of commands) {
      const decision = decideIncoming(record, c, caller.actor, now, {
        directory: caller.directory,
        arrivalSeries: series,
      });
      record = decision.state;
      events.push(...decision.events);
      nextSeries = decision.series ?? nextSeries;
    }
    const registerEntries: RegisterEntry[] =
      record.arrivalNumber && !before.arrivalNumber ? [incomingRegisterEntry(record, caller.directory)] : [];
    await commit({
      documentId: id,
      head: snapshot.head,
      events,
      incoming: [{ before, after: record }],
      series: nextSeries ? { before: series, after: nextSeries } : undefined,
      registerEntries,
    });
    logDecision(caller, id, events);
    return { record, events };
  });
}

function incomingRegisterEntry(record: IncomingRecord, directory: Directory): RegisterEntry {
  return {
    register: 'incoming',
    orgId: record.orgId,
    year: record.arrivalYear ?? yearOf(record.arrivedAt),
    number: record.arrivalNumber ?? 0,
    documentId: record.documentId,
    row: {
      arrivedOn: record.arrivedAt,
      arrivalNumber: record.arrivalNumber,
      issuer: directory.get(record.senderOrgId).name,
      symbol: record.symbol,
      issuedOn: record.issuedOn,
      docType: documentType(record.typeId).name,
      subject: record.subject,
      urgency: record.urgency,
    },
  };
}

/**
 * Registers an arrived document: its signatures are checked again now, it gets the next arrival number,
 * and it is presented to the head of the organisation (or the leader named) in the same step.
 */
export async function register(
  caller: Caller,
  id: string,
  presentTo: string | undefined,
  signing: DocumentSigning,
) {
  const snapshot = await loadVisible(caller, id);
  const record = snapshot.incoming.find((r) => r.orgId === caller.actor.position.orgId);
  if (!record) throw notFound();
  const check = await signing.verify(await readRevision(id, record.documentSha256), new Date());
  const leader = presentTo ?? (await headOf(caller.actor.position.orgId));
  if (presentTo) await assertPeopleIn(caller.actor.position.orgId, [presentTo]);
  await incomingCommand(
    caller,
    id,
    () => [
      { type: 'register', signatureCheck: { valid: check.valid, detail: check.detail } },
      ...(leader ? [{ type: 'present' as const, toPersonId: leader }] : []),
    ],
    { arrivalSeries: true },
  );
  return viewFor(caller, id);
}

async function headOf(orgId: string): Promise<string | undefined> {
  const leaders = (await listPeople()).filter(
    (p) => p.position.orgId === orgId && p.position.role === 'leader',
  );
  return (leaders.find((p) => p.position.rank === 'head' && !p.position.unitCode) ?? leaders[0])?.id;
}

export async function assign(caller: Caller, id: string, body: z.infer<typeof AssignBodySchema>) {
  const refs = [body.lead, ...(body.support ?? []), ...(body.info ?? [])];
  await assertPeopleIn(caller.actor.position.orgId, refs);
  await incomingCommand(caller, id, {
    type: 'assign',
    lead: assignee(body.lead),
    supporting: (body.support ?? []).map(assignee),
    forInformation: (body.info ?? []).map(assignee),
    deadline: body.deadline,
    note: body.note,
  });
  return viewFor(caller, id);
}

export async function reassign(caller: Caller, id: string, body: z.infer<typeof ReassignBodySchema>) {
  await assertPeopleIn(caller.actor.position.orgId, [body.handler]);
  await incomingCommand(caller, id, {
    type: 'reassign',
    handler: assignee(body.handler),
    deadline: body.deadline,
    note: body.note,
  });
  return viewFor(caller, id);
}

export async function start(caller: Caller, id: string) {
  await incomingCommand(caller, id, { type: 'start' });
  return viewFor(caller, id);
}

/** Resolves; a handler who has not pressed "start" yet starts and resolves in one step. */
export async function resolve(caller: Caller, id: string, body: z.infer<typeof ResolveBodySchema>) {
  if (body.replyId) {
    const reply = await readDocument(body.replyId);
    if (reply.document?.orgId !== caller.actor.position.orgId) {
      throw new DomainError('validation_failed', 422, { detail: `replyId ${body.replyId}` });
    }
  }
  await incomingCommand(caller, id, (record) => [
    ...(record.state === 'ASSIGNED' ? [{ type: 'start' as const }] : []),
    { type: 'resolve', replyDocumentId: body.replyId, note: body.note },
  ]);
  return viewFor(caller, id);
}

export async function forward(caller: Caller, id: string, body: z.infer<typeof ForwardBodySchema>) {
  const to = typeof body.to === 'string' ? [body.to] : body.to;
  const { record } = await incomingCommand(caller, id, { type: 'forward', to, note: body.note });
  const now = new Date();
  await withRetries(async () => {
    const snapshot = await readDocument(id);
    const doc = snapshot.document;
    if (!doc) throw notFound();
    const events: EventDraft[] = [];
    const incoming: { before: undefined; after: IncomingRecord }[] = [];
    for (const orgId of record.forwardedTo ?? []) {
      if (snapshot.incoming.some((r) => r.orgId === orgId)) continue;
      const arrival = arriveIncoming(
        doc,
        orgId,
        caller.actor,
        now,
        { directory: caller.directory },
        { forwardedFrom: record },
      );
      events.push(...arrival.events);
      incoming.push({ before: undefined, after: arrival.state });
    }
    if (events.length > 0) await commit({ documentId: id, head: snapshot.head, events, incoming });
  });
  return viewFor(caller, id);
}

/**
 * "Return": a reviewer or signer returns a draft to its drafter; a recipient's clerk returns an arrived
 * document to its sender. Which one follows from who asks.
 */
export async function returnDocument(caller: Caller, id: string, reason: string) {
  const snapshot = await loadVisible(caller, id);
  if (snapshot.document?.orgId === caller.actor.position.orgId) {
    return outgoingCommand(caller, id, { type: 'return-for-revision', reason });
  }
  await incomingCommand(caller, id, { type: 'return', reason });
  return viewFor(caller, id);
}

// --- Reading -----------------------------------------------------------------------------------------------------

/**
 * Why a step was taken, as its event records it: the reason of a return or a recall (also the automatic
 * return of a document whose signatures failed on arrival), the note of a submission, an assignment, a
 * resolution or a forward. The timeline shows it beside the step.
 */
function noteOf(event: CirculationEvent): string | undefined {
  const payload: Readonly<Record<string, unknown>> = event.payload;
  const text = payload.reason ?? payload.note;
  return typeof text === 'string' ? text : undefined;
}

export async function viewFor(caller: Caller, id: string) {
  const snapshot = await readDocument(id);
  const role = assertVisible(caller, snapshot);
  const events = await readLog(id);
  const chain = verifyChain(events, snapshot.head ? { anchor: snapshot.head } : {});
  const view = documentView(id, snapshot.document, snapshot.incoming);
  const ownOrg = caller.actor.position.orgId;
  const mine = snapshot.incoming.find((r) => r.orgId === ownOrg);
  const seesAll = role !== 'recipient';
  const upload =
    snapshot.document?.state === 'DRAFT' && snapshot.upload && snapshot.document.drafterId === caller.actor.id
      ? await presignUpload(snapshot.upload.uploadKey)
      : undefined;
  return {
    id,
    state: view.state ?? (snapshot.upload ? 'AWAITING_CONTENT' : mine?.state),
    title:
      view.document?.subject ??
      mine?.subject ??
      (snapshot.upload?.metadata as CreateDocument | undefined)?.title,
    docType: view.document?.typeId ?? mine?.typeId,
    number: view.number,
    symbol: view.symbol ?? mine?.symbol,
    document: seesAll ? view.document : undefined,
    record: mine,
    signatures: view.signatures,
    deliveries: seesAll ? view.deliveries : undefined,
    incoming: seesAll ? view.incoming : undefined,
    log: events
      .filter((e) => seesAll || e.orgId === ownOrg || e.orgId === snapshot.document?.orgId)
      .map((e) => ({
        seq: e.seq,
        type: e.type,
        at: e.at,
        orgId: e.orgId,
        actor: e.actor,
        hash: e.hash,
        prevHash: e.prevHash,
        note: noteOf(e),
      })),
    chain: chain.ok
      ? { valid: true, length: chain.length }
      : { valid: false, atSeq: chain.atSeq, problem: chain.problem, message: chain.message },
    upload,
  };
}

/** The current PDF: the recipient's delivered version, or the sender's latest. */
export async function fileUrl(caller: Caller, id: string): Promise<string> {
  const snapshot = await loadVisible(caller, id);
  const mine = snapshot.incoming.find((r) => r.orgId === caller.actor.position.orgId);
  const sha = mine?.documentSha256 ?? snapshot.document?.documentSha256;
  if (!sha) throw new DomainError('upload_missing', 409);
  return presignRevisionDownload(id, sha, `${snapshot.document?.symbol ?? id}.pdf`.replace(/[^\w.-]/g, '_'));
}

function folderPartitions(caller: Caller, folder: Folder): string[] {
  const { orgId, unitCode } = caller.actor.position;
  if (folder !== 'assigned') return [`${orgId}#${folder}`];
  return [
    `${orgId}#assigned#person:${caller.actor.id}`,
    ...(unitCode ? [`${orgId}#assigned#unit:${unitCode}`] : []),
  ];
}

/** A search reads the folder newest first, this many entries per read, at most this many per request. */
const SEARCH_PAGE = 100;
const SEARCH_MAX_SCANNED = 2_000;

/**
 * Entries of one folder partition that match `q`, newest first: pages are read until `limit` entries match
 * or SEARCH_MAX_SCANNED were looked at (a page may then hold a few more than `limit`); the cursor goes on
 * from the last page read.
 */
async function searchInbox(
  folder: Folder,
  partition: string,
  q: string,
  limit: number,
  cursor: string | undefined,
) {
  const found: ReturnType<typeof summarise>[] = [];
  let next = cursor;
  let scanned = 0;
  let searchedThrough: string | undefined;
  do {
    const page = await listInbox(partition, SEARCH_PAGE, next);
    for (const entry of page.items) {
      const summary = summarise(entry, folder);
      searchedThrough = summary.updatedAt;
      if (matches(q, summary.symbol, summary.number, summary.title, summary.arrivalNumber))
        found.push(summary);
    }
    scanned += page.items.length;
    next = page.cursor;
  } while (next && found.length < limit && scanned < SEARCH_MAX_SCANNED);
  return { items: found, cursor: next, searchedThrough };
}

type InboxEntry = Awaited<ReturnType<typeof listInbox>>['items'][number];

function summarise(item: InboxEntry, folder: Folder) {
  return item.kind === 'outgoing'
    ? {
        id: item.doc.id,
        folder,
        title: item.doc.subject,
        docType: item.doc.typeId,
        urgency: item.doc.urgency,
        state: item.doc.state,
        number: item.doc.number === undefined ? undefined : String(item.doc.number).padStart(2, '0'),
        symbol: item.doc.symbol,
        issuedOn: item.doc.issuedOn,
        deadline: item.doc.dueDate,
        updatedAt: item.doc.updatedAt,
        senderOrgId: undefined,
        arrivalNumber: undefined,
      }
    : {
        id: item.record.documentId,
        folder,
        title: item.record.subject,
        docType: item.record.typeId,
        urgency: item.record.urgency,
        state: item.record.state,
        number: undefined,
        symbol: item.record.symbol,
        issuedOn: item.record.issuedOn,
        senderOrgId: item.record.senderOrgId,
        arrivalNumber: item.record.arrivalNumber,
        deadline: item.record.handlerDeadline ?? item.record.assignment?.deadline ?? item.record.dueDate,
        updatedAt: item.record.updatedAt,
      };
}

export async function inbox(
  caller: Caller,
  folder: Folder,
  limit: number,
  cursor: string | undefined,
  q?: string,
) {
  const [partition, ...others] = folderPartitions(caller, folder);
  if (!partition) return { folder, items: [], total: 0 };
  const total = (await Promise.all([partition, ...others].map(countInbox))).reduce((a, b) => a + b, 0);
  if (q) {
    // Unit assignments (a second partition, rare and small) are searched on the first page only.
    const [page, ...extra] = await Promise.all([
      searchInbox(folder, partition, q, limit, cursor),
      ...(cursor ? [] : others.map((p) => searchInbox(folder, p, q, limit, undefined))),
    ]);
    const items = [...(page?.items ?? []), ...extra.flatMap((p) => p.items)];
    return { folder, items, cursor: page?.cursor, total, searchedThrough: page?.searchedThrough };
  }
  // Unit assignments are a second partition: listed after the person's own (rare, small).
  const page = await listInbox(partition, limit, cursor);
  const extra = !cursor && others.length > 0 ? await Promise.all(others.map((p) => listInbox(p, limit))) : [];
  const items = [...page.items, ...extra.flatMap((p) => p.items)].map((item) => summarise(item, folder));
  return { folder, items, cursor: page.cursor, total };
}

export async function registerEntries(
  caller: Caller,
  register: 'outgoing' | 'incoming',
  query: { year?: number; orgId?: string },
) {
  const own = caller.actor.position.orgId;
  const orgId = query.orgId ?? own;
  if (orgId !== own && caller.actor.position.role !== 'auditor') throw notFound();
  caller.directory.get(orgId);
  const year = query.year ?? yearOf(new Date().toISOString());
  return { orgId, year, entries: await readRegister(register, orgId, year) };
}

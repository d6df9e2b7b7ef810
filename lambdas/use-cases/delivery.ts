import type { Actor } from '../core/domain/actor';
import { withOriginalRecipients } from '../core/domain/amendments';
import type { Caller } from '../core/domain/caller';
import { isOrganisationLeader, type RecipientTarget, resolveRecipientList } from '../core/domain/directory';
import type { EventDraft } from '../core/domain/events';
import { arriveIncoming, decideIncoming, type IncomingRecord } from '../core/domain/incoming';
import { decideOutgoing } from '../core/domain/outgoing';
import { outgoingRegisterEntry } from '../core/domain/registers';
import { documentNotFound } from '../core/domain/visibility';
import { DomainError } from '../core/errors';
import { messages, messageText, renderMessage } from '../core/i18n/messages';
import { canonicalize } from '../core/log/canonical-json';
import { logger } from '../observability/logger';
import { StoredFileAltered } from '../ports/files';
import type { SignatureCheck } from '../ports/signing';
import {
  assertWriter,
  type CirculationPorts,
  commit,
  loadVisible,
  logDecision,
  type SigningPorts,
  withRetries,
} from './context';
import { outgoingCommand } from './drafts';
import { type DocumentView, viewFor } from './read/document-view';

/*
 * Sending an issued document to its recipients and recalling it (D30 Art.17–18, PL VI III.8): the sender's
 * step first, then one arrival (or recall) per recipient, committed in batches that each fit one
 * transaction. Every step is safe to repeat: it only does what is still missing.
 */

/** Recipients per transaction: each costs an event and a record (≤ 100 items with the chain head). */
export const ARRIVALS_PER_TRANSACTION = 45;

const systemClerk = (orgId: string): Actor => ({
  id: 'docflow-system',
  name: 'docflow (kiểm tra tự động)',
  position: { orgId, role: 'clerk', title: 'Hệ thống' },
  delegations: [],
});

export async function send(
  ports: SigningPorts,
  caller: Caller,
  id: string,
  recipients: readonly RecipientTarget[] | undefined,
): Promise<DocumentView> {
  assertWriter(caller);
  await withRetries(async () => {
    const snapshot = await loadVisible(ports, caller, id);
    const doc = snapshot.document;
    if (!doc) throw documentNotFound();
    // A replacement or correction goes to every recipient of the document it names as well.
    const amended = doc.amends && (await ports.documents.read(doc.amends.documentId)).document;
    // A retried send (its first attempt's answer lost) completes the deliveries and answers with the
    // document, instead of refusing a send that already happened.
    const resolved = recipients && resolveRecipientList(caller.directory, doc.orgId, recipients);
    const sameSend =
      !resolved ||
      canonicalize(amended ? withOriginalRecipients(resolved, amended.recipients) : resolved) ===
        canonicalize(doc.recipients);
    if (doc.state === 'SENT' && sameSend) return;
    const decision = decideOutgoing(
      doc,
      { type: 'send', recipients: recipients && [...recipients] },
      caller.actor,
      ports.now(),
      { directory: caller.directory, ...(amended ? { amended } : {}) },
    );
    await commit(ports, {
      documentId: id,
      head: snapshot.head,
      events: decision.events,
      outgoing: { before: doc, after: decision.state },
    });
    logDecision(caller, id, decision.events);
  });
  await deliver(ports, caller, id);
  return viewFor(ports, caller, id);
}

/**
 * Delivers a sent document to every recipient that has no record yet. Each arrival is checked (every
 * signature verified once for all recipients); an invalid document is returned at once with the reason,
 * which the sender sees. Safe to call again: it only does what is missing. The send calls it, and the log's
 * stream calls it again for every `sent` event (handlers/delivery-completer.ts), so a send cut off half-way
 * is finished without a client coming back.
 */
export async function deliver(
  ports: {
    readonly documents: SigningPorts['documents'];
    readonly files: Pick<SigningPorts['files'], 'readRevision'>;
    readonly signing: Pick<SigningPorts['signing'], 'verify'>;
    readonly now: () => Date;
  },
  caller: Caller,
  id: string,
): Promise<void> {
  await deliverMissing(ports, caller, id);
  await recordAmendment(ports, caller, id);
}

/**
 * Once a replacing or correcting document is sent, the document it names records it (`replaced`, which
 * ends its force, or `corrected`), so that both show the link. Safe to call again: done once per document.
 * A document recalled or replaced by another in the meantime is left as it is (the send stands, logged).
 */
export async function recordAmendment(
  ports: Pick<CirculationPorts, 'documents' | 'now'>,
  caller: Caller,
  id: string,
): Promise<void> {
  const doc = (await ports.documents.read(id)).document;
  if (!doc?.amends || !doc.symbol || (doc.state !== 'SENT' && doc.state !== 'ARCHIVED')) return;
  const { kind, documentId } = doc.amends;
  const symbol = doc.symbol;
  await withRetries(async () => {
    const snapshot = await ports.documents.read(documentId);
    const original = snapshot.document;
    if (!original || original.amendedBy?.some((a) => a.documentId === id)) return;
    let decision: ReturnType<typeof decideOutgoing>;
    try {
      decision = decideOutgoing(
        original,
        kind === 'replaces'
          ? { type: 'replace', replacementDocumentId: id, symbol }
          : { type: 'correct', correctionDocumentId: id, symbol },
        caller.actor,
        ports.now(),
        { directory: caller.directory },
      );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      logger.warn('the document named by a sent replacement or correction was not marked', {
        documentId,
        by: id,
        code: error.code,
      });
      return;
    }
    // Its row of the outgoing register notes it too (the sealed-file index stays as the issue wrote it).
    const { sealedSha256: _, ...row } = outgoingRegisterEntry(decision.state, caller.directory);
    await commit(ports, {
      documentId,
      head: snapshot.head,
      events: decision.events,
      outgoing: { before: original, after: decision.state },
      ...(original.number ? { registerUpdates: [row] } : {}),
    });
    logDecision(caller, documentId, decision.events);
  });
}

async function deliverMissing(
  ports: Parameters<typeof deliver>[0],
  caller: Caller,
  id: string,
): Promise<void> {
  const snapshot = await ports.documents.read(id);
  const doc = snapshot.document;
  if (!doc || (doc.state !== 'SENT' && doc.state !== 'ARCHIVED')) return;
  const have = new Set(snapshot.incoming.map((r) => r.orgId));
  const missing = doc.recipients.filter((r) => !have.has(r.orgId)).map((r) => r.orgId);
  if (missing.length === 0) return;
  const now = ports.now();
  const check = await checkStored(ports, id, doc.documentSha256, now);
  for (let start = 0; start < missing.length; start += ARRIVALS_PER_TRANSACTION) {
    const batch = missing.slice(start, start + ARRIVALS_PER_TRANSACTION);
    await withRetries(async () => {
      const current = await ports.documents.read(id);
      const present = new Set(current.incoming.map((r) => r.orgId));
      const events: EventDraft[] = [];
      const incoming: { before: IncomingRecord | undefined; after: IncomingRecord }[] = [];
      for (const orgId of batch.filter((o) => !present.has(o))) {
        const arrival = arriveIncoming(doc, orgId, caller.actor, now, { directory: caller.directory });
        let record = arrival.state;
        events.push(...arrival.events);
        if (!check.valid) {
          // Written into the record, whose language is Vietnamese, like the notes people write.
          const reason = renderMessage('note_signatures_invalid', 'vi', {
            detail: check.detail ?? messageText('note_reason_unknown'),
          }).slice(0, 2000);
          const returned = decideIncoming(record, { type: 'return', reason }, systemClerk(orgId), now, {
            directory: caller.directory,
          });
          record = returned.state;
          events.push(...returned.events);
        }
        incoming.push({ before: undefined, after: record });
      }
      if (events.length === 0) return;
      await commit(ports, { documentId: id, head: current.head, events, incoming });
    });
  }
  logger.info('delivered', { documentId: id, recipients: missing.length, signaturesValid: check.valid });
}

/**
 * Every signature of the stored version checked, as a recipient's clerk checks an arrival; a version whose
 * bytes changed in storage after it was recorded fails the check (it is not what was signed and sealed).
 */
async function checkStored(
  ports: Parameters<typeof deliver>[0],
  id: string,
  sha256: string,
  now: Date,
): Promise<SignatureCheck> {
  try {
    return await ports.signing.verify(await ports.files.readRevision(id, sha256), now);
  } catch (error) {
    if (!(error instanceof StoredFileAltered)) throw error;
    return {
      valid: false,
      detail: messages.both('note_file_altered', { sha: sha256.slice(0, 12) }),
      signatures: [],
    };
  }
}

/**
 * Recalls an issued document (D30: frozen, recipients delete it and the sender is told): the sender's
 * document first, then every recipient's record that is still live, in batches like the deliveries.
 * Safe to call again: records already recalled (or returned) are left alone.
 */
export async function recall(
  ports: CirculationPorts,
  caller: Caller,
  id: string,
  reason: string,
): Promise<DocumentView> {
  const first = await loadVisible(ports, caller, id);
  if (first.access !== 'sender') {
    throw new DomainError('forbidden', 403, {
      reason: messageText('reason_issuer_recalls'),
    });
  }
  // A recall already made answers again (a retry) only to those who may recall; anyone else is refused by
  // the core as they would have been the first time.
  const recalled =
    first.document?.state === 'RECALLED' && isOrganisationLeader(caller.actor, first.document.orgId);
  if (!recalled) await outgoingCommand(ports, caller, id, { type: 'recall', reason });
  await completeRecall(ports, caller, id, reason);
  return viewFor(ports, caller, id);
}

/**
 * Recalls every recipient's record still live, in batches like the deliveries: the second half of a recall,
 * which the log's stream also drives (handlers/delivery-completer.ts), so a recall cut off half-way
 * finishes without anyone coming back. Records already recalled (or returned) are left alone.
 */
export async function completeRecall(
  ports: Pick<CirculationPorts, 'documents' | 'now'>,
  caller: Caller,
  id: string,
  reason: string,
): Promise<void> {
  const live = (record: IncomingRecord) => record.state !== 'RECALLED' && record.state !== 'RETURNED';
  const pending = (await ports.documents.read(id)).incoming.filter(live).map((r) => r.orgId);
  for (let start = 0; start < pending.length; start += ARRIVALS_PER_TRANSACTION) {
    const batch = new Set(pending.slice(start, start + ARRIVALS_PER_TRANSACTION));
    await withRetries(async () => {
      const snapshot = await ports.documents.read(id);
      const now = ports.now();
      const events: EventDraft[] = [];
      const incoming: { before: IncomingRecord; after: IncomingRecord }[] = [];
      for (const record of snapshot.incoming.filter((r) => batch.has(r.orgId) && live(r))) {
        const decision = decideIncoming(record, { type: 'recall', reason }, caller.actor, now, {
          directory: caller.directory,
        });
        events.push(...decision.events);
        incoming.push({ before: record, after: decision.state });
      }
      if (events.length > 0) await commit(ports, { documentId: id, head: snapshot.head, events, incoming });
    });
  }
  if (pending.length > 0)
    logger.info('recalled', { documentId: id, recipients: pending.length, actor: caller.actor.id });
}

import type { Caller } from '../domain/caller';
import type { IncomingRecord } from '../domain/incoming';
import { isJoint, issuersOf } from '../domain/joint';
import type { DraftMetadata, OutgoingDocument } from '../domain/outgoing';
import { audienceOf, type DocumentAccess, inShare, recordForSender } from '../domain/visibility';
import { verifyChain } from '../log/chain';
import type { CirculationEvent } from '../log/event';
import { documentView } from '../log/projection';
import { availableActions } from './available-actions';
import { type CallerDocumentView, type LogEntry, LogEntrySchema } from './document-view-schema';

/*
 * A document as one caller may see it: auditors see the whole circulation; its issuing organisation sees
 * its own steps, each recipient's receipt and status, never the recipients' internal notes; a recipient
 * sees its own record, the sender's public steps and its own (core/domain/visibility.ts). Pure: the read use
 * case gathers the stored state and the log.
 */

/** What is stored about the document that the view shows. */
export interface StoredDocumentState {
  readonly document?: OutgoingDocument;
  readonly incoming: readonly IncomingRecord[];
  readonly head?: { readonly seq: number; readonly hash: string };
  /** A draft whose file comes by upload: awaited (no document yet), or a new version of the draft. */
  readonly pendingUpload?: { readonly createdBy: string; readonly metadata: DraftMetadata };
}

/**
 * Why a step was taken, as its event records it: the reason of a return or a recall (also the automatic
 * return of a document whose signatures failed on arrival), the note of a submission, an approval, an assignment, a
 * resolution or a forward. The timeline shows it beside the step.
 */
function noteOf(event: CirculationEvent): string | undefined {
  // A tampered log may hold an event without a payload: the view still shows the rest.
  const payload: Readonly<Record<string, unknown>> | undefined = event.payload;
  const text = payload?.reason ?? payload?.note;
  if (typeof text === 'string') return text;
  // A replacement or correction: the number and symbol of the document that made it.
  if ((event.type === 'replaced' || event.type === 'corrected') && typeof payload?.symbol === 'string')
    return payload.symbol;
  // An approval carries its note inside the approval it records.
  const approval = payload?.approval;
  const note = typeof approval === 'object' && approval !== null ? Reflect.get(approval, 'note') : undefined;
  return typeof note === 'string' ? note : undefined;
}

/**
 * The view of the document for `caller`, with what they may do now (`now` judges delegations in force and
 * the issue date the clerk would stamp).
 */
export function documentViewFor(
  caller: Caller,
  access: DocumentAccess,
  id: string,
  stored: StoredDocumentState,
  events: readonly CirculationEvent[],
  now: Date,
): CallerDocumentView {
  const chain = verifyChain(events, stored.head ? { anchor: stored.head } : {});
  const view = documentView(id, stored.document, stored.incoming);
  const ownOrg = caller.actor.position.orgId;
  const mine = stored.incoming.find((r) => r.orgId === ownOrg);
  const seesAll = access !== 'recipient';
  const audience = audienceOf(caller, access, stored);
  const log: LogEntry[] = events
    .filter((e) => inShare(audience, e))
    .map((e) => ({
      seq: e.seq,
      type: e.type,
      at: e.at,
      orgId: e.orgId,
      actor: e.actor,
      hash: e.hash,
      prevHash: e.prevHash,
      note: noteOf(e),
    }));
  const { actions, capacities } = availableActions(
    caller,
    { documentId: id, document: stored.document, record: mine, pendingUpload: stored.pendingUpload },
    now,
  );
  return {
    id,
    state: view.state ?? (stored.pendingUpload ? 'AWAITING_CONTENT' : mine?.state),
    title: view.document?.subject ?? mine?.subject ?? stored.pendingUpload?.metadata.subject,
    docType: view.document?.typeId ?? mine?.typeId,
    number: view.number,
    symbol: view.symbol ?? mine?.symbol,
    // A joint document's issuers, the lead first: shown to everyone who sees it, recipients included.
    ...(stored.document && isJoint(stored.document) ? { issuers: issuersOf(stored.document) } : {}),
    document: seesAll ? view.document : undefined,
    record: mine,
    signatures: [...view.signatures],
    attachments: seesAll
      ? stored.document?.attachments
      : mine
        ? stored.document?.attachments?.filter((a) => a.sealedSha256)
        : undefined,
    deliveries: seesAll ? [...view.deliveries] : undefined,
    incoming:
      access === 'auditor'
        ? [...view.incoming]
        : access === 'sender'
          ? view.incoming.map(recordForSender)
          : undefined,
    // A broken chain may hold events that are not events at all: the timeline shows those that are, and
    // the chain check says where the log went wrong.
    ...((stored.document?.amends ?? mine?.amends) ? { amends: stored.document?.amends ?? mine?.amends } : {}),
    ...(stored.document?.amendedBy?.length ? { amendedBy: stored.document.amendedBy } : {}),
    log: chain.ok ? log : log.filter((entry) => LogEntrySchema.safeParse(entry).success),
    chain: chain.ok
      ? { valid: true, length: chain.length }
      : { valid: false, atSeq: chain.atSeq, problem: chain.problem, message: chain.message },
    actions,
    capacities,
  };
}

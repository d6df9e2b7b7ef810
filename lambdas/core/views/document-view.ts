import type { Caller } from '../domain/caller';
import type { IncomingRecord } from '../domain/incoming';
import type { OutgoingDocument } from '../domain/outgoing';
import type { DocumentAccess } from '../domain/visibility';
import { verifyChain } from '../log/chain';
import type { CirculationEvent } from '../log/event';
import { documentView } from '../log/projection';

/*
 * A document as one caller may see it: its issuing organisation and auditors see the whole circulation;
 * a recipient sees its own record, the sender's public steps and its own. Pure: the read use case gathers
 * the stored state and the log.
 */

/** What is stored about the document that the view shows. */
export interface StoredDocumentState {
  readonly document?: OutgoingDocument;
  readonly incoming: readonly IncomingRecord[];
  readonly head?: { readonly seq: number; readonly hash: string };
  /** The title of a draft whose file is still awaited. */
  readonly pendingTitle?: string;
  readonly awaitingContent: boolean;
}

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

export function documentViewFor(
  caller: Caller,
  access: DocumentAccess,
  id: string,
  stored: StoredDocumentState,
  events: readonly CirculationEvent[],
) {
  const chain = verifyChain(events, stored.head ? { anchor: stored.head } : {});
  const view = documentView(id, stored.document, stored.incoming);
  const ownOrg = caller.actor.position.orgId;
  const mine = stored.incoming.find((r) => r.orgId === ownOrg);
  const seesAll = access !== 'recipient';
  return {
    id,
    state: view.state ?? (stored.awaitingContent ? 'AWAITING_CONTENT' : mine?.state),
    title: view.document?.subject ?? mine?.subject ?? stored.pendingTitle,
    docType: view.document?.typeId ?? mine?.typeId,
    number: view.number,
    symbol: view.symbol ?? mine?.symbol,
    document: seesAll ? view.document : undefined,
    record: mine,
    signatures: view.signatures,
    deliveries: seesAll ? view.deliveries : undefined,
    incoming: seesAll ? view.incoming : undefined,
    log: events
      .filter((e) => seesAll || e.orgId === ownOrg || e.orgId === stored.document?.orgId)
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
  };
}

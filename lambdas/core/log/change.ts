import type { EventDraft } from '../domain/events';
import {
  assignedPartition,
  assigneeKeys,
  coIssuerPlaces,
  type InboxPlace,
  incomingPlace,
  outgoingPlace,
} from '../domain/inbox';
import type { IncomingRecord } from '../domain/incoming';
import type { NumberingSeries } from '../domain/numbering';
import type { OutgoingDocument } from '../domain/outgoing';
import type { RegisterEntry } from '../domain/registers';
import { appendAfter, type ChainHead } from './chain';
import { type CirculationEvent, CirculationEventSchema } from './event';

/*
 * One step of a document, as decided by the core: the events to append and the views they change, each
 * with the state it was read in (the store writes only if nothing changed since). `prepareChange` finishes
 * it: the events chained after the head, every view placed in its inbox. The store persists exactly that.
 */

export interface Change {
  readonly documentId: string;
  /** The chain head as read; the new events link to it. */
  readonly head: ChainHead | undefined;
  readonly events: readonly EventDraft[];
  readonly outgoing?: { readonly before: OutgoingDocument | undefined; readonly after: OutgoingDocument };
  readonly incoming?: readonly {
    readonly before: IncomingRecord | undefined;
    readonly after: IncomingRecord;
  }[];
  readonly series?: { readonly before: NumberingSeries | undefined; readonly after: NumberingSeries };
  readonly registerEntries?: readonly RegisterEntry[];
  /** Register rows written already, written again with what they note since (a replacement, a correction). */
  readonly registerUpdates?: readonly RegisterEntry[];
  /** Drops the pending-upload item once the draft exists. */
  readonly consumeUpload?: boolean;
  /** Drops the number reservation the change completes. */
  readonly consumeReservation?: boolean;
}

/** An assignment inbox entry of a recipient's record: kept, added or removed by a change. */
export interface AssignmentPlace extends InboxPlace {
  readonly assigneeKey: string;
}

export interface PreparedChange extends Omit<Change, 'events' | 'outgoing' | 'incoming'> {
  /** The events, chained and hashed, in order. */
  readonly events: readonly CirculationEvent[];
  /** Where the chain ends after the change (the head as read when there are no events). */
  readonly newHead: ChainHead | undefined;
  readonly outgoing?: {
    readonly before: OutgoingDocument | undefined;
    readonly after: OutgoingDocument;
    readonly place: InboxPlace;
    /** A joint document's entries in its co-issuers' folders, and the co-issuers a revision dropped. */
    readonly coIssuerPlaces: readonly (InboxPlace & { readonly orgId: string })[];
    readonly droppedCoIssuers: readonly string[];
  };
  readonly incoming: readonly {
    readonly before: IncomingRecord | undefined;
    readonly after: IncomingRecord;
    readonly place: InboxPlace;
    /** The record's "assigned" entries after the change. */
    readonly assignments: readonly AssignmentPlace[];
    /** Assignees whose entry the change removes. */
    readonly unassigned: readonly string[];
  }[];
}

export function prepareChange(change: Change): PreparedChange {
  const events = appendAfter(change.head, change.events).map((e) => CirculationEventSchema.parse(e));
  const last = events.at(-1);
  return {
    ...change,
    events,
    newHead: last ? { seq: last.seq, hash: last.hash } : change.head,
    outgoing: change.outgoing && {
      ...change.outgoing,
      place: outgoingPlace(change.outgoing.after),
      coIssuerPlaces: coIssuerPlaces(change.outgoing.after),
      droppedCoIssuers: (change.outgoing.before?.coIssuers ?? []).filter(
        (orgId) => !change.outgoing?.after.coIssuers?.includes(orgId),
      ),
    },
    incoming: (change.incoming ?? []).map(({ before, after }) => {
      const now = assigneeKeys(after);
      const old = before ? assigneeKeys(before) : [];
      const place = incomingPlace(after);
      return {
        before,
        after,
        place,
        assignments: now.map((key) => ({
          assigneeKey: key,
          partition: assignedPartition(after.orgId, key),
          sort: place.sort,
        })),
        unassigned: old.filter((key) => !now.includes(key)),
      };
    }),
  };
}

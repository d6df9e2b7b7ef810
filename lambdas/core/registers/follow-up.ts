import { hanoiDate as hanoiDateOf, type WorkingCalendar } from '../calendar/working-days';
import type { Directory } from '../domain/directory';
import { documentType } from '../domain/document-types';
import { currentHandler, type IncomingRecord } from '../domain/incoming';
import { handlingDeadline, overdueWorkingDays } from '../notifications/reminders';

/*
 * The follow-up register (sổ theo dõi giải quyết văn bản đến, Decree 30 Appendix IV): one row per registered
 * incoming document, from its record as the events left it — the assignment (bút phê), the handler now, the
 * deadline that binds the handler, how far it got and the reply that answered it. The rows carry facts only
 * (states, dates, ids and names); the table (table.ts) words them in the reader's language.
 */

export interface FollowUpRow {
  readonly documentId: string;
  readonly arrivalNumber: number;
  readonly arrivalYear: number;
  readonly arrivedOn: string;
  /** The issuing organisation: its id (filters) and its name (the form's "tác giả"). */
  readonly senderOrgId: string;
  readonly issuer: string;
  readonly symbol: string;
  readonly issuedOn: string;
  readonly docType: string;
  readonly subject: string;
  readonly urgency: IncomingRecord['urgency'];
  readonly state: IncomingRecord['state'];
  /** The person or unit handling it now (the form's "đơn vị hoặc người nhận"). */
  readonly handler?: { readonly kind: 'person' | 'unit'; readonly id: string; readonly name: string };
  /** Hà Nội date: the deadline that binds the handler now. */
  readonly deadline?: string;
  readonly resolvedOn?: string;
  /** Resolved on or before its deadline (undefined: no deadline, or not resolved). */
  readonly onTime?: boolean;
  /** Working days past the deadline, still open (0: not overdue). */
  readonly overdueDays: number;
  readonly replyDocumentId?: string;
  readonly replySymbol?: string;
  readonly forwardedOn?: string;
}

/** Registered states only: an arrived document not registered creates no duty (D30 Art.22.1), a returned one neither. */
export const isRegistered = (record: IncomingRecord) =>
  record.arrivalNumber !== undefined && record.state !== 'ARRIVED' && record.state !== 'RETURNED';

export function followUpRow(
  record: IncomingRecord,
  context: {
    readonly directory: Directory;
    readonly personName: (id: string) => string;
    /** Outgoing documents of the organisation: id → number and symbol (the reply's). */
    readonly replySymbol: (documentId: string) => string | undefined;
    readonly today: string;
    readonly calendar: WorkingCalendar;
  },
): FollowUpRow {
  const handler = currentHandler(record);
  const deadline = handlingDeadline(record);
  const resolvedOn = record.resolvedAt ? hanoiDateOf(record.resolvedAt) : undefined;
  const reply = record.replyDocumentId ? context.replySymbol(record.replyDocumentId) : undefined;
  return {
    documentId: record.documentId,
    arrivalNumber: record.arrivalNumber ?? 0,
    arrivalYear: record.arrivalYear ?? Number(hanoiDateOf(record.arrivedAt).slice(0, 4)),
    arrivedOn: record.arrivedAt,
    senderOrgId: record.senderOrgId,
    issuer: context.directory.find(record.senderOrgId)?.name ?? record.senderOrgId,
    symbol: record.symbol,
    issuedOn: record.issuedOn,
    docType: documentType(record.typeId).name,
    subject: record.subject,
    urgency: record.urgency,
    state: record.state,
    ...(handler
      ? {
          handler:
            handler.kind === 'person'
              ? { kind: 'person' as const, id: handler.personId, name: context.personName(handler.personId) }
              : { kind: 'unit' as const, id: handler.unitCode, name: handler.unitCode },
        }
      : {}),
    ...(deadline ? { deadline } : {}),
    ...(resolvedOn ? { resolvedOn } : {}),
    ...(resolvedOn && deadline ? { onTime: resolvedOn <= deadline } : {}),
    overdueDays: overdueWorkingDays(record, context.today, context.calendar),
    ...(record.replyDocumentId ? { replyDocumentId: record.replyDocumentId } : {}),
    ...(reply ? { replySymbol: reply } : {}),
    ...(record.forwardedAt ? { forwardedOn: hanoiDateOf(record.forwardedAt) } : {}),
  };
}

/** In the order of the book: year, then arrival number. */
export const byArrival = (a: FollowUpRow, b: FollowUpRow) =>
  a.arrivalYear - b.arrivalYear || a.arrivalNumber - b.arrivalNumber;

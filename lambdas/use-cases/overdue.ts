import { hanoiDate, vietnamCalendar, type WorkingCalendar } from '../core/calendar/working-days';
import type { Caller } from '../core/domain/caller';
import { currentHandler, type IncomingRecord } from '../core/domain/incoming';
import { accessOf } from '../core/domain/visibility';
import { handlingDeadline, overdueWorkingDays } from '../core/notifications/reminders';
import type { DirectoryRepository } from '../ports/directory';
import type { DocumentRepository } from '../ports/documents';

/*
 * The overdue view of an organisation (issue 16): what is past its handling deadline and not resolved, with
 * whom, and by how many working days. Read from the organisation's incoming folder (one index partition),
 * most overdue first; every record is checked by the rule every read applies.
 */

export interface OverduePorts {
  readonly documents: Pick<DocumentRepository, 'listInbox'>;
  readonly directory: Pick<DirectoryRepository, 'listPeople'>;
  readonly calendar?: WorkingCalendar;
  now(): Date;
}

export interface OverdueItem {
  readonly documentId: string;
  readonly symbol: string;
  readonly subject: string;
  readonly urgency: IncomingRecord['urgency'];
  readonly senderOrgId: string;
  readonly deadline: string;
  readonly state: IncomingRecord['state'];
  /** The person or unit handling it now, with a name to show. */
  readonly handler?: { kind: 'person' | 'unit'; id: string; name: string };
  readonly assignedBy?: { id: string; name: string };
  readonly overdueDays: number;
}

const PAGE = 100;

export async function overdueDocuments(
  ports: OverduePorts,
  caller: Caller,
): Promise<{ orgId: string; today: string; items: OverdueItem[] }> {
  const orgId = caller.actor.position.orgId;
  const today = hanoiDate(ports.now());
  const calendar = ports.calendar ?? vietnamCalendar;
  const items: OverdueItem[] = [];
  let names: Map<string, string> | undefined;
  const people = async () => {
    names ??= new Map((await ports.directory.listPeople()).map((p) => [p.id, p.name]));
    return names;
  };
  const nameOf = (id: string) => names?.get(id) ?? id;
  let cursor: string | undefined;
  do {
    const page = await ports.documents.listInbox(`${orgId}#incoming`, PAGE, cursor);
    for (const entry of page.items) {
      if (entry.kind !== 'incoming') continue;
      const record = entry.record;
      const days = overdueWorkingDays(record, today, calendar);
      if (days === 0 || !accessOf(caller, { incoming: [{ orgId: record.orgId }] })) continue;
      await people();
      const handler = currentHandler(record);
      items.push({
        documentId: record.documentId,
        symbol: record.symbol,
        subject: record.subject,
        urgency: record.urgency,
        senderOrgId: record.senderOrgId,
        deadline: handlingDeadline(record) ?? today,
        state: record.state,
        ...(handler
          ? {
              handler:
                handler.kind === 'person'
                  ? { kind: 'person' as const, id: handler.personId, name: nameOf(handler.personId) }
                  : { kind: 'unit' as const, id: handler.unitCode, name: handler.unitCode },
            }
          : {}),
        ...(record.assignedBy
          ? { assignedBy: { id: record.assignedBy, name: nameOf(record.assignedBy) } }
          : {}),
        overdueDays: days,
      });
    }
    cursor = page.cursor;
  } while (cursor);
  items.sort((a, b) => b.overdueDays - a.overdueDays || a.deadline.localeCompare(b.deadline));
  return { orgId, today, items };
}

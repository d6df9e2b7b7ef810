import { hanoiDate, vietnamCalendar, type WorkingCalendar } from '../../core/calendar/working-days';
import type { Caller } from '../../core/domain/caller';
import type { Person } from '../../core/domain/directory';
import type { IncomingRecord } from '../../core/domain/incoming';
import type { OutgoingState } from '../../core/domain/states';
import { byArrival, type FollowUpRow, followUpRow, isRegistered } from '../../core/registers/follow-up';
import type { DirectoryRepository } from '../../ports/directory';
import type { DocumentRepository } from '../../ports/documents';
import { registerEntries } from './registers';

/*
 * The follow-up register of an organisation (sổ theo dõi giải quyết văn bản đến): read from its incoming
 * folder, one index partition holding every incoming record of the organisation, whatever its state, in
 * pages of 100 — the cost of one request is that partition (every incoming record of the organisation,
 * all years) plus the outgoing register of each year asked for, for the replies' numbers. The period is
 * applied to the records' arrival dates afterwards (register-export.ts), as for the other registers.
 */

const PAGE = 100;

export interface FollowUpPorts {
  readonly documents: Pick<DocumentRepository, 'listInbox' | 'readRegister'>;
  readonly directory: Pick<DirectoryRepository, 'listPeople'>;
  readonly calendar?: WorkingCalendar;
  now(): Date;
}

/** Every registered incoming record of an organisation (its incoming folder: one index partition). */
export async function registeredRecords(ports: Pick<FollowUpPorts, 'documents'>, orgId: string) {
  const records: IncomingRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await ports.documents.listInbox(`${orgId}#incoming`, PAGE, cursor);
    for (const entry of page.items) {
      if (entry.kind === 'incoming' && isRegistered(entry.record)) records.push(entry.record);
    }
    cursor = page.cursor;
  } while (cursor);
  return records;
}

/**
 * The state and recipients now of every issued document of an organisation (its outgoing folder: one index
 * partition); the register row keeps those of the day it was issued, and recipients may be chosen later.
 */
export async function outgoingNow(ports: Pick<FollowUpPorts, 'documents'>, orgId: string) {
  const states = new Map<string, { state: OutgoingState; recipientOrgIds: string[] }>();
  let cursor: string | undefined;
  do {
    const page = await ports.documents.listInbox(`${orgId}#outgoing`, PAGE, cursor);
    for (const entry of page.items)
      if (entry.kind === 'outgoing')
        states.set(entry.doc.id, {
          state: entry.doc.state,
          recipientOrgIds: entry.doc.recipients.map((r) => r.orgId),
        });
    cursor = page.cursor;
  } while (cursor);
  return states;
}

export async function followUpEntries(
  ports: FollowUpPorts,
  caller: Caller,
  query: { orgId?: string; years: readonly number[] },
): Promise<{ orgId: string; today: string; entries: FollowUpRow[] }> {
  // The same reader's rule as the other registers (auditors any organisation's); the outgoing register
  // of each year gives the replies' numbers.
  const symbols = new Map<string, string>();
  let orgId = caller.actor.position.orgId;
  const thisYear = Number(hanoiDate(ports.now()).slice(0, 4));
  const years = new Set(query.years.length > 0 ? query.years : [thisYear]);
  // A reply is numbered when it is issued, possibly the year after the arrival.
  for (const y of [...years]) if (y < thisYear) years.add(y + 1);
  for (const year of years) {
    const read = await registerEntries(ports, caller, 'outgoing', { year, orgId: query.orgId });
    orgId = read.orgId;
    for (const row of read.entries) {
      if (typeof row.documentId === 'string' && typeof row.symbol === 'string')
        symbols.set(row.documentId, row.symbol);
    }
  }
  const today = hanoiDate(ports.now());
  let people: Map<string, string> | undefined;
  const records = await registeredRecords(ports, orgId);
  if (records.some((r) => r.handler?.kind === 'person' || r.assignment?.lead.kind === 'person')) {
    people = new Map((await ports.directory.listPeople()).map((p: Person) => [p.id, p.name]));
  }
  const entries = records
    .map((record) =>
      followUpRow(record, {
        directory: caller.directory,
        personName: (id) => people?.get(id) ?? id,
        replySymbol: (id) => symbols.get(id),
        today,
        calendar: ports.calendar ?? vietnamCalendar,
      }),
    )
    .sort(byArrival);
  return { orgId, today, entries };
}

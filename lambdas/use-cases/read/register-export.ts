import { hanoiDate, vietnamCalendar } from '../../core/calendar/working-days';
import type { Caller } from '../../core/domain/caller';
import { type DocumentTypeId, documentType, type Urgency } from '../../core/domain/document-types';
import { yearOf } from '../../core/domain/registers';
import { IncomingStateSchema, OutgoingStateSchema } from '../../core/domain/states';
import { DomainError } from '../../core/errors';
import type { Language } from '../../core/i18n/catalogue';
import { registerMessages } from '../../core/i18n/registers';
import { overdueWorkingDays } from '../../core/notifications/reminders';
import { printRegisterPdf } from '../../core/registers/pdf';
import {
  filterRegister,
  type RegisterTable,
  type RegisterView,
  registerTable,
  registerTableCsv,
} from '../../core/registers/table';
import type { DocumentRepository } from '../../ports/documents';
import { type FollowUpPorts, followUpEntries, outgoingNow, registeredRecords } from './follow-up';
import { registerEntries } from './registers';

/*
 * A register for a period, as the clerk prints and files it (Decree 30, Appendix IV): PDF (A4 landscape,
 * the organisation's heading, page numbers), CSV (UTF-8 with BOM) or XLSX, all from the one table of
 * core/registers/table.ts. The period may span years (each year has its own register), ten at most.
 */

const MAX_YEARS = 10;

export interface RegisterExportQuery {
  readonly year?: number;
  readonly orgId?: string;
  readonly from?: string;
  readonly to?: string;
  readonly docType?: DocumentTypeId;
  readonly urgency?: Urgency;
  readonly org?: string;
  readonly status?: string;
  readonly overdue?: 'true' | 'false';
  readonly q?: string;
}

export interface RegisterExportPorts {
  readonly documents: Pick<DocumentRepository, 'readRegister' | 'listInbox'>;
  readonly directory: FollowUpPorts['directory'];
  readonly now: () => Date;
  /** The TrueType fonts the PDF embeds (Tinos: Vietnamese coverage). */
  readonly fonts: () => Promise<{ regular: Uint8Array; bold: Uint8Array }>;
  /** The XLSX writer (a library the `inbox` function carries). */
  readonly xlsx: (table: RegisterTable, heading: readonly string[]) => Promise<Uint8Array>;
}

export async function registerForPeriod(
  ports: RegisterExportPorts,
  caller: Caller,
  kind: RegisterView,
  query: RegisterExportQuery,
  language: Language,
) {
  const refuse = (
    code:
      | 'period_too_long'
      | 'period_reversed'
      | 'unknown_org'
      | 'overdue_incoming_only'
      | 'status_of_other_register',
  ) =>
    new DomainError('validation_failed', 400, {
      detail: registerMessages.both(code, { years: MAX_YEARS, org: query.org ?? '' }),
    });
  if (query.from && query.to && query.from > query.to) throw refuse('period_reversed');
  const filterOrg = query.org ? caller.directory.find(query.org) : undefined;
  if (query.org && !filterOrg) throw refuse('unknown_org');
  if (kind === 'outgoing' && query.overdue) throw refuse('overdue_incoming_only');
  const statusFits =
    !query.status ||
    (kind === 'outgoing' ? OutgoingStateSchema : IncomingStateSchema).safeParse(query.status).success;
  if (!statusFits) throw refuse('status_of_other_register');
  const fallbackYear = query.year ?? Number((query.from ?? query.to)?.slice(0, 4) ?? Number.NaN);
  const first = query.from ? Number(query.from.slice(0, 4)) : undefined;
  const last = query.to ? Number(query.to.slice(0, 4)) : undefined;
  const years: number[] = [];
  let orgId = caller.actor.position.orgId;
  if (first !== undefined || last !== undefined) {
    const start = first ?? last ?? 0;
    const end = last ?? first ?? 0;
    if (end - start + 1 > MAX_YEARS) throw refuse('period_too_long');
    for (let y = start; y <= end; y++) years.push(y);
  }
  const rows: Record<string, unknown>[] = [];
  if (kind === 'follow-up') {
    if (years.length === 0)
      years.push(Number.isNaN(fallbackYear) ? yearOf(ports.now().toISOString()) : fallbackYear);
    const read = await followUpEntries(ports, caller, { orgId: query.orgId, years });
    orgId = read.orgId;
    // The year's book: what arrived in the years asked for.
    rows.push(...read.entries.filter((row) => years.includes(row.arrivalYear)).map((row) => ({ ...row })));
  } else {
    for (const year of years.length > 0 ? years : [Number.isNaN(fallbackYear) ? undefined : fallbackYear]) {
      const read = await registerEntries(ports, caller, kind, { year, orgId: query.orgId });
      orgId = read.orgId;
      if (years.length === 0) years.push(read.year);
      rows.push(...read.entries.map((entry) => ({ ...entry })));
    }
  }
  if (
    kind === 'outgoing' ? query.status || query.org : kind === 'incoming' && (query.status || query.overdue)
  ) {
    // The stored registers record what was registered, not what became of it: join each row with the
    // document's state now (outgoing: and its recipients, chosen when sent; incoming: how overdue it is),
    // read from the organisation's folder — one more index partition read, only when such a filter is asked.
    if (kind === 'outgoing') {
      const docs = await outgoingNow(ports, orgId);
      for (const row of rows) {
        const doc = docs.get(String(row.documentId));
        if (!doc) continue;
        row.state = doc.state;
        row.recipientOrgIds = doc.recipientOrgIds;
      }
    } else {
      const today = hanoiDate(ports.now());
      const records = new Map((await registeredRecords(ports, orgId)).map((r) => [r.documentId, r]));
      for (const row of rows) {
        const record = records.get(String(row.documentId));
        if (!record) continue;
        row.state = record.state;
        row.overdueDays = overdueWorkingDays(record, today, vietnamCalendar);
      }
    }
  }
  const filtered = filterRegister(kind, rows, {
    from: query.from,
    to: query.to,
    docTypeName: query.docType ? documentType(query.docType).name : undefined,
    urgency: query.urgency,
    org: filterOrg ? { id: filterOrg.id, name: filterOrg.name } : undefined,
    status: query.status,
    overdue: query.overdue === undefined ? undefined : query.overdue === 'true',
    q: query.q,
  });
  const org = caller.directory.get(orgId);
  const parent = org.parentId ? caller.directory.find(org.parentId) : undefined;
  const heading = [...(parent ? [parent.name] : []), org.name];
  const table = registerTable(
    kind,
    filtered,
    { year: years[0] ?? 0, from: query.from, to: query.to },
    language,
  );
  return { orgId, years, heading, table, entries: filtered };
}

const FILE_NAMES: Record<RegisterView, string> = {
  outgoing: 'so-van-ban-di',
  incoming: 'so-van-ban-den',
  'follow-up': 'so-theo-doi-giai-quyet',
};

export const exportName = (kind: RegisterView, orgId: string, years: readonly number[], ext: string) =>
  `${FILE_NAMES[kind]}-${orgId}-${years[0]}${years.length > 1 ? `-${years.at(-1)}` : ''}.${ext}`;

export async function registerPdf(
  ports: RegisterExportPorts,
  heading: readonly string[],
  table: RegisterTable,
  language: Language,
) {
  return printRegisterPdf({
    heading,
    title: table.title,
    subtitle: table.subtitle,
    columns: table.columns,
    rows: table.rows,
    empty: registerMessages.render('empty', language),
    pageLabel: (page, pages) => registerMessages.render('page', language, { page, pages }),
    fonts: await ports.fonts(),
  });
}

export { registerTableCsv };

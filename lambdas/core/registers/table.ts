import type { Urgency } from '../domain/document-types';
import type { RegisterKind } from '../domain/registers';
import type { Language } from '../i18n/catalogue';
import { type RegisterMessageCode, registerMessages } from '../i18n/registers';
import { matches } from '../text/search';

/*
 * A register as Decree 30's forms lay it out (Appendix IV: sổ đăng ký văn bản đi, sổ đăng ký văn bản đến),
 * one table for every export (PDF, CSV, XLSX): the columns of the form docflow has data for, in the
 * reader's language, and the rows of a period. Dates are Hà Nội dates, written dd/mm/yyyy.
 */

export type RegisterRow = Readonly<Record<string, unknown>>;

/** The stored registers, and the follow-up register read from the incoming records (follow-up.ts). */
export type RegisterView = RegisterKind | 'follow-up';

export interface RegisterTable {
  readonly title: string;
  readonly subtitle: string;
  readonly columns: readonly { readonly header: string; readonly width: number }[];
  readonly rows: readonly (readonly string[])[];
}

export interface RegisterFilter {
  /** Hà Nội calendar dates, inclusive. */
  readonly from?: string;
  readonly to?: string;
  /** The type's name as the register records it (`Quyết định`). */
  readonly docTypeName?: string;
  readonly urgency?: Urgency;
  /**
   * One organisation, exactly: the sender (incoming, follow-up) or one of the recipients (outgoing), by its
   * id where the row records it, else by the name the row was registered with (rows written before ids).
   */
  readonly org?: { readonly id: string; readonly name: string };
  /** The document's state at the organisation (rows joined with their state: register-export.ts). */
  readonly status?: string;
  /** Past its handling deadline and still open (true), or not (false). */
  readonly overdue?: boolean;
  /** Words of the number and symbol, type or summary, with or without diacritics. */
  readonly q?: string;
}

function fromOrg(kind: RegisterView, row: RegisterRow, org: { id: string; name: string }): boolean {
  if (kind === 'outgoing') {
    if (Array.isArray(row.recipientOrgIds)) return row.recipientOrgIds.includes(org.id);
    return Array.isArray(row.recipients) && row.recipients.includes(org.name);
  }
  return typeof row.senderOrgId === 'string' ? row.senderOrgId === org.id : row.issuer === org.name;
}

const t = (code: RegisterMessageCode, language: Language, params?: Record<string, string | number>) =>
  registerMessages.render(code, language, params);

const str = (value: unknown) =>
  typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);

/** `2026-03-05` → `05/03/2026`. */
export const dayMonthYear = (date: string) => {
  const [y, m, d] = date.slice(0, 10).split('-');
  return y && m && d ? `${d}/${m}/${y}` : date;
};

/** The Hà Nội calendar date of an instant (UTC+7, no daylight saving). */
export const hanoiDate = (instant: string) =>
  new Date(new Date(instant).getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

/** The date a row is registered under: its issue date (outgoing) or its arrival date (incoming). */
export const registerDate = (kind: RegisterView, row: RegisterRow): string =>
  kind === 'outgoing' ? str(row.issuedOn) : row.arrivedOn ? hanoiDate(str(row.arrivedOn)) : '';

export function filterRegister(kind: RegisterView, rows: readonly RegisterRow[], filter: RegisterFilter) {
  return rows.filter((row) => {
    const date = registerDate(kind, row);
    if (filter.from && date < filter.from) return false;
    if (filter.to && date > filter.to) return false;
    if (filter.docTypeName && row.docType !== filter.docTypeName) return false;
    if (filter.urgency && row.urgency !== filter.urgency) return false;
    if (filter.org && !fromOrg(kind, row, filter.org)) return false;
    if (filter.status && row.state !== filter.status) return false;
    if (filter.overdue !== undefined && Number(row.overdueDays ?? 0) > 0 !== filter.overdue) return false;
    if (
      filter.q &&
      !matches(
        filter.q,
        str(row.symbol),
        str(row.number),
        str(row.arrivalNumber),
        str(row.docType),
        str(row.subject),
      )
    )
      return false;
    return true;
  });
}

const urgencyNote = (value: unknown, language: Language) =>
  value && value !== 'normal' ? t(`urgency_${value as Urgency}`, language) : '';

/** "Thay thế văn bản số …" / "Đã bị thay thế bởi văn bản số …" and the same for corrections. */
function amendmentNotes(row: RegisterRow, language: Language): string[] {
  const notes: string[] = [];
  const one = (value: unknown): { kind: string; symbol: string } | undefined =>
    typeof value === 'object' && value !== null && 'kind' in value && 'symbol' in value
      ? { kind: str(value.kind), symbol: str(value.symbol) }
      : undefined;
  const amends = one(row.amends);
  if (amends)
    notes.push(
      t(amends.kind === 'replaces' ? 'note_replaces' : 'note_corrects', language, { symbol: amends.symbol }),
    );
  for (const by of Array.isArray(row.amendedBy) ? row.amendedBy.map(one) : [])
    if (by)
      notes.push(
        t(by.kind === 'replaces' ? 'note_replaced_by' : 'note_corrected_by', language, { symbol: by.symbol }),
      );
  return notes;
}

export function registerTable(
  kind: RegisterView,
  rows: readonly RegisterRow[],
  period: { year: number; from?: string; to?: string },
  language: Language,
): RegisterTable {
  const subtitle =
    period.from || period.to
      ? t('period_range', language, {
          from: dayMonthYear(period.from ?? `${period.year}-01-01`),
          to: dayMonthYear(period.to ?? `${period.year}-12-31`),
        })
      : t('period_year', language, { year: period.year });
  const typeSubject = (row: RegisterRow) => [str(row.docType), str(row.subject)].filter(Boolean).join(': ');
  if (kind === 'follow-up') return followUpTable(rows, subtitle, language);
  if (kind === 'outgoing') {
    return {
      title: t('title_outgoing', language),
      subtitle,
      columns: [
        { header: t('col_symbol', language), width: 12 },
        { header: t('col_issuedOn', language), width: 9 },
        { header: t('col_typeSubject', language), width: 30 },
        { header: t('col_signer', language), width: 18 },
        { header: t('col_recipients', language), width: 22 },
        { header: t('col_notes', language), width: 9 },
      ],
      rows: rows.map((row) => [
        str(row.symbol) || str(row.number),
        row.issuedOn ? dayMonthYear(str(row.issuedOn)) : '',
        typeSubject(row),
        str(row.signer),
        Array.isArray(row.recipients) ? row.recipients.map(str).join('; ') : str(row.recipients),
        [
          urgencyNote(row.urgency, language),
          Array.isArray(row.attachments) && row.attachments.length > 0
            ? t('note_attachments', language, { count: row.attachments.length })
            : '',
          ...amendmentNotes(row, language),
        ]
          .filter(Boolean)
          .join('; '),
      ]),
    };
  }
  return {
    title: t('title_incoming', language),
    subtitle,
    columns: [
      { header: t('col_arrivedOn', language), width: 9 },
      { header: t('col_arrivalNumber', language), width: 7 },
      { header: t('col_issuer', language), width: 20 },
      { header: t('col_symbol', language), width: 12 },
      { header: t('col_issuedOn', language), width: 9 },
      { header: t('col_typeSubject', language), width: 34 },
      { header: t('col_notes', language), width: 9 },
    ],
    rows: rows.map((row) => [
      row.arrivedOn ? dayMonthYear(hanoiDate(str(row.arrivedOn))) : '',
      str(row.arrivalNumber ?? row.number),
      str(row.issuer),
      str(row.symbol),
      row.issuedOn ? dayMonthYear(str(row.issuedOn)) : '',
      typeSubject(row),
      [urgencyNote(row.urgency, language), ...amendmentNotes(row, language)].filter(Boolean).join('; '),
    ]),
  };
}

const arrivalDay = (row: RegisterRow) => (row.arrivedOn ? dayMonthYear(hanoiDate(str(row.arrivedOn))) : '');

function followUpProgress(row: RegisterRow, language: Language): string {
  const state = str(row.state);
  if (state === 'RESOLVED')
    return t('progress_RESOLVED', language, { date: dayMonthYear(str(row.resolvedOn)) });
  if (state === 'FORWARDED')
    return t('progress_FORWARDED', language, { date: dayMonthYear(str(row.forwardedOn)) });
  const known = ['REGISTERED', 'PRESENTED', 'ASSIGNED', 'IN_PROGRESS', 'RECALLED'] as const;
  const code = known.find((k) => k === state);
  return code ? t(`progress_${code}`, language) : state;
}

function followUpTable(rows: readonly RegisterRow[], subtitle: string, language: Language): RegisterTable {
  return {
    title: t('title_follow-up', language),
    subtitle,
    columns: [
      { header: t('col_arrivalNumber', language), width: 5 },
      { header: t('col_arrivedOn', language), width: 7 },
      { header: t('col_issuer', language), width: 13 },
      { header: t('col_symbol', language), width: 9 },
      { header: t('col_issuedOn', language), width: 7 },
      { header: t('col_subject', language), width: 20 },
      { header: t('col_handler', language), width: 11 },
      { header: t('col_deadline', language), width: 7 },
      { header: t('col_progress', language), width: 11 },
      { header: t('col_reply', language), width: 9 },
      { header: t('col_notes', language), width: 8 },
    ],
    rows: rows.map((row) => {
      const handler = row.handler as { name?: unknown } | undefined;
      const overdue = Number(row.overdueDays ?? 0);
      return [
        str(row.arrivalNumber),
        arrivalDay(row),
        str(row.issuer),
        str(row.symbol),
        row.issuedOn ? dayMonthYear(str(row.issuedOn)) : '',
        [str(row.docType), str(row.subject)].filter(Boolean).join(': '),
        handler ? str(handler.name) : '',
        row.deadline ? dayMonthYear(str(row.deadline)) : '',
        followUpProgress(row, language),
        str(row.replySymbol),
        [
          urgencyNote(row.urgency, language),
          overdue > 0 ? t('note_overdue', language, { days: overdue }) : '',
          row.onTime === false ? t('note_late', language) : '',
        ]
          .filter(Boolean)
          .join('; '),
      ];
    }),
  };
}

/** CSV of the table, with a BOM so that spreadsheet software reads the Vietnamese as UTF-8. */
export function registerTableCsv(table: RegisterTable): string {
  const cell = (text: string) => (/[",\n\r;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const lines = [table.columns.map((c) => cell(c.header)), ...table.rows.map((row) => row.map(cell))];
  return `\ufeff${lines.map((line) => line.join(',')).join('\r\n')}\r\n`;
}

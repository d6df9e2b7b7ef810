import * as z from 'zod';
import { CalendarDateSchema, OrgIdSchema } from './common';
import { type DocumentTypeId, documentType } from './document-types';

/**
 * Numbers and dates of documents (D30 Art.15, 22 and PL I).
 *
 * One general series per organisation and calendar year counts the documents it issues, from 01 on
 * 1 January; one arrival series per organisation and year counts the documents it registers as incoming
 * (số đến). Separate series for normative legal documents, secret documents or advisory bodies are not
 * modelled. Years, dates and the turn of the year are in Vietnam time (UTC+7, no daylight saving).
 */

export const SeriesKindSchema = z.enum(['general', 'arrival']);
export type SeriesKind = z.infer<typeof SeriesKindSchema>;

export const NumberingSeriesSchema = z.object({
  /** `orgId#year` for the general series, `orgId#year#arrival` for the arrival series. */
  key: z.string().min(1),
  orgId: OrgIdSchema,
  year: z.int().min(2000).max(9999),
  kind: SeriesKindSchema,
  /** The last number given out (0 for a series not used yet). */
  lastNumber: z.int().min(0),
});
export type NumberingSeries = z.infer<typeof NumberingSeriesSchema>;

const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

export interface VietnamDate {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  readonly day: number;
}

/** The calendar date in Vietnam (UTC+7) at an instant. */
export function vietnamDate(at: Date): VietnamDate {
  const shifted = new Date(at.getTime() + VIETNAM_OFFSET_MS);
  if (Number.isNaN(shifted.getTime())) throw new RangeError('invalid date');
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD` of the Vietnam calendar date at an instant. */
export function vietnamCalendarDate(at: Date): string {
  const { year, month, day } = vietnamDate(at);
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** Parses `YYYY-MM-DD`. */
export function parseCalendarDate(text: string): VietnamDate {
  const date = CalendarDateSchema.parse(text);
  const [year, month, day] = date.split('-').map(Number);
  return { year: year ?? 0, month: month ?? 0, day: day ?? 0 };
}

export function seriesKey(orgId: string, year: number, kind: SeriesKind = 'general'): string {
  return kind === 'general' ? `${orgId}#${year}` : `${orgId}#${year}#arrival`;
}

/** The key of the series that numbers a document of `orgId` at instant `at`. */
export function seriesKeyAt(orgId: string, at: Date, kind: SeriesKind = 'general'): string {
  return seriesKey(orgId, vietnamDate(at).year, kind);
}

export function emptySeries(orgId: string, year: number, kind: SeriesKind = 'general'): NumberingSeries {
  return { key: seriesKey(orgId, year, kind), orgId, year, kind, lastNumber: 0 };
}

export interface Allocation {
  readonly number: number;
  readonly year: number;
  /** The series after this allocation (store it on the condition that the old `lastNumber` is unchanged). */
  readonly series: NumberingSeries;
}

/**
 * The next number of the organisation's series at `at`. `current` is the stored series (for any year) or
 * undefined; a series of an earlier year is left behind and the new year starts at 1. A series of another
 * organisation or kind, or of a later year, is a caller bug.
 */
export function allocateNumber(
  current: NumberingSeries | undefined,
  orgId: string,
  kind: SeriesKind,
  at: Date,
): Allocation {
  const { year } = vietnamDate(at);
  if (current && (current.orgId !== orgId || current.kind !== kind))
    throw new Error(`series ${current.key} does not number ${kind} documents of ${orgId}`);
  if (current && current.year > year) throw new Error(`series ${current.key} is later than ${year}`);
  const base = current && current.year === year ? current : emptySeries(orgId, year, kind);
  const number = base.lastNumber + 1;
  return { number, year, series: { ...base, lastNumber: number } };
}

/** The number as written: a leading zero below 10 (`01` … `09`, `10`, `125`). */
export function formatNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`a document number is a positive integer, got ${n}`);
  return n < 10 ? `0${n}` : String(n);
}

export interface SymbolParts {
  readonly number: number;
  readonly typeId: DocumentTypeId;
  /** The issuer's abbreviation (`UBND`, `SNV`). */
  readonly issuerCode: string;
  /** The drafting unit or field (`VX`), used by a công văn only. */
  readonly draftingUnitCode?: string | undefined;
}

/** Ký hiệu without the number: `QĐ-UBND`; a công văn `UBND-VX` (or `UBND` without a drafting unit). */
export function formatNotation(parts: Omit<SymbolParts, 'number'>): string {
  const { abbreviation } = documentType(parts.typeId);
  if (abbreviation === null)
    return parts.draftingUnitCode ? `${parts.issuerCode}-${parts.draftingUnitCode}` : parts.issuerCode;
  return `${abbreviation}-${parts.issuerCode}`;
}

/** Số, ký hiệu: `01/QĐ-UBND`, `12/UBND-VX`. */
export function formatSymbol(parts: SymbolParts): string {
  return `${formatNumber(parts.number)}/${formatNotation(parts)}`;
}

/**
 * The place and date line: `Hà Nội, ngày 05 tháng 01 năm 2026`. Days below 10 and the months 1 and 2 take a
 * leading zero (D30 PL I §I.4); other months do not (`tháng 3`). A `Date` is read in Vietnam time.
 */
export function formatDateLine(placeName: string, date: Date | VietnamDate): string {
  const { year, month, day } = date instanceof Date ? vietnamDate(date) : date;
  const monthText = month <= 2 ? pad2(month) : String(month);
  return `${placeName}, ngày ${pad2(day)} tháng ${monthText} năm ${year}`;
}

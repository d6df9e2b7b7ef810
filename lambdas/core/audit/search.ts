import type { Directory } from '../domain/directory';
import { vietnamCalendarDate } from '../domain/numbering';
import { yearOf } from '../domain/registers';
import { DomainError } from '../errors';
import { auditRefusal } from '../i18n/reports';
import { fold } from '../text/search';

/*
 * Auditor search over what the views table can answer without a scan: the outgoing registers (sổ văn bản
 * đi), one partition per organisation and year, keyed by number. So: issued documents only (drafts and
 * documents that never got a number are not in a register), by issuing organisation, by issue date (the
 * years of the range are read whole, then filtered), by signer (the register row's signer text: capacity
 * lines and name), by number or symbol. Without orgId every organisation's register is read (≈ 140
 * queries a year): fine for an audit, not for a dashboard. Results are capped.
 */

export interface AuditSearch {
  readonly orgId?: string;
  /** YYYY-MM-DD, inclusive; issue dates are Vietnam calendar dates. */
  readonly from?: string;
  readonly to?: string;
  readonly signer?: string;
  /** A number (`15`) or a symbol or part of one (`15/QĐ-UBND`). */
  readonly number?: string;
  readonly limit?: number;
}

export interface AuditHit {
  readonly documentId: string;
  readonly orgId: string;
  readonly number: number;
  readonly symbol: string | null;
  readonly issuedOn: string | null;
  readonly docType: string | null;
  readonly subject: string | null;
  readonly signer: string | null;
}

const MAX_YEARS = 10;

/** Which registers to read (organisations × years), how many hits to keep, and which rows are hits. */
export interface AuditSearchPlan {
  readonly orgIds: readonly string[];
  readonly years: readonly number[];
  readonly limit: number;
  matches(hit: AuditHit): boolean;
}

/** The plan of a search made `today` (an ISO time): by default, this year up to today, in Hà Nội. */
export function planAuditSearch(query: AuditSearch, directory: Directory, today: string): AuditSearchPlan {
  const from = query.from ?? `${yearOf(today)}-01-01`;
  // Hà Nội's date, as registers date their rows: from 17:00 UTC it is already tomorrow there.
  const to = query.to ?? vietnamCalendarDate(new Date(today));
  if (from > to)
    throw new DomainError('validation_failed', 400, {
      detail: auditRefusal('invalid_period_reversed', { from, to }),
    });
  const firstYear = Number(from.slice(0, 4));
  const lastYear = Number(to.slice(0, 4));
  if (lastYear - firstYear + 1 > MAX_YEARS)
    throw new DomainError('validation_failed', 400, {
      detail: auditRefusal('invalid_period_too_long', { years: MAX_YEARS }),
    });
  const years = Array.from({ length: lastYear - firstYear + 1 }, (_, i) => firstYear + i);
  const orgIds = query.orgId ? [directory.get(query.orgId).id] : directory.organisations.map((o) => o.id);
  const signer = query.signer ? fold(query.signer) : undefined;
  const number = query.number?.trim();
  return {
    orgIds,
    years,
    limit: Math.min(query.limit ?? 200, 1000),
    matches: (hit) => {
      if (hit.issuedOn && (hit.issuedOn < from || hit.issuedOn > to)) return false;
      if (signer && !fold(hit.signer ?? '').includes(signer)) return false;
      if (
        number &&
        !(/^\d+$/.test(number) ? hit.number === Number(number) : (hit.symbol ?? '').includes(number))
      )
        return false;
      return true;
    },
  };
}

/** A row of an organisation's outgoing register, as a hit. */
export function auditHit(orgId: string, row: Record<string, unknown>): AuditHit {
  return {
    documentId: String(row.documentId),
    orgId,
    number: Number(row.number),
    symbol: typeof row.symbol === 'string' ? row.symbol : null,
    issuedOn: typeof row.issuedOn === 'string' ? row.issuedOn : null,
    docType: typeof row.docType === 'string' ? row.docType : null,
    subject: typeof row.subject === 'string' ? row.subject : null,
    signer: typeof row.signer === 'string' ? row.signer : null,
  };
}

/** Latest issue date first, then the higher number. */
export function newestFirst(a: AuditHit, b: AuditHit): number {
  return (b.issuedOn ?? '') !== (a.issuedOn ?? '')
    ? (b.issuedOn ?? '') < (a.issuedOn ?? '')
      ? -1
      : 1
    : b.number - a.number;
}

import { readRegister } from '../adapters/document-store';
import type { Caller } from '../core/domain/caller';
import { yearOf } from '../core/domain/registers';
import { DomainError } from '../core/errors';
import { messageText } from '../core/i18n/messages';

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
const fold = (s: string) =>
  s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();

export async function searchDocuments(
  caller: Caller,
  query: AuditSearch,
): Promise<{ items: AuditHit[]; truncated: boolean; years: number[]; organisations: number }> {
  if (caller.actor.position.role !== 'auditor')
    throw new DomainError('forbidden', 403, {
      reason: messageText('reason_auditors_search'),
    });
  const today = new Date().toISOString();
  const from = query.from ?? `${yearOf(today)}-01-01`;
  const to = query.to ?? today.slice(0, 10);
  if (from > to)
    throw new DomainError('validation_failed', 400, {
      detail: messageText('invalid_period_reversed', { from, to }),
    });
  const firstYear = Number(from.slice(0, 4));
  const lastYear = Number(to.slice(0, 4));
  if (lastYear - firstYear + 1 > MAX_YEARS)
    throw new DomainError('validation_failed', 400, {
      detail: messageText('invalid_period_too_long', { years: MAX_YEARS }),
    });
  const years = Array.from({ length: lastYear - firstYear + 1 }, (_, i) => firstYear + i);
  const orgIds = query.orgId
    ? [caller.directory.get(query.orgId).id]
    : caller.directory.organisations.map((o) => o.id);
  const limit = Math.min(query.limit ?? 200, 1000);
  const signer = query.signer ? fold(query.signer) : undefined;
  const number = query.number?.trim();

  const partitions = orgIds.flatMap((orgId) => years.map((year) => ({ orgId, year })));
  const hits: AuditHit[] = [];
  // A few queries at a time: enough to be quick, not enough to throttle anyone else.
  for (let start = 0; start < partitions.length; start += 16) {
    const pages = await Promise.all(
      partitions
        .slice(start, start + 16)
        .map(async ({ orgId, year }) => ({ orgId, rows: await readRegister('outgoing', orgId, year) })),
    );
    for (const { orgId, rows } of pages) {
      for (const row of rows) {
        const hit: AuditHit = {
          documentId: String(row.documentId),
          orgId,
          number: Number(row.number),
          symbol: typeof row.symbol === 'string' ? row.symbol : null,
          issuedOn: typeof row.issuedOn === 'string' ? row.issuedOn : null,
          docType: typeof row.docType === 'string' ? row.docType : null,
          subject: typeof row.subject === 'string' ? row.subject : null,
          signer: typeof row.signer === 'string' ? row.signer : null,
        };
        if (hit.issuedOn && (hit.issuedOn < from || hit.issuedOn > to)) continue;
        if (signer && !fold(hit.signer ?? '').includes(signer)) continue;
        if (
          number &&
          !(/^\d+$/.test(number) ? hit.number === Number(number) : (hit.symbol ?? '').includes(number))
        )
          continue;
        hits.push(hit);
      }
    }
  }
  hits.sort((a, b) =>
    (b.issuedOn ?? '') !== (a.issuedOn ?? '')
      ? (b.issuedOn ?? '') < (a.issuedOn ?? '')
        ? -1
        : 1
      : b.number - a.number,
  );
  return { items: hits.slice(0, limit), truncated: hits.length > limit, years, organisations: orgIds.length };
}

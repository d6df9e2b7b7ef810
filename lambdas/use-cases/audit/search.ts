import {
  type AuditHit,
  type AuditSearch,
  auditHit,
  newestFirst,
  planAuditSearch,
} from '../../core/audit/search';
import type { Caller } from '../../core/domain/caller';
import { DomainError } from '../../core/errors';
import { auditRefusal } from '../../core/i18n/reports';
import type { AuditPorts } from './context';

/** How many register partitions are read at once: enough to be quick, not enough to throttle anyone else. */
const PARALLEL_READS = 16;

/** `GET /api/audit/documents`: auditors find issued documents in the outgoing registers (core/audit/search.ts). */
export async function searchDocuments(
  ports: Pick<AuditPorts, 'documents' | 'now'>,
  caller: Caller,
  query: AuditSearch,
): Promise<{ items: AuditHit[]; truncated: boolean; years: number[]; organisations: number }> {
  if (caller.actor.position.role !== 'auditor')
    throw new DomainError('forbidden', 403, {
      reason: auditRefusal('reason_auditors_search'),
    });
  const plan = planAuditSearch(query, caller.directory, ports.now().toISOString());
  const partitions = plan.orgIds.flatMap((orgId) => plan.years.map((year) => ({ orgId, year })));
  const hits: AuditHit[] = [];
  for (let start = 0; start < partitions.length; start += PARALLEL_READS) {
    const pages = await Promise.all(
      partitions.slice(start, start + PARALLEL_READS).map(async ({ orgId, year }) => ({
        orgId,
        rows: await ports.documents.readRegister('outgoing', orgId, year),
      })),
    );
    for (const { orgId, rows } of pages) {
      for (const row of rows) {
        const hit = auditHit(orgId, row);
        if (plan.matches(hit)) hits.push(hit);
      }
    }
  }
  hits.sort(newestFirst);
  return {
    items: hits.slice(0, plan.limit),
    truncated: hits.length > plan.limit,
    years: [...plan.years],
    organisations: plan.orgIds.length,
  };
}

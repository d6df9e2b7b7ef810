import { hanoiDate } from '../../core/calendar/working-days';
import type { Caller } from '../../core/domain/caller';
import { DomainError } from '../../core/errors';
import type { Language } from '../../core/i18n/catalogue';
import { registerMessages } from '../../core/i18n/registers';
import { computeStatistics, type StatisticsPeriod, statisticsTable } from '../../core/registers/statistics';
import { filterRegister } from '../../core/registers/table';
import { followUpEntries } from './follow-up';
import type { RegisterExportPorts } from './register-export';

/*
 * Statistics of an organisation for a period (issue 19): computed from its registers, never from a scan of
 * the table — per request, the organisation's incoming folder (one index partition: every incoming record
 * of the organisation) and its outgoing register of each year of the period (one query per year, ten at
 * most). Received documents count by arrival date, sent ones by issue date (Hà Nội dates).
 */

const MAX_YEARS = 10;

export interface StatisticsQuery {
  readonly from?: string;
  readonly to?: string;
  readonly by?: StatisticsPeriod;
  readonly orgId?: string;
}

export async function statisticsFor(
  ports: RegisterExportPorts,
  caller: Caller,
  query: StatisticsQuery,
  language: Language,
) {
  const year = hanoiDate(ports.now()).slice(0, 4);
  const from = query.from ?? `${query.to?.slice(0, 4) ?? year}-01-01`;
  const to = query.to ?? `${from.slice(0, 4)}-12-31`;
  const refuse = (code: 'period_too_long' | 'period_reversed') =>
    new DomainError('validation_failed', 400, { detail: registerMessages.both(code, { years: MAX_YEARS }) });
  if (from > to) throw refuse('period_reversed');
  const years: number[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) years.push(y);
  if (years.length > MAX_YEARS) throw refuse('period_too_long');
  const followUp = await followUpEntries(ports, caller, { orgId: query.orgId, years });
  const received = followUp.entries.filter((e) => {
    const day = hanoiDate(e.arrivedOn);
    return day >= from && day <= to;
  });
  const sent: Record<string, unknown>[] = [];
  for (const y of years) sent.push(...(await ports.documents.readRegister('outgoing', followUp.orgId, y)));
  const by = query.by ?? 'month';
  const statistics = computeStatistics(
    received,
    filterRegister('outgoing', sent, { from, to }).map((row) => ({
      issuedOn: typeof row.issuedOn === 'string' ? row.issuedOn : undefined,
      docType: typeof row.docType === 'string' ? row.docType : undefined,
      urgency: typeof row.urgency === 'string' ? row.urgency : undefined,
    })),
    by,
    (id) => {
      const code = registerMessages.codes.find((c) => c === `urgency_${id}`);
      return code ? registerMessages.render(code, language) : id;
    },
  );
  const org = caller.directory.get(followUp.orgId);
  const parent = org.parentId ? caller.directory.find(org.parentId) : undefined;
  return {
    orgId: followUp.orgId,
    heading: [...(parent ? [parent.name] : []), org.name],
    from,
    to,
    statistics,
    table: () => statisticsTable(statistics, { from, to }, language),
  };
}

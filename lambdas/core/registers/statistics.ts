import type { Language } from '../i18n/catalogue';
import { registerMessages } from '../i18n/registers';
import type { FollowUpRow } from './follow-up';
import { dayMonthYear, hanoiDate, type RegisterTable } from './table';

/*
 * Statistics for leaders and clerks (Decree 30 Appendix VI: handling reports): documents received and sent,
 * resolved on time or late, and still open past their deadline — by period (month, quarter or year), by
 * handler, by type and by urgency. Computed from the rows of the registers (received: the follow-up
 * register's rows; sent: the outgoing register's), so that the numbers and the registers always agree.
 */

export type StatisticsPeriod = 'month' | 'quarter' | 'year';

export interface Counts {
  received: number;
  sent: number;
  resolved: number;
  onTime: number;
  late: number;
  /** Still open past the deadline, today. */
  overdue: number;
}

export interface StatisticsLine extends Counts {
  readonly key: string;
  readonly label: string;
}

export interface Statistics {
  readonly by: StatisticsPeriod;
  readonly totals: Counts;
  readonly periods: StatisticsLine[];
  readonly handlers: StatisticsLine[];
  readonly types: StatisticsLine[];
  readonly urgencies: StatisticsLine[];
}

/** An outgoing register row as the statistics read it. */
export interface SentRow {
  readonly issuedOn?: string;
  readonly docType?: string;
  readonly urgency?: string;
}

const zero = (): Counts => ({ received: 0, sent: 0, resolved: 0, onTime: 0, late: 0, overdue: 0 });

/** `2026-03-05` → `2026-03`, `2026-Q1` or `2026`. */
export function periodKey(date: string, by: StatisticsPeriod): string {
  const year = date.slice(0, 4);
  if (by === 'year') return year;
  const month = Number(date.slice(5, 7));
  return by === 'month' ? `${year}-${date.slice(5, 7)}` : `${year}-Q${Math.ceil(month / 3)}`;
}

export function computeStatistics(
  received: readonly FollowUpRow[],
  sent: readonly SentRow[],
  by: StatisticsPeriod,
  urgencyName: (id: string) => string,
): Statistics {
  const totals = zero();
  const groups = {
    periods: new Map<string, StatisticsLine>(),
    handlers: new Map<string, StatisticsLine>(),
    types: new Map<string, StatisticsLine>(),
    urgencies: new Map<string, StatisticsLine>(),
  };
  const line = (group: keyof typeof groups, key: string, label: string) => {
    let found = groups[group].get(key);
    if (!found) {
      found = { key, label, ...zero() };
      groups[group].set(key, found);
    }
    return found;
  };
  for (const row of received) {
    const lines = [
      totals,
      line('periods', periodKey(hanoiDate(row.arrivedOn), by), periodKey(hanoiDate(row.arrivedOn), by)),
      line('types', row.docType, row.docType),
      line('urgencies', row.urgency, urgencyName(row.urgency)),
      ...(row.handler ? [line('handlers', `${row.handler.kind}:${row.handler.id}`, row.handler.name)] : []),
    ];
    for (const counts of lines) {
      counts.received++;
      if (row.state === 'RESOLVED') counts.resolved++;
      if (row.onTime === true) counts.onTime++;
      if (row.onTime === false) counts.late++;
      if (row.overdueDays > 0) counts.overdue++;
    }
  }
  for (const row of sent) {
    const lines = [
      totals,
      ...(row.issuedOn ? [line('periods', periodKey(row.issuedOn, by), periodKey(row.issuedOn, by))] : []),
      ...(row.docType ? [line('types', row.docType, row.docType)] : []),
      ...(row.urgency ? [line('urgencies', row.urgency, urgencyName(row.urgency))] : []),
    ];
    for (const counts of lines) counts.sent++;
  }
  const sorted = (map: Map<string, StatisticsLine>, byKey = false) =>
    [...map.values()].sort((a, b) =>
      byKey
        ? a.key.localeCompare(b.key)
        : b.received + b.sent - (a.received + a.sent) || a.label.localeCompare(b.label, 'vi'),
    );
  return {
    by,
    totals,
    periods: sorted(groups.periods, true),
    handlers: sorted(groups.handlers),
    types: sorted(groups.types),
    urgencies: sorted(groups.urgencies),
  };
}

const t = registerMessages.render;

/** The statistics as one table (CSV, XLSX): a section per grouping, the same numbers as the screen. */
export function statisticsTable(
  stats: Statistics,
  period: { from: string; to: string },
  language: Language,
): RegisterTable {
  const number = (n: number) => String(n);
  const section = (name: string, lines: readonly StatisticsLine[]) =>
    lines.map((l) => [
      name,
      l.label,
      number(l.received),
      number(l.sent),
      number(l.resolved),
      number(l.onTime),
      number(l.late),
      number(l.overdue),
    ]);
  return {
    title: t('stats_title', language),
    subtitle: t('period_range', language, { from: dayMonthYear(period.from), to: dayMonthYear(period.to) }),
    columns: [
      { header: t('stats_group', language), width: 14 },
      { header: t('stats_key', language), width: 30 },
      { header: t('stats_received', language), width: 9 },
      { header: t('stats_sent', language), width: 9 },
      { header: t('stats_resolved', language), width: 9 },
      { header: t('stats_onTime', language), width: 9 },
      { header: t('stats_late', language), width: 9 },
      { header: t('stats_overdue', language), width: 9 },
    ],
    rows: [
      ...section(t('stats_total', language), [
        { key: 'total', label: t('stats_total', language), ...stats.totals },
      ]),
      ...section(t(`stats_by_${stats.by}`, language), stats.periods),
      ...section(t('stats_by_handler', language), stats.handlers),
      ...section(t('stats_by_type', language), stats.types),
      ...section(t('stats_by_urgency', language), stats.urgencies),
    ],
  };
}

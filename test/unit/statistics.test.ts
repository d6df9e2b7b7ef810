import { describe, expect, it } from 'vitest';
import { registerMessages } from '../../lambdas/core/i18n/registers';
import type { FollowUpRow } from '../../lambdas/core/registers/follow-up';
import { computeStatistics, periodKey, statisticsTable } from '../../lambdas/core/registers/statistics';

/*
 * The statistics from the registers' rows: received and sent per month, quarter or year (Hà Nội dates),
 * resolved on time or late and open past the deadline, per handler, type and urgency; the downloadable
 * table holds the same numbers.
 */

const received = (over: Partial<FollowUpRow>): FollowUpRow => ({
  documentId: 'd',
  arrivalNumber: 1,
  arrivalYear: 2026,
  arrivedOn: '2026-01-10T03:00:00.000Z',
  senderOrgId: 'ubnd-hanoi',
  issuer: 'Ủy ban nhân dân thành phố Hà Nội',
  symbol: '1/UBND',
  issuedOn: '2026-01-09',
  docType: 'Công văn',
  subject: 'Về việc',
  urgency: 'normal',
  state: 'REGISTERED',
  overdueDays: 0,
  ...over,
});

const lan = { kind: 'person' as const, id: 'snv-specialist', name: 'Bùi Thị Lan' };
const rows = [
  received({
    state: 'RESOLVED',
    handler: lan,
    deadline: '2026-01-20',
    resolvedOn: '2026-01-15',
    onTime: true,
  }),
  received({
    state: 'RESOLVED',
    handler: lan,
    deadline: '2026-01-20',
    resolvedOn: '2026-01-25',
    onTime: false,
  }),
  received({ state: 'IN_PROGRESS', handler: lan, deadline: '2026-03-01', overdueDays: 4, urgency: 'urgent' }),
  // 31 March 18:00 UTC: 1 April in Hà Nội, the second quarter.
  received({ arrivedOn: '2026-03-31T18:00:00.000Z', docType: 'Quyết định' }),
];
const sent = [
  { issuedOn: '2026-02-03', docType: 'Công văn', urgency: 'normal' },
  { issuedOn: '2026-05-03', docType: 'Báo cáo', urgency: 'urgent' },
];
const urgencyName = (id: string) => registerMessages.render(`urgency_${id}` as 'urgency_normal', 'vi');

describe('statistics', () => {
  it('groups dates by month, quarter and year', () => {
    expect(periodKey('2026-03-05', 'month')).toBe('2026-03');
    expect(periodKey('2026-03-05', 'quarter')).toBe('2026-Q1');
    expect(periodKey('2026-10-01', 'quarter')).toBe('2026-Q4');
    expect(periodKey('2026-03-05', 'year')).toBe('2026');
  });

  it('counts received, sent, resolved on time or late and overdue, per period, handler, type and urgency', () => {
    const stats = computeStatistics(rows, sent, 'quarter', urgencyName);
    expect(stats.totals).toEqual({ received: 4, sent: 2, resolved: 2, onTime: 1, late: 1, overdue: 1 });
    expect(stats.periods.map((p) => [p.key, p.received, p.sent])).toEqual([
      ['2026-Q1', 3, 1],
      ['2026-Q2', 1, 1],
    ]);
    expect(stats.handlers).toEqual([
      expect.objectContaining({
        label: 'Bùi Thị Lan',
        received: 3,
        resolved: 2,
        onTime: 1,
        late: 1,
        overdue: 1,
      }),
    ]);
    expect(stats.types.map((t) => [t.label, t.received, t.sent])).toEqual([
      ['Công văn', 3, 1],
      ['Báo cáo', 0, 1],
      ['Quyết định', 1, 0],
    ]);
    expect(stats.urgencies.map((u) => [u.label, u.received, u.sent])).toEqual([
      ['Thường', 3, 1],
      ['Khẩn', 1, 1],
    ]);
    const months = computeStatistics(rows, sent, 'month', urgencyName);
    expect(months.periods.map((p) => p.key)).toEqual(['2026-01', '2026-02', '2026-04', '2026-05']);
  });

  it('the downloadable table holds the same numbers, in both languages', () => {
    const stats = computeStatistics(rows, sent, 'year', urgencyName);
    const vi = statisticsTable(stats, { from: '2026-01-01', to: '2026-12-31' }, 'vi');
    expect(vi.rows[0]).toEqual(['Tổng số', 'Tổng số', '4', '2', '2', '1', '1', '1']);
    expect(vi.rows).toContainEqual(['Theo người xử lý', 'Bùi Thị Lan', '3', '0', '2', '1', '1', '1']);
    const en = statisticsTable(stats, { from: '2026-01-01', to: '2026-12-31' }, 'en');
    expect(en.columns.map((c) => c.header)).toEqual([
      'Grouping',
      'Item',
      'Received',
      'Sent',
      'Resolved',
      'On time',
      'Late',
      'Overdue',
    ]);
    expect(en.rows[1]).toEqual(['By year', '2026', '4', '2', '2', '1', '1', '1']);
  });
});

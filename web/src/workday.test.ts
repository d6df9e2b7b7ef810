import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../lambdas/contracts/documents';
import { attachmentDisposition } from '../../lambdas/core/text/content-disposition';
import { filterDeliveries } from './DeliveryTracking';
import { hanoiTimes, matchesName } from './format';
import { byUrgency, type WorkItem } from './MyWorkPage';

describe('a working day (issue 18), the pure parts', () => {
  it('a name matches word for word: "ba dinh" is Ba Đình, not every "Ủy ban"', () => {
    const names = [
      'Ủy ban nhân dân phường Ba Đình',
      'Ủy ban nhân dân phường Hoàn Kiếm',
      'Ủy ban nhân dân xã Ba Vì',
      'Ủy ban nhân dân phường Ngọc Hà',
    ];
    expect(names.filter((n) => matchesName('ba dinh', n))).toEqual(['Ủy ban nhân dân phường Ba Đình']);
    expect(names.filter((n) => matchesName('Ba Đình', n))).toEqual(['Ủy ban nhân dân phường Ba Đình']);
    expect(names.filter((n) => matchesName('ba', n))).toEqual([
      'Ủy ban nhân dân phường Ba Đình',
      'Ủy ban nhân dân xã Ba Vì',
    ]);
    // The last word may be the start of one while it is typed, from three letters.
    expect(names.filter((n) => matchesName('hoan ki', n))).toEqual([]);
    expect(names.filter((n) => matchesName('hoan kie', n))).toEqual(['Ủy ban nhân dân phường Hoàn Kiếm']);
    expect(matchesName('', 'anything')).toBe(true);
  });

  it('report times are shown in Hà Nội time', () => {
    expect(hanoiTimes('Chữ ký 1: A, dấu thời gian 2026-12-03T02:05:09.123Z: hợp lệ.', 'vi-VN')).toBe(
      'Chữ ký 1: A, dấu thời gian 09:05 03/12/2026: hợp lệ.',
    );
    expect(hanoiTimes('at 2026-12-31T17:30:00Z', 'en-GB')).toBe('at 00:30 01/01/2027');
  });

  it('my work: overdue first, then the most urgent, then the nearest deadline', () => {
    const item = (id: string, urgency: string, deadline?: string): WorkItem => ({
      id,
      folder: 'incoming',
      title: id,
      docType: 'cong-van',
      urgency: urgency as WorkItem['urgency'],
      state: 'PRESENTED',
      updatedAt: '2026-12-01T00:00:00.000Z',
      task: 'assign',
      ...(deadline ? { deadline } : {}),
    });
    const items = [
      item('normal-later', 'normal', '2026-12-20'),
      item('urgent', 'urgent'),
      item('overdue', 'normal', '2026-12-01'),
      item('normal-sooner', 'normal', '2026-12-05'),
      item('flash', 'flash'),
    ];
    expect(items.sort((a, b) => byUrgency(a, b, '2026-12-03')).map((i) => i.id)).toEqual([
      'overdue',
      'flash',
      'urgent',
      'normal-sooner',
      'normal-later',
    ]);
  });

  it('tracking: not yet registered, one status, and names', () => {
    const d = (orgId: string, status: Delivery['status']): Delivery => ({ orgId, purpose: 'action', status });
    const list = [
      d('a', 'pending'),
      d('b', 'arrived'),
      d('c', 'accepted'),
      d('d', 'done'),
      d('e', 'refused'),
    ];
    const name = (id: string) => `Phường ${id.toUpperCase()}`;
    expect(filterDeliveries(list, 'notRegistered', '', name).map((x) => x.orgId)).toEqual(['a', 'b', 'e']);
    expect(filterDeliveries(list, 'notArrived', '', name).map((x) => x.orgId)).toEqual(['a']);
    expect(filterDeliveries(list, 'status:done', '', name).map((x) => x.orgId)).toEqual(['d']);
    expect(filterDeliveries(list, 'all', 'phuong c', name).map((x) => x.orgId)).toEqual(['c']);
  });

  it('the evidence file keeps its Đ (RFC 6266 filename*), with an ASCII fallback', () => {
    expect(attachmentDisposition('evidence-18_QĐ-UBND.zip')).toBe(
      `attachment; filename="evidence-18_QD-UBND.zip"; filename*=UTF-8''evidence-18_Q%C4%90-UBND.zip`,
    );
  });
});

import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../lambdas/contracts/documents';
import { remindable } from './DeliveryTracking';
import { translator } from './i18n';

const d = (orgId: string, status: Delivery['status']): Delivery => ({ orgId, purpose: 'action', status });

describe("the sender's reminder on the tracking list", () => {
  it('offers a checkbox only for city recipients that have the document and have not registered it', () => {
    const external = new Map([['000.00.00.G01', 'Bộ Nội vụ']]);
    const list = [
      d('pending', 'pending'),
      d('arrived', 'arrived'),
      d('accepted', 'accepted'),
      d('refused', 'refused'),
      d('recalled', 'recalled'),
      d('000.00.00.G01', 'arrived'),
    ];
    expect(list.filter((x) => remindable(x, external)).map((x) => x.orgId)).toEqual(['arrived']);
  });

  it('says how many will be reminded and what was done, in Vietnamese and English', () => {
    expect(translator('vi')('rmConfirm', { count: 2 })).toBe('Nhắc 2 đơn vị tiếp nhận văn bản này?');
    expect(translator('en')('rmDone', { count: 2, clerks: 3 })).toBe(
      'Reminded 2 recipients: 3 clerks will be notified (and e-mailed if they chose so).',
    );
    expect(translator('vi')('rmDone', { count: 2, clerks: 3 })).toBe(
      'Đã nhắc 2 đơn vị: 3 văn thư sẽ nhận thông báo (và thư điện tử nếu đã chọn).',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { externalDeliveryStatus, filterDeliveries } from './DeliveryTracking';
import { webMessages } from './i18n';

// External recipients (national document exchange) in the sender's tracking: one vocabulary with the
// city's own recipients (issue 20).
describe('external recipients in delivery tracking', () => {
  it('reads every exchange state in the words of the internal deliveries', () => {
    expect(externalDeliveryStatus('pending')).toBe('pending');
    expect(externalDeliveryStatus('sent')).toBe('pending');
    expect(externalDeliveryStatus('arrived')).toBe('arrived');
    expect(externalDeliveryStatus('refused')).toBe('refused');
    expect(externalDeliveryStatus('accepted')).toBe('accepted');
    expect(externalDeliveryStatus('assigned')).toBe('assigned');
    expect(externalDeliveryStatus('in-progress')).toBe('in-progress');
    expect(externalDeliveryStatus('done')).toBe('done');
    expect(externalDeliveryStatus('recall-accepted')).toBe('recalled');
    expect(externalDeliveryStatus('recall-refused')).toBe('accepted');
    for (const state of ['pending', 'arrived', 'refused', 'accepted', 'in-progress', 'done', 'recalled'])
      for (const language of ['vi', 'en'] as const)
        expect(webMessages.render(`delivery.${state}` as never, language)).not.toMatch(/^delivery\./);
  });

  it('finds an external recipient by its name like an internal one', () => {
    const names = new Map([['000.00.00.G22', 'Bộ Nội vụ']]);
    const deliveries = [
      { orgId: '000.00.00.G22', purpose: 'action' as const, status: externalDeliveryStatus('sent') },
      { orgId: 'phuong-ba-dinh', purpose: 'action' as const, status: 'arrived' as const },
    ];
    const name = (id: string) => names.get(id) ?? 'Phường Ba Đình';
    expect(filterDeliveries(deliveries, 'notArrived', 'bo noi vu', name).map((d) => d.orgId)).toEqual([
      '000.00.00.G22',
    ]);
  });
});

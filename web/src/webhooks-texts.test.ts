import { describe, expect, it } from 'vitest';
import { WEBHOOK_EVENT_TYPES } from '../../lambdas/contracts/webhooks';
import { catalogueProblems } from '../../test/support/catalogue-check';
import { webhookScreenMessages } from './webhooks-texts';

describe('the webhooks screen catalogue', () => {
  it('has every text in both languages, with the same parameters, unmixed', () => {
    expect(catalogueProblems(webhookScreenMessages.catalogue)).toEqual([]);
  });
  it('names every event type', () => {
    for (const type of WEBHOOK_EVENT_TYPES)
      expect(webhookScreenMessages.codes as readonly string[]).toContain(`event_${type}`);
  });
});

import { describe, expect, it } from 'vitest';
import type { DomainError } from '../../lambdas/core/errors';
import { createCommand, issueCommand, people, runOutgoing, toSigned } from './domain-fixtures';

describe('recipients chosen when the clerk sends', () => {
  const withoutRecipients = createCommand({ recipients: [] });

  it('a draft may name no recipients; the clerk names them at send, groups included', () => {
    const { doc } = runOutgoing([
      ...toSigned(withoutRecipients),
      [issueCommand(), people.cityClerk],
      [
        {
          type: 'send',
          recipients: [
            { to: 'all-wards', purpose: 'action' },
            { to: 'so-noi-vu', purpose: 'information' },
          ],
        },
        people.cityClerk,
      ],
    ]);
    expect(doc.state).toBe('SENT');
    expect(doc.recipients).toHaveLength(127);
    expect(doc.recipients.find((r) => r.orgId === 'so-noi-vu')?.purpose).toBe('information');
  });

  it('sending with no recipients anywhere is refused with 422', () => {
    const signedAndIssued = runOutgoing([...toSigned(withoutRecipients), [issueCommand(), people.cityClerk]]);
    expect(() => runOutgoing([[{ type: 'send' }, people.cityClerk]], { doc: signedAndIssued.doc })).toThrow(
      expect.objectContaining({ code: 'recipients_empty', status: 422 }) as DomainError,
    );
  });

  it('recipients given at send replace those of the draft', () => {
    const { doc } = runOutgoing([
      ...toSigned(),
      [issueCommand(), people.cityClerk],
      [{ type: 'send', recipients: [{ to: 'so-tai-chinh', purpose: 'action' }] }, people.cityClerk],
    ]);
    expect(doc.recipients).toEqual([{ orgId: 'so-tai-chinh', purpose: 'action' }]);
  });
});

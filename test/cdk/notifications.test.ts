import { describe, expect, it } from 'vitest';
import {
  asList,
  deployedFunctions,
  environmentOf,
  functionId,
  PROD_CONTEXT,
  roleStatements,
  template,
} from './synth';

/** E-mail to people: only the notifier may send, and only from the stage's verified SES identity. */

const sendsEmail = (t: ReturnType<typeof template>, name: string) =>
  roleStatements(t, functionId(name)).filter((s) =>
    asList(s.Action).some((a) => String(a).startsWith('ses:')),
  );

describe('notification e-mail', () => {
  it('lets the notifier alone send, from the configured identity, with the sender address and the web link', () => {
    const t = template({
      context: { ...PROD_CONTEXT, sesVerifiedDomain: 'hanoi.gov.vn', sesFromName: 'UBND TP Hà Nội' },
    });
    const [statement, ...others] = sendsEmail(t, 'notifier');
    expect(others).toEqual([]);
    expect(asList(statement?.Action).sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
    expect(JSON.stringify(statement?.Resource)).toContain(':identity/hanoi.gov.vn');
    expect(environmentOf(t, functionId('notifier'))).toMatchObject({
      DOCFLOW_MAIL_FROM: 'UBND TP Hà Nội <vanban@hanoi.gov.vn>',
      DOCFLOW_WEB_URL: 'https://docflow.hanoi.gov.vn',
      DOCFLOW_SES_REGION: 'ap-southeast-1',
    });
    for (const name of Object.keys(deployedFunctions).filter((n) => n !== 'notifier'))
      expect(sendsEmail(t, name), name).toEqual([]);
  });

  it('sends nothing where no SES identity is configured: notifications stay in the lists', () => {
    const t = template();
    expect(sendsEmail(t, 'notifier')).toEqual([]);
    expect(environmentOf(t, functionId('notifier'))).not.toHaveProperty('DOCFLOW_MAIL_FROM');
  });
});

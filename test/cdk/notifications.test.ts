import { describe, expect, it } from 'vitest';
import {
  asList,
  deployedFunctions,
  environmentOf,
  functionId,
  PROD_CONTEXT,
  resources,
  roleStatements,
  template,
} from './synth';

/**
 * E-mail to people: only the notifier and the reminders may send, and only from the stage's verified SES
 * identity.
 */
// The sender's reminders to register are events of the log: the notifier sends their e-mail.
const SENDERS = ['notifier', 'reminders'];

const sendsEmail = (t: ReturnType<typeof template>, name: string) =>
  roleStatements(t, functionId(name)).filter((s) =>
    asList(s.Action).some((a) => String(a).startsWith('ses:')),
  );

describe('notification e-mail', () => {
  it('lets the notifier and the reminders alone send, from the configured identity, with the sender address and the web link', () => {
    const t = template({
      context: { ...PROD_CONTEXT, sesVerifiedDomain: 'hanoi.gov.vn', sesFromName: 'UBND TP Hà Nội' },
    });
    for (const sender of SENDERS) {
      const [statement, ...others] = sendsEmail(t, sender);
      expect(others).toEqual([]);
      expect(asList(statement?.Action).sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
      expect(JSON.stringify(statement?.Resource)).toContain(':identity/hanoi.gov.vn');
      expect(environmentOf(t, functionId(sender))).toMatchObject({
        DOCFLOW_MAIL_FROM: 'UBND TP Hà Nội <vanban@hanoi.gov.vn>',
        DOCFLOW_WEB_URL: 'https://docflow.hanoi.gov.vn',
        DOCFLOW_SES_REGION: 'ap-southeast-1',
      });
    }
    for (const name of Object.keys(deployedFunctions).filter((n) => !SENDERS.includes(n)))
      expect(sendsEmail(t, name), name).toEqual([]);
  });

  it('sends nothing where no SES identity is configured: notifications stay in the lists', () => {
    const t = template();
    expect(sendsEmail(t, 'notifier')).toEqual([]);
    expect(environmentOf(t, functionId('notifier'))).not.toHaveProperty('DOCFLOW_MAIL_FROM');
  });
});

describe('the live inbox', () => {
  const t = template();
  const live = (type: string) => resources(t, type).filter(([id]) => id.startsWith('Live'));

  it('is a WebSocket API whose connections are authorized at $connect by the token checker', () => {
    const [[, api] = []] = live('AWS::ApiGatewayV2::Api');
    expect(api?.Properties.ProtocolType).toBe('WEBSOCKET');
    const routes = live('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(['$connect', '$default', '$disconnect']);
    expect(routes.find((r) => r.RouteKey === '$connect')?.AuthorizationType).toBe('CUSTOM');
    const [[, authorizer] = []] = live('AWS::ApiGatewayV2::Authorizer');
    expect(authorizer?.Properties).toMatchObject({
      AuthorizerType: 'REQUEST',
      IdentitySource: ['route.request.querystring.token'],
    });
    expect(JSON.stringify(authorizer?.Properties.AuthorizerUri)).toContain('LiveAuthorizerFunction');
    expect(environmentOf(t, functionId('liveAuthorizer'))).toMatchObject({
      DOCFLOW_JWT_ISSUER: expect.anything(),
      DOCFLOW_JWT_AUDIENCE: expect.anything(),
    });
  });

  it('lets the notifier alone post to its connections', () => {
    const manages = (name: string) =>
      roleStatements(t, functionId(name)).filter((s) =>
        asList(s.Action).includes('execute-api:ManageConnections'),
      );
    expect(JSON.stringify(manages('notifier'))).toMatch(/live\/POST\/@connections\/\*/);
    expect(environmentOf(t, functionId('notifier'))).toHaveProperty('DOCFLOW_LIVE_ENDPOINT');
    for (const name of Object.keys(deployedFunctions).filter((n) => n !== 'notifier'))
      expect(manages(name), name).toEqual([]);
  });
});

describe('deadline reminders', () => {
  const t = template();

  it('run on EventBridge Scheduler every 15 minutes in the stage group, told the schedule time, retried, dead-lettered', () => {
    const [[, group] = []] = resources(t, 'AWS::Scheduler::ScheduleGroup');
    expect(group?.Properties.Name).toBe('docflow-dev');
    const schedules = resources(t, 'AWS::Scheduler::Schedule').map(([, s]) => s.Properties);
    // The reminders' and the webhook sender's (every minute, lib/schedules.ts).
    expect(schedules.map((s) => s.ScheduleExpression).sort()).toEqual(['rate(1 minute)', 'rate(15 minutes)']);
    const webhooks = schedules.find((s) => s.ScheduleExpression === 'rate(1 minute)');
    expect(JSON.stringify((webhooks?.Target as { Arn: unknown } | undefined)?.Arn)).toContain(
      functionId('webhookSender'),
    );
    const schedule = schedules.find((s) => s.ScheduleExpression === 'rate(15 minutes)');
    expect(schedule?.ScheduleExpression).toBe('rate(15 minutes)');
    expect(JSON.stringify(schedule?.GroupName)).toMatch(/docflow-dev|ClockSchedulesGroup/);
    const target = schedule?.Target as {
      Arn: unknown;
      Input: string;
      RetryPolicy: { MaximumRetryAttempts: number };
      DeadLetterConfig: { Arn: unknown };
    };
    expect(JSON.stringify(target.Arn)).toContain(functionId('reminders'));
    expect(JSON.parse(target.Input)).toEqual({ at: '<aws.scheduler.scheduled-time>' });
    expect(target.RetryPolicy.MaximumRetryAttempts).toBe(2);
    expect(JSON.stringify(target.DeadLetterConfig.Arn)).toMatch(/Monitoringschedulesdeadletters/);
  });

  it("the scheduler's role invokes the reminders and webhook sender functions and nothing else", () => {
    const roles = resources(t, 'AWS::IAM::Role').filter(([id]) => id.startsWith('ClockSchedulesRole'));
    expect(roles).toHaveLength(1);
    expect(JSON.stringify(roles[0]?.[1].Properties.AssumeRolePolicyDocument)).toContain(
      'scheduler.amazonaws.com',
    );
    const policies = resources(t, 'AWS::IAM::Policy')
      .filter(([id]) => id.startsWith('ClockSchedulesRole'))
      .flatMap(
        ([, p]) =>
          (p.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement,
      );
    const invoke = policies.filter((s) => asList(s.Action).includes('lambda:InvokeFunction'));
    expect(invoke.length).toBeGreaterThan(0);
    // The reminders and the webhook sender, the two clock schedules' targets, and nothing else.
    const invoked = JSON.stringify(invoke.map((s) => s.Resource));
    expect(invoked).toContain(functionId('reminders'));
    expect(invoked).toContain(functionId('webhookSender'));
    for (const statement of policies)
      expect(
        asList(statement.Action).every((a) => a === 'lambda:InvokeFunction' || String(a).startsWith('sqs:')),
      ).toBe(true);
  });
});

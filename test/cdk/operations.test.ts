import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { signingConcurrencyFor } from '../../lib/config';
import { DocflowFunction, REPO_ROOT } from '../../lib/constructs/docflow-function';
import {
  CRL_FRESHNESS_HOURS,
  CRL_ISSUED_LOG_MESSAGE,
  Monitoring,
  WATCHED_KEY_EVENTS,
} from '../../lib/constructs/monitoring';
import { StreamProjection } from '../../lib/constructs/stream-projection';
import { permissions } from '../../lib/permissions';
import { schedules } from '../../lib/schedules';
import { streamConsumers } from '../../lib/stream-consumers';
import {
  asList,
  type CfnResource,
  configOf,
  deployedFunctions,
  ENV,
  functionId,
  lambdaOf,
  nagFindings,
  PROD_CONTEXT,
  recoveryTemplate,
  resources,
  roleStatements,
  template,
  testApp,
} from './synth';

const t = template();

describe('alarms', () => {
  const alarms = resources(t, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
  const named = (suffix: string) => alarms.find((a) => a.AlarmName === `docflow-dev-${suffix}`);

  it.each(Object.keys(deployedFunctions))('%s: errors and throttles', (name) => {
    expect(named(`${name}-errors`)).toMatchObject({ MetricName: 'Errors', Threshold: 1, Statistic: 'Sum' });
    expect(named(`${name}-throttles`)).toMatchObject({ MetricName: 'Throttles', Threshold: 1 });
  });

  it.each(Object.keys(streamConsumers))('%s: dead letters and a projection falling behind', (name) => {
    expect(named(`${name}-dead-letters`)).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible' });
    expect(named(`${name}-iterator-age`)).toMatchObject({ MetricName: 'IteratorAge', Threshold: 3_600_000 });
  });

  it('HTTP API 5xx', () => {
    expect(named('api-5xx')).toMatchObject({ MetricName: '5xx', Namespace: 'AWS/ApiGateway', Threshold: 5 });
  });

  it('every alarm notifies the encrypted alarm topic; only what must happen (a CRL, a reconciliation) alarms by missing data', () => {
    const topics = resources(t, 'AWS::SNS::Topic');
    expect(topics).toHaveLength(1);
    const [topicId, topic] = topics[0] as [string, CfnResource];
    expect(JSON.stringify(topic.Properties.KmsMasterKeyId)).toMatch(/MonitoringTopicKey/);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions, String(alarm.AlarmName)).toEqual([{ Ref: topicId }]);
      expect(alarm.TreatMissingData, String(alarm.AlarmName)).toBe(
        ['docflow-dev-crl-stale', 'docflow-dev-key-use-not-reconciled'].includes(String(alarm.AlarmName))
          ? 'breaching'
          : 'notBreaching',
      );
    }
    const policy = resources(t, 'AWS::SNS::TopicPolicy')[0]?.[1].Properties.PolicyDocument as {
      Statement: { Effect: string; Condition?: Record<string, Record<string, unknown>> }[];
    };
    expect(
      policy.Statement.some(
        (s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
      ),
    ).toBe(true);
  });

  it('the topic key lets CloudWatch alarms of this stage publish, and no one else outside the account', () => {
    const found = resources(t, 'AWS::KMS::Key').find(([id]) => id.startsWith('MonitoringTopicKey'));
    expect(found).toBeDefined();
    const [, key] = found as [string, CfnResource];
    const statements = (
      key.Properties.KeyPolicy as { Statement: { Principal: unknown; Condition?: unknown }[] }
    ).Statement;
    const service = statements.filter((s) =>
      JSON.stringify(s.Principal).includes('cloudwatch.amazonaws.com'),
    );
    expect(service).toHaveLength(1);
    expect(JSON.stringify(service[0]?.Condition)).toContain('alarm:docflow-dev-*');
  });

  it('subscribes the alarm e-mail when configured', () => {
    t.resourceCountIs('AWS::SNS::Subscription', 0);
    template({ context: { alarmEmail: 'ops@hanoi.gov.vn' } }).hasResourceProperties(
      'AWS::SNS::Subscription',
      {
        Protocol: 'email',
        Endpoint: 'ops@hanoi.gov.vn',
      },
    );
  });
});

describe('alarms on keys, KMS, the CRL, backups and replication', () => {
  const rules = resources(t, 'AWS::Events::Rule').map(([, r]) => r.Properties);
  const rule = (name: string) => rules.find((r) => r.Name === `docflow-dev-${name}`);
  const alarms = resources(t, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
  const named = (suffix: string) => alarms.find((a) => a.AlarmName === `docflow-dev-${suffix}`);

  it('every DisableKey, ScheduleKeyDeletion, PutKeyPolicy and CreateGrant on a key of the account goes to the alarm topic', () => {
    const changes = rule('key-changes')?.EventPattern as { detail: Record<string, unknown> } & Record<
      string,
      unknown
    >;
    const grants = rule('key-grants')?.EventPattern as { detail: Record<string, unknown> } & Record<
      string,
      unknown
    >;
    expect(changes).toMatchObject({
      source: ['aws.kms'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: { eventSource: ['kms.amazonaws.com'] },
    });
    expect(
      [...(changes.detail.eventName as string[]), ...(grants.detail.eventName as string[])].sort(),
    ).toEqual([...WATCHED_KEY_EVENTS].sort());
    // Every key of the account and region: the stack's and the signing keys made at run time alike.
    for (const pattern of [changes, grants]) {
      const prefix = JSON.stringify((pattern.detail.resources as { ARN: unknown }).ARN);
      expect(prefix).toContain(':kms:');
      expect(prefix).toContain(':key/');
      expect(prefix).toMatch(/"prefix"/);
    }
    // Grants AWS services make for a caller (DynamoDB on the data key) are routine; a direct one is not.
    expect(grants.detail.userIdentity).toEqual({ invokedBy: [{ exists: false }] });
    const topicId = resources(t, 'AWS::SNS::Topic')[0]?.[0];
    for (const name of ['key-changes', 'key-grants', 'backup-failures']) {
      const [target] = (rule(name)?.Targets ?? []) as Record<string, unknown>[];
      expect(target?.Arn, name).toEqual({ Ref: topicId });
      expect(JSON.stringify(target?.DeadLetterConfig), name).toMatch(/Monitoringnotificationsdeadletters/);
      expect(JSON.stringify(target?.RoleArn), name).toMatch(/MonitoringNotificationsRole/);
      expect(JSON.stringify(target?.InputTransformer), name).toContain('docflow dev');
    }
    expect(named('notifications-dead-letters')).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
    });
  });

  it('a failed, aborted or expired backup or copy job goes to the alarm topic', () => {
    expect(rule('backup-failures')?.EventPattern).toEqual({
      source: ['aws.backup'],
      'detail-type': ['Backup Job State Change', 'Copy Job State Change'],
      detail: { state: ['FAILED', 'ABORTED', 'EXPIRED'] },
    });
  });

  it('the KMS request rate nearing the quota, and KMS calls given up on, are alarmed', () => {
    const near = named('kms-near-quota') as { Metrics: Record<string, unknown>[]; Threshold: number };
    expect(near.Threshold).toBe(Math.floor(configOf().kmsSignRequestsPerSecond * 0.8));
    const metric = near.Metrics.find((m) => m.Id === 'calls') as {
      MetricStat: { Metric: Record<string, unknown> };
    };
    expect(metric.MetricStat.Metric).toMatchObject({
      Namespace: 'AWS/Usage',
      MetricName: 'CallCount',
      Dimensions: expect.arrayContaining([
        { Name: 'Service', Value: 'KMS' },
        { Name: 'Resource', Value: 'CryptographicOperationsRsa' },
      ]),
    });
    const ecc = template({ context: { keySpec: 'ECC_NIST_P256', tsaKeySpec: 'ECC_NIST_P256' } });
    expect(JSON.stringify(ecc.toJSON())).toContain('CryptographicOperationsEcc');
    expect(named('kms-throttled')).toMatchObject({ MetricName: 'KmsThrottled', Namespace: 'docflow/dev' });
    // A metric filter on every function that signs.
    const filtered = resources(t, 'AWS::Logs::MetricFilter')
      .filter(([, f]) => f.Properties.FilterPattern === '"ThrottlingException"')
      .map(([, f]) => JSON.stringify(f.Properties.LogGroupName));
    const signers = Object.entries(permissions).filter(([, p]) =>
      'signWith' in p ? p.signWith.length > 0 : false,
    );
    expect(filtered).toHaveLength(signers.length);
    for (const [name] of signers)
      expect(
        filtered.some((g) => g.includes(functionId(name))),
        name,
      ).toBe(true);
  });

  it(`a CRL not issued for ${CRL_FRESHNESS_HOURS} hours is alarmed (counted from the authority's log)`, () => {
    const filter = resources(t, 'AWS::Logs::MetricFilter').find(([, f]) =>
      String(f.Properties.FilterPattern).includes(CRL_ISSUED_LOG_MESSAGE),
    )?.[1];
    expect(filter?.Properties.FilterPattern).toBe(`{ $.message = "${CRL_ISSUED_LOG_MESSAGE}" }`);
    expect(JSON.stringify(filter?.Properties.LogGroupName)).toMatch(/CertificateAuthorityFunctionLogs/);
    expect(named('crl-stale')).toMatchObject({
      MetricName: 'CrlIssued',
      Namespace: 'docflow/dev',
      Period: 6 * 3600,
      EvaluationPeriods: CRL_FRESHNESS_HOURS / 6,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
    });
    // The authority still logs that very message when it issues a CRL.
    const handler = readFileSync(join(REPO_ROOT, 'lambdas/handlers/certificate-authority.ts'), 'utf8');
    expect(handler).toContain(`logger.info('${CRL_ISSUED_LOG_MESSAGE}'`);
  });

  it('a replication failure of the archive is alarmed where there is a recovery region', () => {
    const prod = template({ context: PROD_CONTEXT });
    const alarm = resources(prod, 'AWS::CloudWatch::Alarm')
      .map(([, a]) => a.Properties)
      .find((a) => a.AlarmName === 'docflow-prod-archive-replication-failed');
    expect(alarm).toMatchObject({
      Namespace: 'AWS/S3',
      MetricName: 'OperationsFailedReplication',
      Threshold: 1,
    });
    expect(named('archive-replication-failed')).toBeUndefined();
  });

  it('the recovery region watches its own keys and backup copies', () => {
    const dr = recoveryTemplate({ context: PROD_CONTEXT });
    const names = resources(dr, 'AWS::Events::Rule').map(([, r]) => r.Properties.Name);
    expect(names.sort()).toEqual([
      'docflow-prod-recovery-backup-failures',
      'docflow-prod-recovery-key-changes',
      'docflow-prod-recovery-key-grants',
    ]);
    dr.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: PROD_CONTEXT.alarmEmail,
    });
  });
});

describe('the signing function’s concurrency', () => {
  it('is reserved to what its share of the KMS quota allows, or to the stage’s setting', () => {
    const prod = template({ context: PROD_CONTEXT });
    expect(lambdaOf(prod, 'SigningFunction').Properties.ReservedConcurrentExecutions).toBe(
      signingConcurrencyFor(configOf(PROD_CONTEXT).kmsSignRequestsPerSecond),
    );
    expect(lambdaOf(t, 'SigningFunction').Properties.ReservedConcurrentExecutions).toBe(
      configOf().signingReservedConcurrency,
    );
    const raised = template({ context: { ...PROD_CONTEXT, kmsSignRequestsPerSecond: 2000 } });
    expect(lambdaOf(raised, 'SigningFunction').Properties.ReservedConcurrentExecutions).toBe(160);
    // Only the function that signs documents.
    for (const name of Object.keys(deployedFunctions).filter((n) => n !== 'signing')) {
      expect(lambdaOf(prod, functionId(name)).Properties.ReservedConcurrentExecutions, name).toBeUndefined();
    }
  });
});

/** StreamProjection on a test-only stack: docflow has no projection handler yet, so none is deployed. */
function projectionStack(nag = false) {
  const app = testApp();
  const stack = new Stack(app, 'ProjectionTest', { env: ENV });
  const table = new TableV2(stack, 'Log', {
    partitionKey: { name: 'documentId', type: AttributeType.STRING },
    sortKey: { name: 'seq', type: AttributeType.NUMBER },
    dynamoStream: StreamViewType.NEW_IMAGE,
  });
  Validations.of(table).acknowledge({ id: 'AwsSolutions-DDB3', reason: 'test-only table' });
  const consumer = new DocflowFunction(stack, 'ProjectorFunction', {
    entry: 'lambdas/handlers/system.ts',
    description: 'test projection',
    stage: 'test',
    logRetention: RetentionDays.ONE_MONTH,
  });
  const projection = new StreamProjection(stack, 'Projection', { table, consumer, parallelizationFactor: 4 });
  new Monitoring(stack, 'Monitoring', { stage: 'test' }).watchStreamProjection('projection', projection);
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, table };
}

describe('StreamProjection', () => {
  const { stack } = projectionStack();
  const p = Template.fromStack(stack);

  it('reads the stream with partial batch failures, bisection, bounded retries and a dead-letter queue', () => {
    const mappings = resources(p, 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(1);
    const [, mapping] = mappings[0] as [string, CfnResource];
    expect(mapping.Properties).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 12 * 3600,
      StartingPosition: 'TRIM_HORIZON',
      ParallelizationFactor: 4,
    });
    expect(JSON.stringify(mapping.Properties.EventSourceArn)).toMatch(/Log.*StreamArn/);
    expect(JSON.stringify(mapping.Properties.DestinationConfig)).toMatch(
      /OnFailure.*ProjectionDeadLetters.*Arn/,
    );
  });

  it('the dead-letter queue is encrypted, TLS only, and its depth and the iterator age are alarmed', () => {
    p.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    const queuePolicy = JSON.stringify(resources(p, 'AWS::SQS::QueuePolicy')[0]?.[1].Properties);
    expect(queuePolicy).toContain('aws:SecureTransport');
    const alarms = resources(p, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    expect(alarms.find((a) => a.AlarmName === 'docflow-test-projection-dead-letters')).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
    });
    expect(alarms.find((a) => a.AlarmName === 'docflow-test-projection-iterator-age')).toMatchObject({
      MetricName: 'IteratorAge',
      Threshold: 3_600_000,
    });
  });

  it('the consumer may read the stream and send to its queue, nothing more', () => {
    const actions = roleStatements(p, 'ProjectorFunction').flatMap((s) => asList(s.Action));
    expect(actions).toEqual(
      expect.arrayContaining(['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'sqs:SendMessage']),
    );
    expect(actions.filter((a) => /dynamodb:(Put|Update|Delete|Scan)|sqs:(Delete|Receive)/.test(a))).toEqual(
      [],
    );
  });

  it('passes cdk-nag', () => {
    expect(nagFindings(projectionStack(true).app)).toEqual([]);
  });

  it('refuses a table without a stream', () => {
    const app = testApp();
    const stack = new Stack(app, 'NoStream', { env: ENV });
    const table = new TableV2(stack, 'Plain', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    const consumer = new DocflowFunction(stack, 'Fn', {
      entry: 'lambdas/handlers/system.ts',
      description: 'x',
      stage: 'test',
      logRetention: RetentionDays.ONE_MONTH,
    });
    expect(() => new StreamProjection(stack, 'P', { table, consumer })).toThrow(/no stream/);
  });
});

describe('schedules', () => {
  const rules = resources(t, 'AWS::Events::Rule').map(([, r]) => r.Properties);

  it.each(Object.entries(schedules))(
    '%s: invokes its function at its rate with its event, retried',
    (_, spec) => {
      // CDK writes whole days as days: 24 hours is `rate(1 day)`.
      const rate =
        spec.everyHours < 1
          ? `rate(${Math.round(spec.everyHours * 60)} minutes)`
          : spec.everyHours === 1
            ? 'rate(1 hour)'
            : spec.everyHours % 24 === 0
              ? `rate(${spec.everyHours / 24} day${spec.everyHours === 24 ? '' : 's'})`
              : `rate(${spec.everyHours} hours)`;
      const fnId = functionId(spec.function);
      const rule = rules.find((r) =>
        (r.Targets as { Arn: unknown }[]).some((target) => JSON.stringify(target.Arn).includes(`"${fnId}`)),
      );
      expect(rule?.ScheduleExpression).toBe(rate);
      expect(rule?.State).toBe('ENABLED');
      const [target] = (rule?.Targets ?? []) as {
        Input: string;
        RetryPolicy: { MaximumRetryAttempts: number };
        DeadLetterConfig?: { Arn: unknown };
      }[];
      expect(JSON.parse(target?.Input ?? 'null')).toEqual(spec.input);
      expect(target?.RetryPolicy.MaximumRetryAttempts).toBe(2);
      // What could not be delivered after the retries waits in an alarmed queue.
      expect(JSON.stringify(target?.DeadLetterConfig?.Arn)).toMatch(/Monitoringschedulesdeadletters/);
    },
  );

  it('the schedules’ dead-letter queue is encrypted, TLS only and alarmed', () => {
    const alarm = resources(t, 'AWS::CloudWatch::Alarm')
      .map(([, a]) => a.Properties)
      .find((a) => a.AlarmName === 'docflow-dev-schedules-dead-letters');
    expect(alarm).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1 });
    const queue = resources(t, 'AWS::SQS::Queue').find(([id]) =>
      id.startsWith('Monitoringschedulesdeadletters'),
    );
    expect(queue?.[1].Properties.SqsManagedSseEnabled).toBe(true);
  });

  it('the tree-head publisher signs with the transparency key only, and parses no upload', () => {
    const statements = roleStatements(t, functionId('treeHeadPublisher'));
    const signs = statements.filter((s) => asList(s.Action).includes('kms:Sign'));
    expect(signs.map((s) => JSON.stringify(s.Resource))).toEqual([
      expect.stringContaining('SigningKeysTransparencyKey'),
    ]);
    expect(statements.filter((s) => asList(s.Action).some((a) => String(a).startsWith('s3:')))).toEqual([]);
  });
});

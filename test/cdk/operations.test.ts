import { Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { DocflowFunction } from '../../lib/constructs/docflow-function';
import { Monitoring } from '../../lib/constructs/monitoring';
import { StreamProjection } from '../../lib/constructs/stream-projection';
import { schedules } from '../../lib/schedules';
import { streamConsumers } from '../../lib/stream-consumers';
import {
  asList,
  type CfnResource,
  deployedFunctions,
  ENV,
  functionId,
  nagFindings,
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

  it('every alarm notifies the encrypted alarm topic, and nothing is alarmed by missing data', () => {
    const topics = resources(t, 'AWS::SNS::Topic');
    expect(topics).toHaveLength(1);
    const [topicId, topic] = topics[0] as [string, CfnResource];
    expect(JSON.stringify(topic.Properties.KmsMasterKeyId)).toMatch(/MonitoringTopicKey/);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions, String(alarm.AlarmName)).toEqual([{ Ref: topicId }]);
      expect(alarm.TreatMissingData).toBe('notBreaching');
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
        spec.everyHours === 1
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
      }[];
      expect(JSON.parse(target?.Input ?? 'null')).toEqual(spec.input);
      expect(target?.RetryPolicy.MaximumRetryAttempts).toBe(2);
    },
  );

  it('the tree-head publisher signs with the transparency key only, and parses no upload', () => {
    const statements = roleStatements(t, functionId('treeHeadPublisher'));
    const signs = statements.filter((s) => asList(s.Action).includes('kms:Sign'));
    expect(signs.map((s) => JSON.stringify(s.Resource))).toEqual([
      expect.stringContaining('SigningKeysTransparencyKey'),
    ]);
    expect(statements.filter((s) => asList(s.Action).some((a) => String(a).startsWith('s3:')))).toEqual([]);
  });
});

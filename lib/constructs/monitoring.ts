import { ArnFormat, Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { EventField, type EventPattern, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import { type Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SigningKeySpec } from '../../lambdas/deployment/resources';
import { wildcardFindings } from '../nag';
import type { DocflowFunction } from './docflow-function';
import type { StreamProjection } from './stream-projection';

export interface MonitoringProps {
  readonly stage: string;
  readonly alarmEmail?: string;
}

const FIVE_MINUTES = Duration.minutes(5);

/** KMS actions on a key that can make its data unreadable, hand its use to someone, or change who may. */
export const WATCHED_KEY_EVENTS = [
  'DisableKey',
  'ScheduleKeyDeletion',
  'PutKeyPolicy',
  'CreateGrant',
] as const;

/** The message of the CRL authority's log line that marks a CRL issued and published (handlers/certificate-authority.ts). */
export const CRL_ISSUED_LOG_MESSAGE = 'crl issued';
/** Hours within which some CRL must have been issued; its nextUpdate is 7 days, so there is time to act. */
export const CRL_FRESHNESS_HOURS = 30;

/**
 * Alarms on what needs a person: function errors and throttles, API 5xx, dead letters and a stream
 * projection falling behind, the KMS request rate nearing its quota, a CRL not re-issued, and every
 * attempt to disable, delete, re-police or grant a KMS key. Every alarm notifies one encrypted SNS topic.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  /** EventBridge rules whose matched events are sent to the topic as they happen. */
  readonly notifications: Rule[] = [];
  private readonly action: SnsAction;
  private readonly stage: string;
  private eventsRole: Role | undefined;
  private eventDeadLetters: Queue | undefined;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.stage = props.stage;
    // CloudWatch cannot publish to a topic under the AWS-managed SNS key; this key lets it, and only it.
    const key = new Key(this, 'TopicKey', {
      description: `docflow ${props.stage}: alarm notifications`,
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'aws:SourceArn': Stack.of(this).formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: `docflow-${props.stage}-*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    this.topic = new Topic(this, 'Alarms', {
      displayName: `docflow ${props.stage} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.action = new SnsAction(this.topic);
  }

  /** Custom metrics of this stage (metric filters on function logs). */
  get namespace(): string {
    return `docflow/${this.stage}`;
  }

  /**
   * A dead-letter queue whose depth is alarmed: for targets (schedules, notifications) that must not fail
   * unseen. It holds the undelivered events themselves (a schedule's input, a CloudTrail record).
   */
  deadLetterQueue(name: string, description: string): Queue {
    const queue = new Queue(this, `${name}-dead-letters-queue`, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `this queue is itself the dead-letter destination of ${description}`,
    });
    this.watchDeadLetters(name, queue, description);
    return queue;
  }

  /**
   * Sends every event that matches `pattern` to the alarm topic, as `message`: things that need a person
   * at once and have no metric (a key disabled, a backup job failed). Undelivered events land in a
   * dead-letter queue, itself alarmed.
   */
  notifyOn(
    id: string,
    props: { description: string; pattern: EventPattern; message: RuleTargetInput },
  ): Rule {
    if (!this.eventsRole) {
      // One role publishes for every rule, through IAM (the topic key delegates to IAM), so neither the
      // topic's nor the key's policy has to trust the EventBridge service principal itself.
      this.eventsRole = new Role(this, 'NotificationsRole', {
        assumedBy: new ServicePrincipal('events.amazonaws.com'),
        description: `docflow ${this.stage}: EventBridge publishes matched events to the alarm topic`,
      });
      this.eventDeadLetters = this.deadLetterQueue('notifications', 'the alarm-topic notification rules');
    }
    const rule = new Rule(this, id, {
      ruleName: `docflow-${this.stage}-${id}`,
      description: `docflow ${this.stage}: ${props.description}`,
      eventPattern: props.pattern,
      targets: [
        new SnsTopic(this.topic, {
          message: props.message,
          role: this.eventsRole,
          deadLetterQueue: this.eventDeadLetters,
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });
    this.notifications.push(rule);
    this.acknowledgeNotificationRole();
    return rule;
  }

  /**
   * Alarms on every DisableKey, ScheduleKeyDeletion, PutKeyPolicy and CreateGrant call (allowed or refused)
   * on any KMS key of this account and region: the stack's keys and the seal and official keys created at
   * run time alike (their ARNs are unknown here, and CloudTrail records carry no tags). A grant made by an
   * AWS service on a caller's behalf (DynamoDB and AWS Backup using a table key) is routine and not sent;
   * a grant asked for directly is. Needs a CloudTrail trail (an organization trail will do): EventBridge
   * receives API calls only from a trail.
   */
  watchKeyEvents(): void {
    const keyArnPrefix = `arn:${Aws.PARTITION}:kms:${Aws.REGION}:${Aws.ACCOUNT_ID}:key/`;
    const message = RuleTargetInput.fromText(
      `docflow ${this.stage}: ${EventField.fromPath('$.detail.eventName')} on KMS key ${EventField.fromPath(
        '$.detail.requestParameters.keyId',
      )} by ${EventField.fromPath('$.detail.userIdentity.arn')} at ${EventField.time} (UTC). A key that protects documents or signs them must not change: check this call at once (CloudTrail event ${EventField.fromPath('$.detail.eventID')}).`,
    );
    const kmsCall = (eventNames: readonly string[]) => ({
      source: ['aws.kms'],
      detailType: ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['kms.amazonaws.com'],
        eventName: [...eventNames],
        resources: { ARN: [{ prefix: keyArnPrefix }] },
      },
    });
    this.notifyOn('key-changes', {
      description: 'a KMS key disabled, scheduled for deletion or given a new policy',
      pattern: kmsCall(WATCHED_KEY_EVENTS.filter((e) => e !== 'CreateGrant')),
      message,
    });
    const grants = kmsCall(['CreateGrant']);
    this.notifyOn('key-grants', {
      description: 'a KMS grant asked for directly (not by a service on a caller’s behalf)',
      pattern: { ...grants, detail: { ...grants.detail, userIdentity: { invokedBy: [{ exists: false }] } } },
      message,
    });
  }

  /** Alarms when a table backup or a copy of one to the second region fails, is aborted or expires. */
  watchBackupJobs(): void {
    this.notifyOn('backup-failures', {
      description: 'a backup or copy job failed',
      pattern: {
        source: ['aws.backup'],
        detailType: ['Backup Job State Change', 'Copy Job State Change'],
        detail: { state: ['FAILED', 'ABORTED', 'EXPIRED'] },
      },
      message: RuleTargetInput.fromText(
        `docflow ${this.stage}: ${EventField.detailType} ${EventField.fromPath('$.detail.state')} at ${EventField.time} (UTC) for ${EventField.fromPath('$.detail.resourceArn')}: ${EventField.fromPath('$.detail.statusMessage')}`,
      ),
    });
  }

  /**
   * Alarms when the account's asymmetric KMS request rate (Sign, shared with Verify, GetPublicKey is not
   * counted) reaches 80% of the quota the stage declares: beyond it KMS throttles and signatures wait or
   * fail. Also when a function gave up on a throttled KMS call (its log names ThrottlingException).
   */
  watchKmsQuota(
    keySpec: SigningKeySpec,
    requestsPerSecond: number,
    functions: readonly DocflowFunction[],
  ): void {
    const calls = new Metric({
      namespace: 'AWS/Usage',
      metricName: 'CallCount',
      dimensionsMap: {
        Service: 'KMS',
        Type: 'API',
        Class: 'None',
        Resource: keySpec.startsWith('RSA_') ? 'CryptographicOperationsRsa' : 'CryptographicOperationsEcc',
      },
      statistic: 'Sum',
      period: Duration.minutes(1),
    });
    this.alarm(
      'kms-near-quota',
      new MathExpression({ expression: 'calls / 60', usingMetrics: { calls }, period: Duration.minutes(1) }),
      Math.floor(requestsPerSecond * 0.8),
      {
        description: `KMS asymmetric requests above 80% of the ${requestsPerSecond}/s quota for 3 minutes: throttling is near (raise the quota, kmsSignRequestsPerSecond)`,
        evaluationPeriods: 3,
      },
    );
    for (const fn of functions) {
      new MetricFilter(this, `KmsThrottled${fn.node.id}`, {
        logGroup: fn.logGroup,
        filterPattern: FilterPattern.anyTerm('ThrottlingException'),
        metricNamespace: this.namespace,
        metricName: 'KmsThrottled',
        metricValue: '1',
      });
    }
    this.alarm(
      'kms-throttled',
      new Metric({
        namespace: this.namespace,
        metricName: 'KmsThrottled',
        statistic: 'Sum',
        period: FIVE_MINUTES,
      }),
      1,
      { description: 'a function gave up on a KMS call that stayed throttled after the SDK retries' },
    );
  }

  /**
   * Alarms when no CRL has been issued (and published) for CRL_FRESHNESS_HOURS: the daily schedule failed
   * and nobody fetched a stale one through the API either. Missing data counts as breaching here.
   */
  watchCrlFreshness(authority: ILogGroup): void {
    new MetricFilter(this, 'CrlIssued', {
      logGroup: authority,
      filterPattern: FilterPattern.stringValue('$.message', '=', CRL_ISSUED_LOG_MESSAGE),
      metricNamespace: this.namespace,
      metricName: 'CrlIssued',
      metricValue: '1',
    });
    const period = Duration.hours(6);
    this.alarm(
      'crl-stale',
      new Metric({ namespace: this.namespace, metricName: 'CrlIssued', statistic: 'Sum', period }),
      1,
      {
        description: `no CRL issued for ${CRL_FRESHNESS_HOURS} hours: relying parties will find it past its nextUpdate within days`,
        evaluationPeriods: CRL_FRESHNESS_HOURS / period.toHours(),
        comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
        missing: TreatMissingData.BREACHING,
      },
    );
  }

  /**
   * Alarms when a webhook delivery is dead-lettered (its last try failed, handlers/webhook-sender.ts): an
   * external system missed an event; its administrators see it in the deliveries and replay it.
   */
  watchWebhookDeadLetters(): void {
    this.alarm(
      'webhook-dead-letters',
      new Metric({
        namespace: this.namespace,
        metricName: 'WebhookDeliveriesDead',
        statistic: 'Sum',
        period: Duration.hours(1),
      }),
      1,
      {
        description: 'webhook deliveries failed their last try: tell the organisation; they may replay them',
      },
    );
  }

  /**
   * Alarms on any kms:Sign on a personal or seal key the reconciliation could not explain by an
   * authorization (docs/SECURITY.md), and when the reconciliation has not run for three hours.
   */
  watchKeyUseReconciliation(): void {
    const metric = (metricName: string, statistic: string) =>
      new Metric({ namespace: this.namespace, metricName, statistic, period: Duration.hours(1) });
    this.alarm('unexplained-key-use', metric('UnexplainedKeyUses', 'Sum'), 1, {
      description:
        'a personal or seal key signed without an authorization that explains it: investigate at once (docs/SECURITY.md)',
    });
    this.alarm('key-use-not-reconciled', metric('KeyUsesReconciled', 'SampleCount'), 1, {
      description: 'the hourly reconciliation of key uses has not run for three hours',
      evaluationPeriods: 3,
      comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
      missing: TreatMissingData.BREACHING,
    });
  }

  /** Alarms when S3 could not replicate an archive object into the second region's bucket. */
  watchReplication(sourceBucket: string, destinationBucket: string, ruleId: string): void {
    this.alarm(
      'archive-replication-failed',
      new Metric({
        namespace: 'AWS/S3',
        metricName: 'OperationsFailedReplication',
        dimensionsMap: { SourceBucket: sourceBucket, DestinationBucket: destinationBucket, RuleId: ruleId },
        statistic: 'Sum',
        period: FIVE_MINUTES,
      }),
      1,
      { description: 'an archive object could not be replicated to the second region' },
    );
  }

  /** Acknowledges the wildcards of the notification role's policy, which aws-cdk-lib writes. */
  private acknowledgeNotificationRole(): void {
    const policy = this.eventsRole?.node.tryFindChild('DefaultPolicy') as Policy | undefined;
    for (const finding of policy ? wildcardFindings(this, policy.document) : []) {
      Validations.of(this.eventsRole as Role).acknowledge({
        id: `AwsSolutions-IAM5[${finding}]`,
        reason:
          'publishing to the SSE-KMS alarm topic takes kms:GenerateDataKey* on its key (aws-cdk-lib grant)',
      });
    }
  }

  watchFunction(name: string, fn: DocflowFunction): void {
    this.alarm(`${name}-errors`, fn.handler.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, {
      description: `${name}: the function failed (an uncaught error or a timeout, not a 4xx answer)`,
    });
    this.alarm(
      `${name}-throttles`,
      fn.handler.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
      1,
      {
        description: `${name}: invocations were throttled (account concurrency exhausted)`,
      },
    );
  }

  watchHttpApi(api: HttpApi): void {
    this.alarm('api-5xx', api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }), 5, {
      description: 'HTTP API answered 5xx at least 5 times in 5 minutes',
    });
  }

  watchDeadLetters(
    name: string,
    queue: IQueue,
    what = 'a record could not be processed; the stream keeps it 24 h only',
  ): void {
    this.alarm(
      `${name}-dead-letters`,
      queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES }),
      1,
      { description: `${name}: ${what}` },
    );
  }

  watchStreamProjection(name: string, projection: StreamProjection): void {
    this.watchDeadLetters(name, projection.deadLetterQueue);
    this.alarm(
      `${name}-iterator-age`,
      projection.consumer.handler.metric('IteratorAge', { period: FIVE_MINUTES, statistic: 'Maximum' }),
      Duration.hours(1).toMilliseconds(),
      { description: `${name}: the projection is more than an hour behind its stream` },
    );
  }

  private alarm(
    id: string,
    metric: IMetric,
    threshold: number,
    options: {
      description: string;
      evaluationPeriods?: number;
      comparison?: ComparisonOperator;
      missing?: TreatMissingData;
    },
  ) {
    const alarm = new Alarm(this, id, {
      alarmName: `docflow-${this.stage}-${id}`,
      alarmDescription: options.description,
      metric,
      threshold,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      comparisonOperator: options.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No invocations, no messages: nothing is wrong (unless the alarm is about something missing).
      treatMissingData: options.missing ?? TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    this.alarms.push(alarm);
  }
}

import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { DocflowFunction } from './docflow-function';
import type { StreamProjection } from './stream-projection';

export interface MonitoringProps {
  readonly stage: string;
  readonly alarmEmail?: string;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * Alarms on what needs a person: function errors and throttles, API 5xx, dead letters and a stream
 * projection falling behind. Every alarm notifies one encrypted SNS topic.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  private readonly action: SnsAction;
  private readonly stage: string;

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

  watchDeadLetters(name: string, queue: IQueue): void {
    this.alarm(
      `${name}-dead-letters`,
      queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES }),
      1,
      {
        description: `${name}: a record could not be processed; the stream keeps it 24 h only`,
      },
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

  private alarm(id: string, metric: IMetric, threshold: number, options: { description: string }) {
    const alarm = new Alarm(this, id, {
      alarmName: `docflow-${this.stage}-${id}`,
      alarmDescription: options.description,
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No invocations, no messages: nothing is wrong.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    this.alarms.push(alarm);
  }
}

import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { CfnGlobalTable, type ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { DocflowFunction } from './docflow-function';

export interface StreamProjectionProps {
  /** A table with a stream (`stream: true` in lambdas/deployment/resources.ts). */
  readonly table: ITableV2;
  /** The projection: a handler that returns `{ batchItemFailures }` for the records it could not apply. */
  readonly consumer: DocflowFunction;
  readonly batchSize?: number;
  /**
   * Concurrent batches per shard. Records of one partition key (one document's events) stay in order at
   * any factor, so a projection keyed by document may raise it.
   */
  readonly parallelizationFactor?: number;
}

/**
 * A projection fed by a DynamoDB stream, failing safely: the handler reports the records it failed
 * (partial batch response), the batch is retried and bisected down to the failing record, and a record
 * still failing after the retries lands, as a pointer to its stream position, in a dead-letter queue
 * instead of blocking the shard. The stream keeps records 24 hours: a dead letter is worth an alarm.
 */
export class StreamProjection extends Construct {
  readonly deadLetterQueue: Queue;
  readonly consumer: DocflowFunction;

  constructor(scope: Construct, id: string, props: StreamProjectionProps) {
    super(scope, id);
    // TableV2 exposes a stream ARN attribute whether or not the table has a stream: ask the resource.
    const cfn = props.table.node.defaultChild;
    const hasStream =
      cfn instanceof CfnGlobalTable
        ? Stack.of(this).resolve(cfn.streamSpecification) !== undefined
        : props.table.tableStreamArn !== undefined;
    if (!hasStream) throw new Error(`${id}: the table has no stream to project`);
    this.consumer = props.consumer;
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      // Holds stream coordinates (shard, sequence numbers), not document data.
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'this queue is the dead-letter destination of the stream event source mapping',
    });
    props.consumer.handler.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: props.batchSize ?? 100,
        parallelizationFactor: props.parallelizationFactor ?? 1,
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: 10,
        // Within the stream's own 24 h retention, so an old record fails to the queue, not to oblivion.
        maxRecordAge: Duration.hours(12),
        onFailure: new SqsDlq(this.deadLetterQueue),
      }),
    );
    props.consumer.allowWildcard(
      'Resource::*',
      'a stream event source may need dynamodb:ListStreams, which aws-cdk-lib grants on "*" for some tables',
    );
  }
}

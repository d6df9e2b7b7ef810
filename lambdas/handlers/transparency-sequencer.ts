import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { dynamoTransparencyLog } from '../adapters/transparency-store';
import { logger, metrics, tracer } from '../observability';
import type { LogEntry } from '../ports/transparency';
import { appendLeaves } from '../use-cases/audit/transparency';

const ports = { transparency: dynamoTransparencyLog };

/**
 * Consumes the circulation log's stream and gives every new event its leaf in the global transparency log
 * (RFC 9162 style), in commit order, off the write path. Deployed: a DynamoDB stream event source with a
 * dead-letter queue; locally: `local/stream-poller.ts` feeds it the same records from DynamoDB Local.
 * Appending is idempotent (an event already sequenced keeps its leaf), so a retried batch is harmless.
 */
async function sequence(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  metrics.addMetric('StreamBatches', MetricUnit.Count, 1);
  const entries: { entry: LogEntry; sequenceNumber: string }[] = [];
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== 'INSERT' || !image) continue;
    const documentId = image.documentId?.S;
    const seq = Number(image.seq?.N);
    const hash = image.hash?.S;
    if (!documentId || !Number.isInteger(seq) || !hash) {
      logger.error('log record without documentId, seq or hash', { eventID: record.eventID });
      continue;
    }
    entries.push({ entry: { documentId, seq, hash }, sequenceNumber: record.dynamodb?.SequenceNumber ?? '' });
  }
  if (entries.length === 0) return { batchItemFailures: [] };
  try {
    await appendLeaves(
      ports,
      entries.map((e) => e.entry),
    );
    logger.info('sequenced', { events: entries.length });
    metrics.addMetric('EventsSequenced', MetricUnit.Count, entries.length);
    return { batchItemFailures: [] };
  } catch (error) {
    // One append covers the batch: report it from its first record so that the whole batch is retried.
    logger.error('sequencing failed; the batch will be retried', { error: error as Error });
    return { batchItemFailures: [{ itemIdentifier: entries[0]?.sequenceNumber ?? '' }] };
  }
}

export const handler = middy(sequence)
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(injectLambdaContext(logger));

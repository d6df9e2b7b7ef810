import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { readDocument } from '../adapters/document-store';
import { dynamoWebhookStore } from '../adapters/webhook-store';
import { CirculationEventSchema } from '../core/log/event';
import { logger, metrics, tracer } from '../observability';
import { fanOutEvent, type WebhookFanOutPorts } from '../use-cases/webhooks';

/**
 * Turns the circulation log's events into webhook deliveries (use-cases/webhooks.ts `fanOutEvent`): one
 * pending delivery per subscription of the event's organisation that wants it; the sender (a schedule)
 * sends them. Deployed: a stream event source with retries, bisection and a dead-letter queue; locally,
 * local/stream-poller.ts feeds it. Safe to run again on the same records (delivery ids are stable).
 */

const ports: WebhookFanOutPorts = {
  webhooks: dynamoWebhookStore,
  // Only the document's views (its metadata), never the log's payloads beyond the event, never the file.
  documents: { read: readDocument },
  now: () => new Date(),
};

async function fanOut(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  let made = 0;
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== 'INSERT' || !image?.event?.S) continue;
    const parsed = CirculationEventSchema.safeParse(JSON.parse(image.event.S));
    if (!parsed.success) {
      logger.error('a log record the webhook fan-out cannot read; skipped', { eventID: record.eventID });
      continue;
    }
    try {
      made += await fanOutEvent(ports, parsed.data);
    } catch (error) {
      logger.error('webhook fan-out failed; the record will be retried', {
        documentId: parsed.data.documentId,
        seq: parsed.data.seq,
        error: error as Error,
      });
      // In order: stop at the first failure, as partial batch responses expect.
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  metrics.addMetric('WebhookDeliveriesQueued', MetricUnit.Count, made);
  return { batchItemFailures: [] };
}

export const handler = middy(fanOut)
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(injectLambdaContext(logger));

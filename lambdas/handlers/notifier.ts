import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { dynamoDirectory } from '../adapters/directory-store';
import { readDocument } from '../adapters/document-store';
import { emailSender } from '../adapters/email-sender';
import { dynamoLiveConnections } from '../adapters/live-connections';
import { dynamoNotificationStore, dynamoReminderWatches } from '../adapters/notification-store';
import { CirculationEventSchema } from '../core/log/event';
import { reminderSettingsFrom } from '../core/notifications/reminders';
import { logger, metrics, tracer } from '../observability';
import { type NotifierPorts, notifyEvent } from '../use-cases/notifications';

/**
 * Tells people of what the circulation log's stream carries: each event's notifications and the e-mails
 * their owners chose (use-cases/notifications.ts). Deployed: a stream event source with retries, bisection
 * and a dead-letter queue; locally, local/stream-poller.ts feeds it. Safe to run again on the same records.
 */

const from = process.env.DOCFLOW_MAIL_FROM;
const ports: NotifierPorts = {
  // Only the document's views (its metadata), never the log or the file.
  documents: { read: readDocument },
  directory: { loadDirectory: dynamoDirectory.loadDirectory, listPeople: () => dynamoDirectory.listPeople() },
  notifications: dynamoNotificationStore,
  email: from ? { sender: emailSender(), from, webUrl: process.env.DOCFLOW_WEB_URL ?? '' } : undefined,
  live: process.env.DOCFLOW_LIVE_ENDPOINT ? dynamoLiveConnections : undefined,
  // Deadlines and deliver-by times to remind of (the reminders function sweeps them).
  watches: dynamoReminderWatches,
  reminders: reminderSettingsFrom(process.env.DOCFLOW_REMINDER_DAYS_BEFORE),
  now: () => new Date(),
};

async function notify(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== 'INSERT' || !image?.event?.S) continue;
    const parsed = CirculationEventSchema.safeParse(JSON.parse(image.event.S));
    if (!parsed.success) {
      logger.error('a log record the notifier cannot read; skipped', { eventID: record.eventID });
      continue;
    }
    try {
      const result = await notifyEvent(ports, parsed.data);
      if (result.notified > 0) metrics.addMetric('Notifications', MetricUnit.Count, result.notified);
      if (result.emailed > 0) metrics.addMetric('EmailsSent', MetricUnit.Count, result.emailed);
    } catch (error) {
      logger.error('notifying failed; the record will be retried', {
        documentId: parsed.data.documentId,
        seq: parsed.data.seq,
        error: error as Error,
      });
      // In order: stop at the first failure, as partial batch responses expect.
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
}

export const handler = middy(notify)
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(injectLambdaContext(logger));

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
 * and a dead-letter queue; locally, local/stream-poller.ts feeds it. Safe to run again on the same records,
 * so a batch's events are notified concurrently.
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

/** Events of one batch notified at once: each is independent (its notifications and e-mails once-only). */
const CONCURRENCY = 16;

/**
 * The ports for one batch: the directory and each document read once for all its events (a send to 141
 * organisations is 141 arrivals of one document in a batch). Both are read after the batch's events were
 * written, as each event's own read would be.
 */
function batchPorts(): NotifierPorts {
  let directory: ReturnType<NotifierPorts['directory']['loadDirectory']> | undefined;
  let people: ReturnType<NotifierPorts['directory']['listPeople']> | undefined;
  const documents = new Map<string, ReturnType<NotifierPorts['documents']['read']>>();
  const once = <T>(promise: Promise<T>, forget: () => void) => {
    promise.catch(forget);
    return promise;
  };
  return {
    ...ports,
    directory: {
      loadDirectory: () =>
        (directory ??= once(ports.directory.loadDirectory(), () => {
          directory = undefined;
        })),
      listPeople: () =>
        (people ??= once(ports.directory.listPeople(), () => {
          people = undefined;
        })),
    },
    documents: {
      read: (id) => {
        let read = documents.get(id);
        if (!read) {
          read = once(ports.documents.read(id), () => documents.delete(id));
          documents.set(id, read);
        }
        return read;
      },
    },
  };
}

async function notify(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const batch = batchPorts();
  const outcomes: boolean[] = new Array(event.Records.length).fill(true);
  let next = 0;
  const one = async (index: number) => {
    const record = event.Records[index];
    const image = record?.dynamodb?.NewImage;
    if (record?.eventName !== 'INSERT' || !image?.event?.S) return;
    const parsed = CirculationEventSchema.safeParse(JSON.parse(image.event.S));
    if (!parsed.success) {
      logger.error('a log record the notifier cannot read; skipped', { eventID: record.eventID });
      return;
    }
    try {
      const result = await notifyEvent(batch, parsed.data);
      if (result.notified > 0) metrics.addMetric('Notifications', MetricUnit.Count, result.notified);
      if (result.emailed > 0) metrics.addMetric('EmailsSent', MetricUnit.Count, result.emailed);
    } catch (error) {
      logger.error('notifying failed; the record will be retried', {
        documentId: parsed.data.documentId,
        seq: parsed.data.seq,
        error: error as Error,
      });
      outcomes[index] = false;
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, event.Records.length) }, async () => {
      while (next < event.Records.length) await one(next++);
    }),
  );
  // Partial batch response: the stream is given again from the first failure; what came after it and was
  // done is done again harmlessly (once-only notifications and e-mails).
  const failed = outcomes.indexOf(false);
  if (failed < 0) return { batchItemFailures: [] };
  return { batchItemFailures: [{ itemIdentifier: event.Records[failed]?.dynamodb?.SequenceNumber ?? '' }] };
}

export const handler = middy(notify)
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(injectLambdaContext(logger));

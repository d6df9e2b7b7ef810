import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { dynamoDirectory } from '../adapters/directory-store';
import { listInbox, readDocument } from '../adapters/document-store';
import { emailSender } from '../adapters/email-sender';
import { dynamoNotificationStore, dynamoReminderWatches } from '../adapters/notification-store';
import { reminderSettingsFrom } from '../core/notifications/reminders';
import { logger, metrics, tracer } from '../observability';
import {
  deriveReminderWatches,
  derivesWatchesAt,
  type ReminderSweepPorts,
  type SweepResult,
  sweepReminders,
} from '../use-cases/notifications';

/**
 * Sends the reminders whose time came (use-cases/notifications.ts `sweepReminders`). Invoked by the
 * EventBridge Scheduler schedule of lib/schedules.ts with the schedule's own time (`at`), so that a run
 * retried later still sweeps as of when it was due; locally by local/scheduler.ts, whose clock a test
 * advances. Safe to run again at the same time. Once a day (and when asked with `derive`) it first derives
 * the watch of every open record with a deadline, so that deadlines set before reminders existed are watched.
 */

// `derive`: also derive every open record's watch now (after a deploy; otherwise daily before the reminders).
const EventSchema = z.object({
  at: z.iso.datetime({ offset: true }).optional(),
  derive: z.boolean().optional(),
});

const from = process.env.DOCFLOW_MAIL_FROM;
const ports: ReminderSweepPorts = {
  documents: { read: readDocument },
  directory: { loadDirectory: dynamoDirectory.loadDirectory, listPeople: () => dynamoDirectory.listPeople() },
  notifications: dynamoNotificationStore,
  watches: dynamoReminderWatches,
  email: from ? { sender: emailSender(), from, webUrl: process.env.DOCFLOW_WEB_URL ?? '' } : undefined,
  reminders: reminderSettingsFrom(process.env.DOCFLOW_REMINDER_DAYS_BEFORE),
  now: () => new Date(),
};

async function sweep(event: unknown): Promise<SweepResult> {
  const parsed = EventSchema.safeParse(event);
  const at = parsed.success && parsed.data.at ? new Date(parsed.data.at) : new Date();
  if ((parsed.success && parsed.data.derive) || derivesWatchesAt(at, ports.reminders)) {
    const derived = await deriveReminderWatches({ ...ports, documents: { listInbox } }, at);
    logger.info('reminder watches derived from the records', { at: at.toISOString(), ...derived });
  }
  const result = await sweepReminders(ports, at);
  if (result.reminded > 0) metrics.addMetric('Reminders', MetricUnit.Count, result.reminded);
  if (result.emailed > 0) metrics.addMetric('EmailsSent', MetricUnit.Count, result.emailed);
  // A watch that failed stays for the next sweep; the run fails (and is retried) so that it is seen.
  if (result.failed > 0) {
    logger.error('reminders failed; their watches stay for the next sweep', { ...result });
    throw new Error(`${result.failed} of ${result.watches} reminders failed`);
  }
  logger.info('reminders', { at: at.toISOString(), ...result });
  return result;
}

export const handler = middy(sweep)
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(injectLambdaContext(logger));

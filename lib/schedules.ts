import type { InternalFunctionName } from '../lambdas/routes';

export interface ScheduleSpec {
  /** The invoked function (lambdas/routes.ts `internalFunctions`) and the event it gets. */
  readonly function: InternalFunctionName;
  readonly input: Readonly<Record<string, unknown>>;
  readonly everyHours: number;
  readonly description: string;
}

/**
 * Work that must happen whether or not anyone asks: deployed as EventBridge schedules, locally played by
 * local/scheduler.ts with the same events.
 */
export const schedules = {
  /**
   * A fresh CRL every day, published to the PKI bucket: relying parties that fetch it there (rather than
   * through the API, which refreshes on demand) never find one past its nextUpdate (7 days).
   */
  crl: {
    function: 'certificateAuthority',
    input: { command: 'crl' },
    everyHours: 24,
    description: 'Re-issues and publishes the city CRL',
  },
  /** A signed transparency-log head every hour: the record auditors compare later (RFC 9162 §4.9). */
  treeHead: {
    function: 'treeHeadPublisher',
    input: {},
    everyHours: 1,
    description: 'Signs and stores the transparency log head',
  },
  /** Every use of a personal or seal key accounted for, each hour (docs/SECURITY.md). */
  keyUses: {
    function: 'signatureReconciler',
    input: {},
    everyHours: 1,
    description: 'Reconciles kms:Sign calls on personal and seal keys with the authorizations',
  },
  /**
   * Archive timestamps renewed before their evidence lapses (PAdES B-LTA): each run takes the renewals due
   * (a few per run, within the invoked function's time), so hourly runs keep up with a year's archive.
   */
  archiveRenewal: {
    function: 'archiveRenewer',
    input: {},
    everyHours: 1,
    description: 'Renews archive timestamps before their evidence lapses',
  },
  /**
   * The national document exchange keeps what is sent to the city until the city takes it (its endpoints
   * pull): every five minutes what waits is taken and acknowledged, and pending sends are retried.
   */
  exchange: {
    function: 'exchangePoller',
    input: {},
    everyHours: 5 / 60,
    description: 'Takes documents and statuses from the national document exchange; retries pending sends',
  },
} as const satisfies Record<string, ScheduleSpec>;

export interface ClockScheduleSpec {
  /** The invoked function; its event is `{ at }`, the time the run was due (ISO 8601). */
  readonly function: InternalFunctionName;
  readonly everyMinutes: number;
  readonly description: string;
}

/**
 * Work that runs as of a time: deployed as EventBridge Scheduler schedules (lib/constructs/clock-schedules.ts)
 * whose target is given the schedule's own time (`<aws.scheduler.scheduled-time>`), so a retried run still
 * acts as of when it was due; locally played by local/scheduler.ts, whose clock a test may advance.
 */
export const clockSchedules = {
  /**
   * Deadline reminders and escalations (use-cases/notifications.ts, where the comment on `sweepReminders`
   * says why one sweep rather than one `at()` schedule per deadline): a reminder is at most 15 minutes late.
   */
  reminders: {
    function: 'reminders',
    everyMinutes: 15,
    description: 'Reminds handlers and leaders of deadlines; escalates timed flash documents not received',
  },
  /**
   * Webhook deliveries due (use-cases/webhooks.ts): new ones within a minute of their event, retries after
   * their backoff. Deliveries wait in a table rather than a queue, so that their status is readable and
   * replayable, and the local stack needs no queue emulator.
   */
  webhooks: {
    function: 'webhookSender',
    everyMinutes: 1,
    description: 'Sends webhook deliveries due, retries after backoff, dead-letters after the last try',
  },
} as const satisfies Record<string, ClockScheduleSpec>;

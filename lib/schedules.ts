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

import type { TableName } from '../lambdas/deployment/resources';

export interface StreamConsumerSpec {
  /** Handler module, relative to the repository root; it returns `{ batchItemFailures }`. */
  readonly entry: string;
  readonly description: string;
  /** The table whose stream feeds it (`stream: true` in lambdas/deployment/resources.ts). */
  readonly table: TableName;
}

/**
 * Functions fed by a table's stream rather than by API routes. The local stack runs the same handlers
 * from its stream poller (local/stack.ts); deployed, each gets a StreamProjection (dead letters, partial
 * batch failures). Their permissions are in lib/permissions.ts like every function's.
 */
export const streamConsumers = {
  transparencySequencer: {
    entry: 'lambdas/handlers/transparency-sequencer.ts',
    description: 'Gives every circulation-log event its leaf in the transparency log, off the write path',
    table: 'log',
  },
  deliveryCompleter: {
    entry: 'lambdas/handlers/delivery-completer.ts',
    description: 'Finishes every send and recall from the log: the deliveries or recalls still missing',
    table: 'log',
  },
  notifier: {
    entry: 'lambdas/handlers/notifier.ts',
    description:
      'Tells people of each event that concerns them: their notification list and the e-mail they chose',
    table: 'log',
  },
  webhookFanOut: {
    entry: 'lambdas/handlers/webhook-fanout.ts',
    description:
      "Turns each circulation event into webhook deliveries for the subscriptions of the event's organisation",
    table: 'log',
  },
} as const satisfies Record<string, StreamConsumerSpec>;

export type StreamConsumerName = keyof typeof streamConsumers;

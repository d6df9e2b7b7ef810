import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { boundedConfig, CALL_BOUNDS } from '../lambdas/adapters/aws-clients';
import { lambdaContext } from './lambda-context';

/**
 * The laptop's event source mapping: DynamoDB Local keeps streams but triggers no Lambdas, so this polls a
 * table's stream and hands each batch of records to the same handler Lambda would run, in order, retrying
 * from the first failed record as Lambda does with partial batch responses.
 */

type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;

export interface StreamPoller {
  /** Resolves once every record written so far has been handled (for tests and benchmarks). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStreamPoller(options: {
  tableName: string;
  handler: StreamHandler;
  /** The consumer's function name, for the Lambda context its handler gets. */
  name?: string;
  log: (line: string) => void;
  intervalMs?: number;
}): Promise<StreamPoller> {
  const dynamo = new DynamoDBClient(boundedConfig(CALL_BOUNDS.dynamodb));
  const streams = new DynamoDBStreamsClient({
    ...boundedConfig(CALL_BOUNDS.dynamodb),
    endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB,
  });
  const table = await dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${options.tableName} has no stream`);
  const iterators = new Map<string, string | undefined>();
  // The last record handled per shard: where to resume when DynamoDB Local invalidates an iterator.
  const checkpoints = new Map<string, string>();
  const done = new Set<string>();
  let running = true;
  // When the latest poll that found nothing had started: every record written before then was handled.
  let lastEmptyPollStartedAt = 0;

  async function refreshShards(): Promise<void> {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      const id = shard.ShardId;
      if (!id || iterators.has(id) || done.has(id)) continue;
      iterators.set(id, await iteratorFor(id));
    }
  }

  async function iteratorFor(shardId: string): Promise<string | undefined> {
    const after = checkpoints.get(shardId);
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(after
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return ShardIterator;
  }

  async function getRecords(shardId: string, iterator: string) {
    try {
      return await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    } catch (error) {
      // DynamoDB Local reports an iterator taken on an empty shard as trimmed once records arrive (a known
      // quirk), and iterators expire: start again from the checkpoint.
      const name = (error as Error).name;
      if (name !== 'TrimmedDataAccessException' && name !== 'ExpiredIteratorException') throw error;
      const fresh = await iteratorFor(shardId);
      return fresh
        ? streams.send(new GetRecordsCommand({ ShardIterator: fresh, Limit: 1000 }))
        : { Records: [] };
    }
  }

  async function deliver(records: StreamRecord[]): Promise<void> {
    let pending = records;
    while (pending.length > 0 && running) {
      const result = await options.handler(
        { Records: pending as DynamoDBStreamEvent['Records'] },
        lambdaContext(options.name ?? 'streamConsumer', 120_000),
      );
      const failed = result.batchItemFailures[0]?.itemIdentifier;
      if (!failed) return;
      const from = pending.findIndex((r) => r.dynamodb?.SequenceNumber === failed);
      pending = from >= 0 ? pending.slice(from) : pending;
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  async function pollOnce(): Promise<number> {
    await refreshShards();
    let handled = 0;
    for (const [id, iterator] of iterators) {
      if (!iterator) {
        iterators.delete(id);
        done.add(id);
        continue;
      }
      const page = await getRecords(id, iterator);
      iterators.set(id, 'NextShardIterator' in page ? page.NextShardIterator : iterator);
      const records = page.Records ?? [];
      if (records.length > 0) {
        await deliver(records);
        const last = records.at(-1)?.dynamodb?.SequenceNumber;
        if (last) checkpoints.set(id, last);
      }
      handled += records.length;
    }
    return handled;
  }

  const loop = (async () => {
    // While DynamoDB is away (restarting, say) every poll fails alike: say so once, and when it is over.
    let failing: string | undefined;
    while (running) {
      const started = Date.now();
      try {
        if ((await pollOnce()) === 0) lastEmptyPollStartedAt = started;
        if (failing) options.log('stream poller: reading the stream again');
        failing = undefined;
      } catch (error) {
        const message = (error as Error).message;
        if (message !== failing) options.log(`stream poller: ${message} (retrying every poll)`);
        failing = message;
      }
      if (running) await new Promise((r) => setTimeout(r, options.intervalMs ?? 200));
    }
  })();

  return {
    async drain() {
      const since = Date.now();
      while (running && lastEmptyPollStartedAt <= since) await new Promise((r) => setTimeout(r, 50));
    },
    async stop() {
      running = false;
      await loop;
      streams.destroy();
      dynamo.destroy();
    },
  };
}

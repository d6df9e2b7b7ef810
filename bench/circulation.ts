import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentClient, dynamoClient } from '../lambdas/adapters/aws-clients';
import { incomingItem } from '../lambdas/adapters/document-store';
import { BatchWriteCommand } from '../lambdas/adapters/sdk-commands';
import type { IncomingRecord } from '../lambdas/core/domain/incoming';
import { resourceName, tables } from '../lambdas/deployment/resources';
import { startLocalStack } from '../local/stack';
import { type Benchmark, type BenchResult, percentiles, row } from './harness';
import { type Client, client, issuedCityDocument } from './local-client';

/*
 * Circulation at city scale, against the local stack in this process (so DynamoDB requests can be counted
 * at the client): a broadcast to every ward, commune and department, and inbox listing as the table grows.
 */

let dynamoRequests = 0;
async function countDynamoRequests(): Promise<void> {
  (await dynamoClient().client()).middlewareStack.add(
    (next) => async (args) => {
      dynamoRequests++;
      return next(args);
    },
    { step: 'initialize', name: 'benchRequestCounter' },
  );
}

async function measureSend(
  api: Client,
  recipients: string[],
): Promise<{ ms: number; requests: number; count: number }> {
  const id = await issuedCityDocument(api);
  dynamoRequests = 0;
  const started = performance.now();
  const view = await api.post('city-clerk', `/api/documents/${id}/send`, { recipients });
  const ms = performance.now() - started;
  const requests = dynamoRequests;
  const deliveries = view.deliveries as { status: string }[];
  if (!deliveries.every((d) => d.status === 'arrived')) throw new Error('not every delivery arrived');
  return { ms, requests, count: deliveries.length };
}

function syntheticRecord(orgId: string, n: number): IncomingRecord {
  const at = new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString();
  return {
    documentId: `bench-${orgId}-${n}`,
    orgId,
    senderOrgId: 'ubnd-hanoi',
    purpose: 'action',
    state: 'ARRIVED',
    typeId: 'thong-bao',
    subject: `Thông báo số ${n}`,
    symbol: `${n}/TB-UBND`,
    issuedOn: at.slice(0, 10),
    urgency: 'normal',
    documentSha256: '0'.repeat(64),
    arrivedAt: at,
    updatedAt: at,
    version: 1,
  };
}

/** Bulk-loads records into other organisations' inboxes: the table grows, the measured inbox does not. */
async function growTable(from: number, to: number): Promise<void> {
  const table = resourceName(tables.views);
  const orgs = ['so-noi-vu', 'so-tai-chinh', 'phuong-hoan-kiem', 'xa-soc-son', 'so-y-te', 'so-xay-dung'];
  const batches: Record<string, unknown>[][] = [];
  for (let n = from; n < to; n += 25) {
    batches.push(
      Array.from({ length: Math.min(25, to - n) }, (_, i) =>
        incomingItem(syntheticRecord(orgs[(n + i) % orgs.length] ?? 'so-y-te', n + i)),
      ),
    );
  }
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        const items = batches[next++] ?? [];
        let pending = items.map((Item) => ({ PutRequest: { Item } }));
        while (pending.length > 0) {
          const result = await documentClient().send(
            new BatchWriteCommand({ RequestItems: { [table]: pending } }),
          );
          pending = (result.UnprocessedItems?.[table] ?? []) as typeof pending;
        }
      }
    }),
  );
  console.log(`  loaded ${to - from} records in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function listingLatencies(api: Client, samples: number): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    const page = await api.get('ba-dinh-clerk', '/api/inbox?folder=incoming&limit=25');
    times.push(performance.now() - started);
    if ((page.items as unknown[]).length === 0) throw new Error('empty inbox');
  }
  return percentiles(times);
}

/**
 * DynamoDB Local keeps working (SQLite, JVM garbage collection) for a few seconds after a bulk load; both
 * sizes are measured the same way, after it settles, so that the comparison is about the table size.
 */
async function settledLatencies(api: Client): Promise<{ p50: number; p95: number }> {
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  await listingLatencies(api, 50);
  return listingLatencies(api, 300);
}

export const circulationBenchmark: Benchmark = {
  name: 'circulation',
  async run(): Promise<BenchResult> {
    const dataDir = await mkdtemp(join(tmpdir(), 'docflow-bench-'));
    // The transparency sequencer reads the log's stream off the write path (its own Lambda when deployed):
    // left out here, so that the requests counted are the send's own.
    const stack = await startLocalStack({
      dataDir,
      port: 0,
      host: '127.0.0.1',
      fresh: true,
      log: () => undefined,
      streamConsumers: false,
    });
    try {
      await countDynamoRequests();
      const api = client(stack.url);
      // Warm up keys, certificates and code paths so that the first measurement is not a cold start.
      await measureSend(api, ['phuong-ba-dinh']);
      const one = await measureSend(api, ['phuong-ba-dinh']);
      const ten = await measureSend(api, ['all-departments']);
      const all = await measureSend(api, ['all-wards', 'all-departments']);

      // The measured inbox: 200 documents in Ba Đình's incoming folder, the rest of the table elsewhere.
      const ward = Array.from({ length: 200 }, (_, n) => incomingItem(syntheticRecord('phuong-ba-dinh', n)));
      for (let i = 0; i < ward.length; i += 25) {
        await documentClient().send(
          new BatchWriteCommand({
            RequestItems: {
              [resourceName(tables.views)]: ward.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
            },
          }),
        );
      }
      await growTable(200, 10_000);
      const at10k = await settledLatencies(api);

      await growTable(10_000, 100_000);
      const at100k = await settledLatencies(api);

      return {
        name: 'circulation',
        description:
          'A send to every ward, commune and department (141 recipients) through the HTTP API of the local stack, ' +
          'DynamoDB requests counted at the client; inbox listing latency as the views table grows from 10k to 100k documents.',
        rows: [
          row(`send to ${all.count} recipients, complete`, all.ms, 'ms', {
            reference: one.ms,
            referenceLabel: 'send to 1 recipient',
            target: '≤ 1000 ms',
            ok: all.ms <= 1000,
          }),
          row(`DynamoDB requests, send to ${all.count}`, all.requests, 'requests', {
            reference: one.requests,
            referenceLabel: 'send to 1',
            target: `≤ ${Math.ceil(all.count / 25)} + constant (recipients/25)`,
            ok: all.requests - one.requests <= Math.ceil((all.count - 1) / 25),
          }),
          row(`DynamoDB requests, send to ${ten.count}`, ten.requests, 'requests', {
            reference: one.requests,
            referenceLabel: 'send to 1',
          }),
          row('inbox listing p50 at 100k documents', at100k.p50, 'ms', {
            reference: at10k.p50,
            referenceLabel: 'p50 at 10k',
            target: 'ratio ≤ 1.2',
            ok: at100k.p50 / at10k.p50 <= 1.2,
          }),
          row('inbox listing p95 at 100k documents', at100k.p95, 'ms', {
            reference: at10k.p95,
            referenceLabel: 'p95 at 10k',
            target: 'ratio ≤ 1.2',
            ok: at100k.p95 / at10k.p95 <= 1.2,
          }),
        ],
        notes: [
          'Deliveries are written 45 recipients per TransactWriteItems (an event and a record each), after one read of the document.',
          'Inbox listing is one Query of a GSI partition (organisation + folder): its cost does not depend on the table size.',
          "The transparency sequencer (a log-stream consumer, off the write path) is not running here: its requests are not the send's.",
        ],
      };
    } finally {
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};

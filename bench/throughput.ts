import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack } from '../local/stack';
import { draftDecision } from '../test/fixtures/documents';
import { uploadTo } from '../test/support/upload';
import { type Benchmark, type BenchResult, type BenchRow, percentiles, row } from './harness';
import { authorize, type Client, client } from './local-client';

/*
 * Issue #15: the whole circulation under concurrent clients on the local stack, each client one document
 * at a time from draft to the recipient's registration, as the people of an organisation would take it
 * (specialist, leader, clerk; then the recipient's clerk). Throughput and each step's p95 at 1, 5 and 20
 * clients, against 1 client in the same run.
 */

/** The demo organisations with a specialist, a head who signs and a clerk; each sends to the next. */
const OFFICES = [
  { org: 'ubnd-hanoi', specialist: 'city-specialist', leader: 'city-chairman', clerk: 'city-clerk' },
  { org: 'so-noi-vu', specialist: 'snv-specialist', leader: 'snv-director', clerk: 'snv-clerk' },
  { org: 'so-tai-chinh', specialist: 'stc-specialist', leader: 'stc-director', clerk: 'stc-clerk' },
  {
    org: 'phuong-ba-dinh',
    specialist: 'ba-dinh-specialist',
    leader: 'ba-dinh-chairman',
    clerk: 'ba-dinh-clerk',
  },
  {
    org: 'phuong-hoan-kiem',
    specialist: 'hoan-kiem-specialist',
    leader: 'hoan-kiem-chairman',
    clerk: 'hoan-kiem-clerk',
  },
  { org: 'xa-soc-son', specialist: 'soc-son-specialist', leader: 'soc-son-chairman', clerk: 'soc-son-clerk' },
] as const;

const STEPS = [
  'draft and upload',
  'submit',
  'approve',
  'sign (prepare, authorize, make)',
  'issue (prepare, authorize, seal)',
  'send',
  'register (recipient)',
] as const;
type Step = (typeof STEPS)[number];

/** Concurrency and how many documents each client takes through. */
const LEVELS = [
  { clients: 1, each: 8 },
  { clients: 5, each: 4 },
  { clients: 20, each: 3 },
] as const;

interface Level {
  readonly clients: number;
  readonly documents: number;
  readonly failures: number;
  readonly seconds: number;
  readonly steps: ReadonlyMap<Step, number[]>;
}

async function oneDocument(api: Client, pdf: Uint8Array, clientNo: number, steps: Map<Step, number[]>) {
  const office = OFFICES[clientNo % OFFICES.length] ?? OFFICES[0];
  const recipient = OFFICES[(clientNo + 1) % OFFICES.length] ?? OFFICES[1];
  // Each client is its own device: concurrent clients acting as one person each hold a passkey of their own.
  const device = `client-${clientNo}`;
  const step = async <T>(name: Step, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await work();
    steps.get(name)?.push(performance.now() - started);
    return result;
  };
  const id = await step('draft and upload', async () => {
    const created = await api.post(office.specialist, '/api/documents', {
      title: `Công văn thử tải ${clientNo}`,
      docType: 'cong-van',
      recipients: [recipient.org],
    });
    const upload = created.upload as { url: string; fields: Record<string, string> };
    const put = await uploadTo(upload, pdf);
    if (!put.ok) throw new Error(`upload: ${put.status}`);
    await api.post(office.specialist, `/api/documents/${created.id}/content`);
    return String(created.id);
  });
  await step('submit', () => api.post(office.specialist, `/api/documents/${id}/submit`));
  await step('approve', () => api.post(office.leader, `/api/documents/${id}/approve`));
  await step('sign (prepare, authorize, make)', async () => {
    const prepared = await api.post(office.leader, `/api/documents/${id}/signature-requests`);
    await authorize(api, office.leader, [String(prepared.requestId)], device);
    await api.post(office.leader, `/api/documents/${id}/sign`, { requestId: prepared.requestId });
  });
  await step('issue (prepare, authorize, seal)', async () => {
    const prepared = await api.post(office.clerk, `/api/documents/${id}/issue-requests`);
    await authorize(api, office.clerk, [String(prepared.requestId)], device);
    await api.post(office.clerk, `/api/documents/${id}/issue`, { requestId: prepared.requestId });
  });
  await step('send', () =>
    api.post(office.clerk, `/api/documents/${id}/send`, { recipients: [recipient.org] }),
  );
  await step('register (recipient)', () => api.post(recipient.clerk, `/api/documents/${id}/register`));
}

async function level(api: Client, pdf: Uint8Array, clients: number, each: number): Promise<Level> {
  const steps = new Map<Step, number[]>(STEPS.map((s) => [s, []]));
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, clientNo) => {
      for (let n = 0; n < each; n++) {
        await oneDocument(api, pdf, clientNo, steps).catch((error: Error) => {
          failures++;
          console.error(`  client ${clientNo}: ${error.message.slice(0, 300)}`);
        });
      }
    }),
  );
  return {
    clients,
    documents: clients * each,
    failures,
    seconds: (performance.now() - started) / 1000,
    steps,
  };
}

export const throughputBenchmark: Benchmark = {
  name: 'throughput',
  async run(): Promise<BenchResult> {
    const dataDir = await mkdtemp(join(tmpdir(), 'docflow-bench-'));
    const stack = await startLocalStack({
      dataDir,
      port: 0,
      host: '127.0.0.1',
      fresh: true,
      log: () => undefined,
    });
    try {
      const api = client(stack.url);
      const pdf = await draftDecision(1);
      // Warm every function, key and certificate: one document per office, one after another.
      await level(api, pdf, OFFICES.length, 1);
      const results: Level[] = [];
      for (const { clients, each } of LEVELS) results.push(await level(api, pdf, clients, each));
      const [single] = results;
      if (!single) throw new Error('no level measured');
      const perMinute = (l: Level) => ((l.documents - l.failures) / l.seconds) * 60;
      const rows: BenchRow[] = [];
      for (const l of results) {
        rows.push(
          row(
            `${l.clients} client(s): documents through the whole flow per minute`,
            perMinute(l),
            'docs/min',
            {
              reference: perMinute(single),
              referenceLabel: '1 client',
            },
          ),
          row(`${l.clients} client(s): flows that failed`, l.failures, 'flows', {
            target: '0',
            ok: l.failures === 0,
          }),
        );
      }
      for (const name of STEPS) {
        const base = percentiles(single.steps.get(name) ?? []).p95;
        for (const l of results.slice(1)) {
          rows.push(
            row(`${name}: p95 at ${l.clients} clients`, percentiles(l.steps.get(name) ?? []).p95, 'ms', {
              reference: base,
              referenceLabel: 'p95 at 1 client',
            }),
          );
        }
      }
      return {
        name: 'throughput',
        description:
          'The whole circulation (draft, submit, approve, sign, issue, send, the recipient registers) by concurrent ' +
          'clients through the HTTP API of the local stack: documents per minute and each step’s p95 at 1, 5 ' +
          'and 20 clients, against 1 client in the same run.',
        rows,
        notes: [
          `Each level: ${LEVELS.map((l) => `${l.clients} × ${l.each}`).join(', ')} documents (clients × documents each); ` +
            'clients are spread over the six demo offices, so several act as the same person at once (each with its own passkey).',
          'Signing and issuing include their authorization (a software passkey: the person’s gesture excluded).',
          'Every function runs in a worker thread of the one stack process, with DynamoDB Local (Java) and the ' +
            'emulators on the same 2 CPUs: the ratios show where contention starts, not Lambda’s scaling.',
        ],
      };
    } finally {
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};

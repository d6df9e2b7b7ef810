import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_BATCH } from '../lambdas/core/signing/activation-claims';
import { startLocalStack } from '../local/stack';
import { type Benchmark, type BenchResult, percentiles, row } from './harness';
import { approvedCityDocument, authorize, type Client, client } from './local-client';

/*
 * Issue #13's cost of sole control on the local stack (every function in its own worker, the KMS emulator
 * checking key policies, the signer assuming its per-holder role): what the authorization step adds to a
 * signature, the person's own typing excluded, and a batch authorized once.
 */

const SINGLES = 15;
const BATCH = 50;

interface Timed {
  readonly prepare: number;
  readonly authorize: number;
  readonly sign: number;
}

async function ms(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function oneSignature(api: Client, id: string): Promise<Timed> {
  let requestId = '';
  const prepare = await ms(async () => {
    const prepared = await api.post('city-chairman', `/api/documents/${id}/signature-requests`, {
      capacity: 'TM',
    });
    requestId = String(prepared.requestId);
  });
  const authorization = await ms(() => authorize(api, 'city-chairman', [requestId]));
  const sign = await ms(() => api.post('city-chairman', `/api/documents/${id}/sign`, { requestId }));
  return { prepare, authorize: authorization, sign };
}

export const authorizationBenchmark: Benchmark = {
  name: 'authorization',
  async run(): Promise<BenchResult> {
    if (BATCH > MAX_BATCH) throw new Error(`a batch of ${BATCH} is more than one authorization covers`);
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
      // Warm the functions, the holder's key and certificate, and the signer's role session.
      await oneSignature(api, await approvedCityDocument(api));
      await oneSignature(api, await approvedCityDocument(api));

      const singles: Timed[] = [];
      for (let i = 0; i < SINGLES; i++)
        singles.push(await oneSignature(api, await approvedCityDocument(api)));
      const without = singles.map((s) => s.prepare + s.sign);
      const withIt = singles.map((s) => s.prepare + s.authorize + s.sign);
      const single = percentiles(withIt).p50;

      const ids: string[] = [];
      for (let i = 0; i < BATCH; i++) ids.push(await approvedCityDocument(api));
      const batchMs = await ms(async () => {
        const requestIds: string[] = [];
        for (const id of ids) {
          const prepared = await api.post('city-chairman', `/api/documents/${id}/signature-requests`, {
            capacity: 'TM',
          });
          requestIds.push(String(prepared.requestId));
        }
        await authorize(api, 'city-chairman', requestIds);
        for (const [i, id] of ids.entries()) {
          await api.post('city-chairman', `/api/documents/${id}/sign`, { requestId: requestIds[i] });
        }
      });
      const perDocument = batchMs / BATCH;
      const ratio = percentiles(withIt).p50 / percentiles(without).p50;

      return {
        name: 'authorization',
        description:
          "The authorization step of a signature on the local stack (challenge, the passkey's assertion checked, " +
          'the activation token issued), the person excluded: added to preparing and making the signature, ' +
          `and a batch of ${BATCH} documents authorized once.`,
        rows: [
          row('signature with its authorization, p50', single, 'ms', {
            reference: percentiles(without).p50,
            referenceLabel: 'prepare + sign, without the authorization step',
            target: 'ratio ≤ 1.3',
            ok: ratio <= 1.3,
          }),
          row('authorization step alone, p50', percentiles(singles.map((s) => s.authorize)).p50, 'ms', {
            reference: percentiles(singles.map((s) => s.sign)).p50,
            referenceLabel: 'making the signature (sign), p50',
          }),
          row(`batch of ${BATCH} authorized once: per document`, perDocument, 'ms', {
            reference: single,
            referenceLabel: 'one signature with its own authorization',
            target: 'ratio ≤ 1',
            ok: perDocument <= single,
          }),
        ],
        notes: [
          `Medians of ${SINGLES} signatures, each on a fresh approved 1-page document, after two warm-up signatures.`,
          'The authorization step is two requests (the challenge, then the assertion) to the signatureActivation ' +
            'function; the signature itself goes through the signing function and the signer, which exchanges ' +
            'the activation token for the holder-scoped role with STS before KMS signs.',
          'The passkey is a software authenticator (ES256) in this process; a person adds their own gesture.',
        ],
      };
    } finally {
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};

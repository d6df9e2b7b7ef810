import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack } from '../local/stack';
import { fuzz } from '../test/support/fuzz';
import { type Benchmark, percentiles, row } from './harness';

/*
 * The HTTP API fuzzed for longer than `npm test` does (test/integration/fuzz.test.ts runs 120 requests with
 * a fixed seed): FUZZ_RUNS requests (default 2000) from a seed that changes every run unless FUZZ_SEED is
 * given, against a fresh local stack in this process. Latencies are compared with GET /api/health's.
 */

const ANSWER_BOUND_MS = 15_000;

export const fuzzBenchmark: Benchmark = {
  name: 'fuzz',
  async run() {
    const runs = Number(process.env.FUZZ_RUNS ?? 2_000);
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
    const dataDir = await mkdtemp(join(tmpdir(), 'docflow-bench-fuzz-'));
    const stack = await startLocalStack({
      dataDir,
      port: 0,
      host: '127.0.0.1',
      fresh: true,
      log: () => undefined,
    });
    try {
      const health: number[] = [];
      for (let i = 0; i < 50; i++) {
        const started = performance.now();
        await (await fetch(`${stack.url}/api/health`)).text();
        health.push(performance.now() - started);
      }
      const report = await fuzz(stack, {
        runs,
        seed,
        answerBoundMs: ANSWER_BOUND_MS,
        log: (line) => console.log(line),
      });
      const latency = percentiles(report.latenciesMs);
      const reference = percentiles(health);
      const count = (predicate: (status: number) => boolean) =>
        Object.entries(report.statuses)
          .filter(([status]) => predicate(Number(status)))
          .reduce((sum, [, n]) => sum + n, 0);
      const serverErrors = count((s) => s === 0 || s >= 500);
      const refusedChanged = report.failures.filter((f) => f.reason.startsWith('refused')).length;
      const slow = report.failures.filter((f) => f.reason.startsWith('answered in')).length;
      return {
        name: 'fuzz',
        description:
          `${report.requests} requests generated from the OpenAPI document (seed ${seed}): every route, valid and ` +
          'hostile bodies, path parameters, queries (cursors) and headers, as every demo user, against the local stack.',
        rows: [
          row('answers 5xx or none', serverErrors, 'requests', { target: '0', ok: serverErrors === 0 }),
          row('refused (4xx) yet changed stored state', refusedChanged, 'requests', {
            target: '0',
            ok: refusedChanged === 0,
          }),
          row(`answers slower than ${ANSWER_BOUND_MS / 1000} s`, slow, 'requests', {
            target: '0',
            ok: slow === 0,
          }),
          row('answer p50', latency.p50, 'ms', {
            reference: reference.p50,
            referenceLabel: 'GET /api/health p50',
          }),
          row('answer p95', latency.p95, 'ms', {
            reference: reference.p95,
            referenceLabel: 'GET /api/health p95',
          }),
          row('routes reached', Object.keys(report.routes).length, 'routes'),
          row(
            'refused (4xx)',
            count((s) => s >= 400 && s < 500),
            'requests',
          ),
          row(
            'accepted (2xx, 3xx)',
            count((s) => s > 0 && s < 400),
            'requests',
          ),
        ],
        notes: [
          'FUZZ_RUNS and FUZZ_SEED choose the length and the seed; a failing seed replays the same requests on a fresh stack.',
          `Answers by status: ${Object.entries(report.statuses)
            .sort(([a], [b]) => Number(a) - Number(b))
            .map(([status, n]) => `${status} × ${n}`)
            .join(', ')}.`,
          ...report.failures
            .slice(0, 10)
            .map(
              (f) =>
                `${f.reason}: ${f.request.method} ${f.request.target.slice(0, 120)} → ${f.status} ${f.answer.slice(0, 160)}`,
            ),
        ],
      };
    } finally {
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};

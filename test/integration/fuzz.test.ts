import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzz } from '../support/fuzz';
import { type RunningStack, startStackProcess } from '../support/global-setup';

/**
 * The HTTP API fuzzed from its own OpenAPI document (test/support/fuzz.ts): every route, valid and hostile
 * bodies, path parameters, queries and headers, as every demo user. No answer may be a 5xx or slower than
 * the bound, and no refused request may change what is stored. A stack of its own: administrators move
 * people and leaders sign here, which the shared stack's tests must not see. A fixed seed and a bounded
 * number of runs keep it reproducible and short; `npm run bench -- --only fuzz` runs it longer.
 */

const SEED = 15_2026;
const RUNS = 120;
const ANSWER_BOUND_MS = 15_000;

let running: RunningStack;
beforeAll(async () => {
  running = await startStackProcess();
}, 120_000);
afterAll(async () => {
  await running?.stop();
});

describe('fuzzing the HTTP API', () => {
  it(`${RUNS} generated requests: no 5xx, none slower than ${ANSWER_BOUND_MS / 1000} s, no refused request changes state`, async () => {
    const report = await fuzz(running.info, { runs: RUNS, seed: SEED, answerBoundMs: ANSWER_BOUND_MS });
    expect(report.failures, JSON.stringify(report.failures, null, 2).slice(0, 8_000)).toEqual([]);
    // A few edge cases per route, then the runs.
    expect(report.requests).toBeGreaterThan(RUNS);
    // The generator reached most routes and got both answers and refusals.
    expect(Object.keys(report.routes).length).toBeGreaterThan(30);
    const accepted = Object.entries(report.statuses).filter(([s]) => Number(s) < 400);
    expect(accepted.length).toBeGreaterThan(0);
  }, 240_000);
});

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { auditBenchmark } from './audit';
import { authorizationBenchmark } from './authorization';
import { circulationBenchmark } from './circulation';
import { cliBenchmark } from './cli';
import { exchangeBenchmark } from './exchange';
import { fuzzBenchmark } from './fuzz';
import { type Benchmark, type BenchResult, machine, toMarkdown } from './harness';
import { lambdaBundleBenchmark } from './lambda-bundles';
import { notifyBenchmark } from './notify';
import { previewBenchmark } from './preview';
import { signingBenchmark } from './signing';
import { throughputBenchmark } from './throughput';

/*
 * `npm run bench [-- --only name]`: runs every benchmark (or one), prints each table as it finishes and
 * merges the results by benchmark name into bench/results.json and bench/RESULTS.md (linked from the
 * README): a partial run replaces only the benchmarks it ran, each keeping the time it was measured at.
 */

const benchmarks: readonly Benchmark[] = [
  signingBenchmark,
  circulationBenchmark,
  authorizationBenchmark,
  throughputBenchmark,
  auditBenchmark,
  lambdaBundleBenchmark,
  fuzzBenchmark,
  cliBenchmark,
  exchangeBenchmark,
  previewBenchmark,
  notifyBenchmark,
];

interface StoredResult extends BenchResult {
  /** When this benchmark was measured (ISO 8601), and on what. */
  readonly at: string;
  readonly machine: Record<string, string>;
}

async function previousResults(path: string): Promise<StoredResult[]> {
  try {
    const stored = JSON.parse(await readFile(path, 'utf8')) as {
      at?: string;
      machine?: Record<string, string>;
      results?: (BenchResult & { at?: string; machine?: Record<string, string> })[];
    };
    // Files written before results carried their own time inherit the file's.
    return (stored.results ?? []).map((r) => ({
      ...r,
      at: r.at ?? stored.at ?? 'unknown',
      machine: r.machine ?? stored.machine ?? {},
    }));
  } catch {
    return [];
  }
}

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const selected = benchmarks.filter((b) => !values.only || b.name === values.only);
if (selected.length === 0) {
  console.error(`no benchmark named ${values.only}; known: ${benchmarks.map((b) => b.name).join(', ')}`);
  process.exit(2);
}

console.log('machine:', machine());
const results: BenchResult[] = [];
for (const benchmark of selected) {
  console.log(`\n▶ ${benchmark.name}`);
  const result = await benchmark.run();
  results.push(result);
  console.log(toMarkdown([result], new Date()).split('\n').slice(8).join('\n'));
}
const now = new Date();
const jsonPath = join(import.meta.dirname, 'results.json');
const fresh = new Map(results.map((r) => [r.name, { ...r, at: now.toISOString(), machine: machine() }]));
const previous = await previousResults(jsonPath);
// Registered benchmarks in their order, then any stored result of a benchmark no longer registered.
const order = [...benchmarks.map((b) => b.name), ...previous.map((r) => r.name)];
const merged: StoredResult[] = [];
for (const name of new Set(order)) {
  const result = fresh.get(name) ?? previous.find((r) => r.name === name);
  if (result) merged.push(result);
}
const withTimes = merged.map((r) => ({
  ...r,
  notes: [...(r.notes ?? []), `Measured ${r.at}${fresh.has(r.name) ? ' (this run)' : ' (an earlier run)'}.`],
}));
await writeFile(join(import.meta.dirname, 'RESULTS.md'), toMarkdown(withTimes, now));
await writeFile(
  jsonPath,
  `${JSON.stringify({ at: now.toISOString(), machine: machine(), results: merged }, null, 2)}\n`,
);
console.log(
  `\nwritten: bench/RESULTS.md, bench/results.json (${fresh.size} updated, ${merged.length} in all)`,
);
const failed = results.flatMap((r) =>
  r.rows.filter((row) => row.ok === false).map((row) => `${r.name}: ${row.label}`),
);
if (failed.length > 0) console.log(`targets missed:\n  ${failed.join('\n  ')}`);

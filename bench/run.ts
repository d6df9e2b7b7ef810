import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { auditBenchmark } from './audit';
import { type Benchmark, type BenchResult, machine, toMarkdown } from './harness';

/*
 * `npm run bench [-- --only name]`: runs every benchmark, prints each table as it finishes and writes
 * bench/RESULTS.md (linked from the README) and bench/results.json.
 */

const benchmarks: readonly Benchmark[] = [auditBenchmark];

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
await writeFile(join(import.meta.dirname, 'RESULTS.md'), toMarkdown(results, now));
await writeFile(
  join(import.meta.dirname, 'results.json'),
  `${JSON.stringify({ at: now.toISOString(), machine: machine(), results }, null, 2)}\n`,
);
console.log('\nwritten: bench/RESULTS.md, bench/results.json');
const failed = results.flatMap((r) =>
  r.rows.filter((row) => row.ok === false).map((row) => `${r.name}: ${row.label}`),
);
if (failed.length > 0) console.log(`targets missed:\n  ${failed.join('\n  ')}`);

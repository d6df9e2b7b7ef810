import { cpus, freemem, totalmem } from 'node:os';

/**
 * Benchmarks compare docflow against a reference measured in the same run (poppler's pdfsig, an empty
 * module import, a table ten times smaller…): absolute times vary by machine, ratios much less.
 */
export interface BenchRow {
  readonly label: string;
  readonly value: number;
  readonly unit: string;
  /** The same quantity for the reference, measured in this run. */
  readonly reference?: number;
  readonly referenceLabel?: string;
  /** value / reference. */
  readonly ratio?: number;
  /** Human-readable target, e.g. "ratio ≤ 1.0" or "≤ 300 ms". */
  readonly target?: string;
  readonly ok?: boolean;
}

export interface BenchResult {
  readonly name: string;
  readonly description: string;
  readonly rows: readonly BenchRow[];
  readonly notes?: readonly string[];
}

export interface Benchmark {
  readonly name: string;
  run(): Promise<BenchResult>;
}

export function row(
  label: string,
  value: number,
  unit: string,
  options: { reference?: number; referenceLabel?: string; target?: string; ok?: boolean } = {},
): BenchRow {
  const ratio = options.reference ? value / options.reference : undefined;
  return { label, value, unit, ...options, ...(ratio === undefined ? {} : { ratio }) };
}

/** Median and 95th percentile of a sample. */
export function percentiles(samples: readonly number[]): { p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p95: at(0.95) };
}

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

export function machine(): Record<string, string> {
  const cpu = cpus();
  return {
    cpu: `${cpu[0]?.model ?? 'unknown'} × ${cpu.length}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB (${(freemem() / 2 ** 30).toFixed(1)} GiB free at start)`,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

const fmt = (n: number | undefined, digits = 2) =>
  n === undefined ? '' : Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(digits);

export function toMarkdown(results: readonly BenchResult[], when: Date): string {
  const lines = [
    '# Benchmark results',
    '',
    `Run ${when.toISOString()} by \`npm run bench\`. Ratios compare docflow with a reference measured in the same run.`,
    '',
    ...Object.entries(machine()).map(([k, v]) => `- ${k}: ${v}`),
    '',
  ];
  for (const result of results) {
    lines.push(`## ${result.name}`, '', result.description, '');
    lines.push('| measure | value | reference | ratio | target | ok |', '|---|---|---|---|---|---|');
    for (const r of result.rows) {
      const reference =
        r.reference === undefined ? '' : `${fmt(r.reference)} ${r.unit} (${r.referenceLabel ?? 'reference'})`;
      const ok = r.ok === undefined ? '' : r.ok ? 'yes' : '**no**';
      lines.push(
        `| ${r.label} | ${fmt(r.value)} ${r.unit} | ${reference} | ${fmt(r.ratio)} | ${r.target ?? ''} | ${ok} |`,
      );
    }
    for (const note of result.notes ?? []) lines.push('', `- ${note}`);
    lines.push('');
  }
  return lines.join('\n');
}

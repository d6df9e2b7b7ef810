import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPackage } from '../lambdas/core/exchange/build';
import type { PackageHeaderInput } from '../lambdas/core/exchange/model';
import { parsePackage } from '../lambdas/core/exchange/parse';
import { schemaCheck } from '../lambdas/core/exchange/validate';
import { type Benchmark, type BenchResult, row, timed } from './harness';

/*
 * Issue 20's benchmark: edXML packages built and parsed per second for a 1-page document (schema check
 * included), the throughput for a 64 MB one against whole-buffer base64 of the same bytes, and the peak
 * RSS of building and parsing the 64 MB package in a fresh process against an idle one: streaming, the
 * package must not hold the file (let alone twice).
 */

const MiB = 1024 * 1024;
const TSX = join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx');
const CHILD = join(import.meta.dirname, 'exchange-child.ts');

const header: PackageHeaderInput = {
  messageHeader: {
    from: { organId: '000.00.00.H26', organName: 'Ủy ban nhân dân thành phố Hà Nội' },
    to: [{ organId: '000.00.00.G22', organName: 'Bộ Nội vụ' }],
    documentId: '000.00.00.H26,2026/01/05,01/QĐ-UBND',
    code: { codeNumber: '01', codeNotation: 'QĐ-UBND' },
    promulgationInfo: { place: 'Hà Nội', promulgationDate: '2026/01/05' },
    documentType: { type: 1, typeDetail: 2, typeName: 'Quyết định' },
    subject: 'Về việc tổ chức Tết Nguyên đán Bính Ngọ 2026',
    signerInfo: {
      competence: 'TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH',
      position: 'Phó Chủ tịch',
      fullName: 'Nguyễn Văn A',
    },
    otherInfo: { priority: 0 },
  },
  traceHeaders: [{ organId: '000.00.00.H26', timestamp: '2026/01/05 09:00:00' }],
  attachments: [{ contentId: 'document', contentType: 'application/pdf', attachmentName: '01-QD-UBND.pdf' }],
};

const sink = () => ({ write: () => {}, end: () => {} });
async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}
async function drain(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return parts;
}

function childRss(op: string, headerPath: string, input = '', output = '', runs = 3): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const run = spawnSync(TSX, [CHILD, op, headerPath, input, output], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (run.status !== 0) throw new Error(`exchange child ${op} failed: ${run.stderr}`);
    const line = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as { maxRssKiB: number };
    samples.push(line.maxRssKiB / 1024);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? Number.NaN;
}

export const exchangeBenchmark: Benchmark = {
  name: 'exchange',
  async run(): Promise<BenchResult> {
    const dir = mkdtempSync(join(tmpdir(), 'docflow-bench-exchange-'));
    try {
      const check = schemaCheck(
        await readFile(join(import.meta.dirname, '../lambdas/core/exchange/qcvn-102-2016.xsd'), 'utf8'),
      );
      const onePage = new Uint8Array(40 * 1024).map((_, i) => (i * 31) % 256);
      // 1-page packages: built, then parsed with the schema check, one after another.
      const reps = 40;
      const packaged = Buffer.concat(await drain(buildPackage(header, () => once(onePage))));
      const built = await timed(async () => {
        for (let i = 0; i < reps; i++) await drain(buildPackage(header, () => once(onePage)));
      });
      const parsed = await timed(async () => {
        for (let i = 0; i < reps; i++) await parsePackage(once(packaged), check, sink);
      });
      const parsedOnly = await timed(async () => {
        for (let i = 0; i < reps; i++) await parsePackage(once(packaged), async () => [], sink);
      });
      const encodeRef = await timed(async () => {
        for (let i = 0; i < reps; i++) Buffer.from(Buffer.from(onePage).toString('base64'), 'base64');
      });

      // 64 MB: streamed from a file into a package file, and back.
      const large = join(dir, 'large.pdf');
      const bytes = Buffer.alloc(64 * MiB);
      for (let i = 0; i < bytes.length; i += 4096) bytes[i] = i % 251;
      writeFileSync(large, bytes);
      const whole = await timed(async () => Buffer.from(bytes.toString('base64'), 'base64'));
      const packagePath = join(dir, 'large.edxml');
      const headerPath = join(dir, 'header.json');
      writeFileSync(headerPath, JSON.stringify(header));
      const largeBuild = await timed(async () => {
        spawnSync(TSX, [CHILD, 'build', headerPath, large, packagePath], { timeout: 300_000 });
      });
      const largeParse = await timed(async () => {
        await parsePackage(createReadStream(packagePath, { highWaterMark: 256 * 1024 }), check, sink);
      });
      const packageMiB = statSync(packagePath).size / MiB;

      const idle = childRss('idle', headerPath);
      const buildRss = childRss('build', headerPath, large, join(dir, 'rss.edxml'));
      const parseRss = childRss('parse', headerPath, packagePath, join(dir, 'rss.pdf'));
      const perSecond = (ms: number) => (reps * 1000) / ms;
      const MB = 64;
      return {
        name: 'exchange',
        description:
          'edXML packages (QCVN 102:2016): built and parsed per second (1 page, schema check included), 64 MB throughput vs whole-buffer base64, peak RSS of the 64 MB package vs an idle process',
        rows: [
          row('1-page packages built', perSecond(built.ms), '/s', {
            reference: perSecond(encodeRef.ms),
            referenceLabel: 'base64 encode+decode of the page, whole buffer',
          }),
          row('1-page packages parsed (schema check included)', perSecond(parsed.ms), '/s', {
            reference: perSecond(encodeRef.ms),
            referenceLabel: 'base64 encode+decode of the page, whole buffer',
          }),
          row('1-page packages parsed (without the schema check)', perSecond(parsedOnly.ms), '/s', {
            reference: perSecond(encodeRef.ms),
            referenceLabel: 'base64 encode+decode of the page, whole buffer',
          }),
          row('64 MB package built (file to file, incl. process start)', largeBuild.ms, 'ms', {
            reference: whole.ms,
            referenceLabel: 'base64 encode+decode of 64 MB, whole buffer',
          }),
          row('64 MB package parsed (streamed, schema check included)', largeParse.ms, 'ms', {
            reference: whole.ms,
            referenceLabel: 'base64 encode+decode of 64 MB, whole buffer',
          }),
          row('peak RSS building the 64 MB package', buildRss, 'MiB', {
            reference: idle,
            referenceLabel: 'idle process with the same modules',
            target: `≤ idle + ${MB} MiB (never the file whole)`,
            ok: buildRss - idle < MB,
          }),
          row('peak RSS parsing the 64 MB package', parseRss, 'MiB', {
            reference: idle,
            referenceLabel: 'idle process with the same modules',
            target: `≤ idle + ${MB} MiB (never the file whole)`,
            ok: parseRss - idle < MB,
          }),
        ],
        notes: [
          `The 64 MB package is ${packageMiB.toFixed(1)} MiB (base64). Peak RSS: process.resourceUsage().maxRSS of a fresh \`tsx bench/exchange-child.ts\` (median of 3).`,
          'The schema check costs about 0.3 s a package whatever its size: xmllint-wasm starts a worker and compiles libxml2 for every check (to do: keep one instance).',
        ],
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

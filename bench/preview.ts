import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { PDF } from '@libpdf/core';
import react from '@vitejs/plugin-react';
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import { build } from 'vite';
import { type Benchmark, type BenchResult, percentiles, row } from './harness';

/*
 * Issue 18: a 200-page, 64 MB scan opens fast on a phone. The inbox's own preview component (web/src/
 * PdfPreview.tsx, built by Vite as the inbox is) in Chromium at a phone's viewport: the time from opening
 * to the first page drawn, against a one-page document in the same run. The scan is made here (one
 * incompressible image per page) and served with range requests, as S3 serves it; nothing is committed.
 */

const PAGES = 200;
const TARGET_BYTES = 64 * 2 ** 20;
const RUNS = 5;
const PHONE = { width: 390, height: 844 };

/** A page of noise: a scan that does not compress, `side`×`side` RGB. */
function noisePng(side: number): Uint8Array {
  const png = new PNG({ width: side, height: side, colorType: 2 });
  png.data = randomBytes(side * side * 4);
  for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
  return new Uint8Array(PNG.sync.write(png, { colorType: 2 }));
}

async function scan(pages: number, bytes: number): Promise<Uint8Array> {
  const pdf = PDF.create();
  const side = Math.round(Math.sqrt(bytes / pages / 3));
  for (let i = 0; i < pages; i++) {
    const image = pdf.embedPng(noisePng(side));
    pdf
      .addPage({ width: 595.28, height: 841.89 })
      .drawImage(image, { x: 0, y: 0, width: 595.28, height: 841.89 });
  }
  return pdf.save();
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
};

/** The built page and the PDFs (with byte ranges, as S3 answers pdf.js). */
function serve(root: string, files: string): Promise<Server> {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const inFiles = url.pathname.startsWith('/files/');
    const path = inFiles
      ? join(files, url.pathname.slice('/files/'.length))
      : join(root, url.pathname === '/' ? 'index.html' : url.pathname);
    try {
      const { size } = await stat(path);
      const type = TYPES[extname(path)] ?? 'application/octet-stream';
      const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
      if (range) {
        const start = Number(range[1]);
        const end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
        res.writeHead(206, {
          'content-type': type,
          'accept-ranges': 'bytes',
          'content-range': `bytes ${start}-${end}/${size}`,
          'content-length': end - start + 1,
        });
        createReadStream(path, { start, end }).pipe(res);
        return;
      }
      res.writeHead(200, { 'content-type': type, 'content-length': size, 'accept-ranges': 'bytes' });
      createReadStream(path).pipe(res);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

export const previewBenchmark: Benchmark = {
  name: 'preview',
  async run(): Promise<BenchResult> {
    const dir = await mkdtemp(join(tmpdir(), 'docflow-preview-'));
    const out = join(dir, 'site');
    const files = join(dir, 'files');
    try {
      await build({
        root: resolve(import.meta.dirname, 'preview'),
        base: '/',
        logLevel: 'warn',
        plugins: [react()],
        build: { outDir: out, emptyOutDir: true, target: 'es2022' },
      });
      await mkdir(files);
      const big = await scan(PAGES, TARGET_BYTES);
      await writeFile(join(files, 'scan-200.pdf'), big);
      await writeFile(join(files, 'scan-1.pdf'), await scan(1, TARGET_BYTES / PAGES));
      const server = await serve(out, files);
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
      const firstPage = async (file: string): Promise<number> => {
        const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 3, isMobile: true });
        const page = await context.newPage();
        const started = Date.now();
        await page.goto(`${base}/?file=${file}`);
        await page.locator('canvas.pdf-page[data-rendered="true"]').first().waitFor({ timeout: 120_000 });
        const ms = Date.now() - started;
        await context.close();
        return ms;
      };
      const small: number[] = [];
      const large: number[] = [];
      await firstPage('scan-1.pdf'); // warm: the browser's first start and the module cache
      for (let i = 0; i < RUNS; i++) {
        small.push(await firstPage('scan-1.pdf'));
        large.push(await firstPage('scan-200.pdf'));
      }
      await browser.close();
      server.close();
      const s = percentiles(small).p50;
      const l = percentiles(large).p50;
      return {
        name: 'preview',
        description:
          'Time to the first rendered page in Chromium at a phone viewport (390×844, 3× pixels), median of 5: a 200-page scan against a 1-page one (same page size and image density)',
        rows: [
          row(`first page of a ${PAGES}-page scan (${(big.length / 2 ** 20).toFixed(0)} MB)`, l, 'ms', {
            reference: s,
            referenceLabel: '1-page scan',
            target: 'ratio ≤ 2',
            ok: l / s <= 2,
          }),
        ],
        notes: [
          'The file is served with byte ranges (as S3 answers pdf.js): the first page needs the cross-reference and its own image, not the 64 MB.',
        ],
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

import { resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { LAMBDA_ESBUILD_OPTIONS } from '../../lib/bundling';

/*
 * libpdf's object model (PdfDict, PdfArray, PdfName, PdfNumber, PdfRef, PdfStream, PdfString) is ~30 KiB
 * minified; its `PDF` class ~450 KiB, because esbuild cannot drop a class's unused methods (fonts,
 * encryption, signing…). docflow signs and verifies with its own reader and writer, and leaves libpdf's
 * whole-file parse to callers that pass it (verify-whole-file.ts). This guards that split by size: a path
 * from a Lambda entry to `PDF` puts the whole class back (and the 1 MiB bundle target out of reach).
 */

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
const LIBPDF = /(^|\/)node_modules\/@libpdf\/core\//;
const LIMIT = 60 * 1024;

/** Bundles like the stack does (lib/bundling.ts), in memory; bytes from libpdf, and who imports it. */
async function libpdfBytes(entry: { file: string } | { source: string }) {
  const result = await build({
    ...('file' in entry
      ? { entryPoints: [resolve(REPO_ROOT, entry.file)] }
      : { stdin: { contents: entry.source, resolveDir: REPO_ROOT, loader: 'ts' } }),
    absWorkingDir: REPO_ROOT,
    ...LAMBDA_ESBUILD_OPTIONS,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { bytes: bytesFrom(result.metafile, LIBPDF), importers: importersOfLibpdf(result.metafile) };
}

function bytesFrom(metafile: Metafile, pattern: RegExp): number {
  let bytes = 0;
  for (const output of Object.values(metafile.outputs))
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs))
      if (pattern.test(input)) bytes += bytesInOutput;
  return bytes;
}

/** docflow modules in the output that import @libpdf/core: where to look when the size grows. */
function importersOfLibpdf(metafile: Metafile): string[] {
  const inOutput = new Set(Object.values(metafile.outputs).flatMap((o) => Object.keys(o.inputs)));
  return Object.entries(metafile.inputs)
    .filter(([path]) => !path.includes('node_modules') && inOutput.has(path))
    .filter(([, input]) => input.imports.some((i) => LIBPDF.test(i.path) || i.original === '@libpdf/core'))
    .map(([path]) => path);
}

describe("Lambda bundles carry libpdf's object model, not its PDF class", () => {
  it.each(['audit', 'signing'])('the %s handler', async (name) => {
    const { bytes, importers } = await libpdfBytes({ file: `lambdas/handlers/${name}.ts` });
    expect(bytes, `@libpdf/core bytes; modules importing it: ${importers.join(', ')}`).toBeLessThan(LIMIT);
  });

  it('none at all where no PDF is read (the system handler only imports the schemas)', async () => {
    expect((await libpdfBytes({ file: 'lambdas/handlers/system.ts' })).bytes).toBe(0);
  });

  it('verifyPdf and validationData alone', async () => {
    const { bytes } = await libpdfBytes({
      source:
        "export { verifyPdf } from './lambdas/core/pdf/verify';\n" +
        "export { validationData } from './lambdas/core/audit/pdf-dss';\n",
    });
    expect(bytes).toBeLessThan(LIMIT);
    expect(bytes).toBeGreaterThan(0); // The object model is used: the pattern does match libpdf's files.
  });

  it('but the whole-file parser does carry it (the limit tells the two apart)', async () => {
    const { bytes } = await libpdfBytes({
      source: "export { wholeFileParser } from './lambdas/core/pdf/verify-whole-file';\n",
    });
    expect(bytes).toBeGreaterThan(4 * LIMIT);
  });
});

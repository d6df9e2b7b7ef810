import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import type { WordFormat } from '../core/domain/document-files';

/*
 * Word (.docx) and OpenDocument (.odt) drafts to PDF with LibreOffice in headless mode: the Debian package
 * `libreoffice-writer-nogui` on a laptop and in CI, the same package in the converter's container image in
 * AWS (ops/word-converter/Dockerfile). Which fonts the file asks for and the machine lacks is read from the
 * file itself and fontconfig, so a conversion with substitutes says so.
 */

const run = promisify(execFile);

/** A file that is not a Word or OpenDocument text: its zip or its main part cannot be read. */
export class NotWordFile extends Error {
  override readonly name = 'NotWordFile';
}

/** LibreOffice ran and produced no PDF, or did not finish in time. */
export class ConversionFailed extends Error {
  override readonly name = 'ConversionFailed';
}

const MAIN_PART: Record<WordFormat, string> = { docx: 'word/document.xml', odt: 'content.xml' };
const FONT_PARTS: Record<WordFormat, readonly string[]> = {
  docx: ['word/document.xml', 'word/styles.xml', 'word/numbering.xml'],
  odt: ['content.xml', 'styles.xml'],
};
// The font names a part asks for: run properties in WordprocessingML, font faces in ODF.
const FONT_PATTERN: Record<WordFormat, RegExp> = {
  docx: /<w:rFonts\b[^>]*>/g,
  odt: /<style:font-face\b[^>]*>/g,
};
const FONT_ATTRIBUTE: Record<WordFormat, RegExp> = {
  docx: /\bw:(?:ascii|hAnsi|cs|eastAsia)="([^"]+)"/g,
  odt: /\bsvg:font-family="([^"]+)"/g,
};

const unescapeXml = (s: string) =>
  s
    .replace(/&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/^['"]|['"]$/g, '');

/** The font families the file's text asks for (checks that it is a file of that format at all). */
export function fontsAskedFor(bytes: Uint8Array, format: WordFormat): string[] {
  let parts: Record<string, Uint8Array>;
  try {
    parts = unzipSync(bytes, { filter: (f) => FONT_PARTS[format].includes(f.name) });
  } catch (error) {
    throw new NotWordFile((error as Error).message);
  }
  if (!parts[MAIN_PART[format]]) throw new NotWordFile(`no ${MAIN_PART[format]} in the file`);
  const fonts = new Set<string>();
  for (const name of FONT_PARTS[format]) {
    const part = parts[name];
    if (!part) continue;
    const xml = new TextDecoder().decode(part);
    for (const element of xml.match(FONT_PATTERN[format]) ?? [])
      for (const m of element.matchAll(FONT_ATTRIBUTE[format])) if (m[1]) fonts.add(unescapeXml(m[1]));
  }
  return [...fonts].sort();
}

/** The font families fontconfig knows on this machine, lower-cased (each family and its aliases). */
export async function installedFonts(): Promise<Set<string>> {
  const { stdout } = await run('fc-list', [':', 'family'], { maxBuffer: 8 * 1024 * 1024 });
  return new Set(
    stdout
      .split('\n')
      .flatMap((line) => line.split(','))
      .map((f) => f.trim().toLowerCase())
      .filter(Boolean),
  );
}

const SOFFICE = () => process.env.DOCFLOW_SOFFICE ?? 'soffice';

/** Converts the file; returns the PDF and the fonts that had to be substituted. */
export async function convertToPdf(
  bytes: Uint8Array,
  format: WordFormat,
  // Within the converter's own 20 s (it is invoked inside an API request's 29 s).
  timeoutMs = 18_000,
): Promise<{ pdf: Uint8Array; missingFonts: string[] }> {
  const asked = fontsAskedFor(bytes, format);
  const dir = await mkdtemp(join(tmpdir(), 'docflow-word-'));
  try {
    const input = join(dir, `draft.${format}`);
    await writeFile(input, bytes);
    // A profile of its own per conversion: two conversions at once must not share LibreOffice's lock, and
    // a Lambda's HOME is read-only.
    const profile = `file://${join(dir, 'profile')}`;
    let detail = '';
    try {
      const out = await run(
        SOFFICE(),
        [
          `-env:UserInstallation=${profile}`,
          '--headless',
          '--norestore',
          '--nolockcheck',
          '--convert-to',
          'pdf:writer_pdf_Export',
          '--outdir',
          dir,
          input,
        ],
        { timeout: timeoutMs, env: { ...process.env, HOME: dir }, maxBuffer: 1024 * 1024 },
      );
      detail = `${out.stderr}`.trim();
    } catch (error) {
      const e = error as Error & { stderr?: string; killed?: boolean };
      throw new ConversionFailed(
        e.killed
          ? `LibreOffice did not finish within ${timeoutMs / 1000} s`
          : `${e.stderr ?? e.message}`.trim(),
      );
    }
    let pdf: Uint8Array;
    try {
      pdf = new Uint8Array(await readFile(join(dir, 'draft.pdf')));
    } catch {
      throw new ConversionFailed(detail || 'LibreOffice produced no PDF');
    }
    if (pdf.length === 0) throw new ConversionFailed(detail || 'LibreOffice produced an empty PDF');
    const installed = await installedFonts();
    return { pdf, missingFonts: asked.filter((f) => !installed.has(f.toLowerCase())).slice(0, 50) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

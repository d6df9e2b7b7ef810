import { deflateSync } from 'node:zlib';
import { parseTrueType, type TrueTypeFont } from './truetype';

/*
 * A register printed as the forms of Decree 30 (Appendix IV) are: A4 landscape, the organisation's heading,
 * the title and period, a ruled table whose header row repeats on every page, and "page i/n" at the foot.
 * Written directly (PDF 1.7, fonts embedded whole as CIDFontType2 with Identity-H and a ToUnicode map, so
 * that the Vietnamese text can be searched and copied), without a PDF library in the bundle.
 */

export interface PrintedRegister {
  /** Lines above the title, left: the parent body and the organisation (upper case, the second bold). */
  readonly heading: readonly string[];
  readonly title: string;
  readonly subtitle: string;
  readonly columns: readonly { readonly header: string; readonly width: number }[];
  readonly rows: readonly (readonly string[])[];
  readonly empty: string;
  readonly pageLabel: (page: number, pages: number) => string;
  readonly fonts: { readonly regular: Uint8Array; readonly bold: Uint8Array };
}

const PAGE = { width: 841.89, height: 595.28 };
const MARGIN = 36;
const SIZE = 9;
const LEADING = 11;
const PAD = 3;

class Face {
  readonly used = new Map<number, string>();
  constructor(
    readonly name: string,
    readonly font: TrueTypeFont,
  ) {}

  widthOf(text: string, size: number): number {
    let units = 0;
    for (const ch of text) units += this.font.advanceOf(this.font.glyphOf(ch.codePointAt(0) ?? 0));
    return (units * size) / this.font.unitsPerEm;
  }

  encode(text: string): string {
    let hex = '';
    for (const ch of text) {
      const glyph = this.font.glyphOf(ch.codePointAt(0) ?? 0);
      if (glyph !== 0) this.used.set(glyph, ch);
      hex += glyph.toString(16).padStart(4, '0');
    }
    return `<${hex}>`;
  }
}

/** Splits text into lines no wider than `width`: at spaces, and inside a word too long for a line. */
function wrap(face: Face, text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.normalize('NFC').split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/)) {
      const candidate = line ? `${line} ${word}` : word;
      if (face.widthOf(candidate, size) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = '';
      let rest = word;
      while (face.widthOf(rest, size) > width) {
        let cut = rest.length - 1;
        while (cut > 1 && face.widthOf(rest.slice(0, cut), size) > width) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

const num = (n: number) => (Math.round(n * 100) / 100).toString();

export function printRegisterPdf(register: PrintedRegister): Uint8Array {
  const regular = new Face('F1', parseTrueType(register.fonts.regular));
  const bold = new Face('F2', parseTrueType(register.fonts.bold));
  const tableWidth = PAGE.width - 2 * MARGIN;
  const total = register.columns.reduce((sum, c) => sum + c.width, 0);
  const widths = register.columns.map((c) => (c.width / total) * tableWidth);
  const pages: string[][] = [];
  let ops: string[] = [];
  let y = 0;

  const text = (face: Face, size: number, x: number, at: number, value: string) =>
    ops.push(
      `BT /${face.name} ${size} Tf ${num(x)} ${num(at)} Td ${face.encode(value.normalize('NFC'))} Tj ET`,
    );
  const centred = (face: Face, size: number, at: number, value: string) =>
    text(face, size, (PAGE.width - face.widthOf(value.normalize('NFC'), size)) / 2, at, value);

  const row = (face: Face, cells: readonly string[]) => {
    const wrapped = cells.map((cell, i) => wrap(face, cell, SIZE, (widths[i] ?? 0) - 2 * PAD));
    const height = Math.max(1, ...wrapped.map((lines) => lines.length)) * LEADING + 2 * PAD;
    return { wrapped, height };
  };
  const drawRow = (face: Face, laid: ReturnType<typeof row>) => {
    let x = MARGIN;
    laid.wrapped.forEach((lines, i) => {
      const width = widths[i] ?? 0;
      ops.push(`${num(x)} ${num(y - laid.height)} ${num(width)} ${num(laid.height)} re S`);
      lines.forEach((line, l) => {
        text(face, SIZE, x + PAD, y - PAD - SIZE - l * LEADING + 1, line);
      });
      x += width;
    });
    y -= laid.height;
  };
  const header = row(
    bold,
    register.columns.map((c) => c.header),
  );
  const newPage = () => {
    ops = ['0.5 w 0 G 0 g'];
    pages.push(ops);
    y = PAGE.height - MARGIN;
    if (pages.length === 1) {
      register.heading.forEach((line, i) => {
        text(
          i === register.heading.length - 1 ? bold : regular,
          11,
          MARGIN,
          y - 11,
          line.toLocaleUpperCase('vi'),
        );
        y -= 14;
      });
      y -= 10;
      centred(bold, 14, y - 14, register.title.toLocaleUpperCase('vi'));
      y -= 20;
      centred(regular, 11, y - 11, register.subtitle);
      y -= 24;
    }
    drawRow(bold, header);
  };

  newPage();
  if (register.rows.length === 0) {
    text(regular, SIZE, MARGIN + PAD, y - PAD - SIZE, register.empty);
  }
  for (const cells of register.rows) {
    const laid = row(regular, cells);
    if (y - laid.height < MARGIN + 20) newPage();
    drawRow(regular, laid);
  }
  pages.forEach((page, i) => {
    ops = page;
    centred(regular, 9, MARGIN / 2, register.pageLabel(i + 1, pages.length));
  });
  return writePdf(pages, [regular, bold]);
}

function toUnicode(face: Face): string {
  const entries = [...face.used].sort(([a], [b]) => a - b);
  const chunks: string[] = [];
  for (let i = 0; i < entries.length; i += 100) {
    const part = entries.slice(i, i + 100);
    chunks.push(
      `${part.length} beginbfchar\n${part
        .map(([glyph, ch]) => {
          const utf16 = [...ch]
            .flatMap((c) => {
              const code = c.codePointAt(0) ?? 0;
              if (code < 0x10000) return [code];
              const v = code - 0x10000;
              return [0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff)];
            })
            .map((u) => u.toString(16).padStart(4, '0'))
            .join('');
          return `<${glyph.toString(16).padStart(4, '0')}> <${utf16}>`;
        })
        .join('\n')}\nendbfchar`,
    );
  }
  return [
    '/CIDInit /ProcSet findresource begin 12 dict begin begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def /CMapType 2 def',
    '1 begincodespacerange <0000> <FFFF> endcodespacerange',
    ...chunks,
    'endcmap CMapName currentdict /CMap defineresource pop end end',
  ].join('\n');
}

function writePdf(pages: readonly string[][], faces: readonly Face[]): Uint8Array {
  const objects: (string | Uint8Array)[][] = [];
  const reserve = () => {
    objects.push([]);
    return objects.length;
  };
  const set = (ref: number, ...parts: (string | Uint8Array)[]) => {
    objects[ref - 1] = parts;
  };
  const stream = (ref: number, dict: string, data: Uint8Array) => {
    const packed = deflateSync(data);
    set(ref, `<< ${dict} /Filter /FlateDecode /Length ${packed.length} >>\nstream\n`, packed, '\nendstream');
  };
  const catalog = reserve();
  const pagesRef = reserve();
  const fontRefs = faces.map((face) => {
    const type0 = reserve();
    const cid = reserve();
    const descriptor = reserve();
    const file = reserve();
    const unicode = reserve();
    const font = face.font;
    const scale = (v: number) => Math.round((v * 1000) / font.unitsPerEm);
    const glyphs = [...face.used.keys()].sort((a, b) => a - b);
    const widths = glyphs.map((g) => `${g} [${scale(font.advanceOf(g))}]`).join(' ');
    const baseName = `DocflowRegister${face.name}`;
    set(
      type0,
      `<< /Type /Font /Subtype /Type0 /BaseFont /${baseName} /Encoding /Identity-H /DescendantFonts [${cid} 0 R] /ToUnicode ${unicode} 0 R >>`,
    );
    set(
      cid,
      `<< /Type /Font /Subtype /CIDFontType2 /BaseFont /${baseName} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor ${descriptor} 0 R /CIDToGIDMap /Identity /DW 500 /W [${widths}] >>`,
    );
    set(
      descriptor,
      `<< /Type /FontDescriptor /FontName /${baseName} /Flags 6 /FontBBox [${font.bbox.map(scale).join(' ')}] /ItalicAngle 0 /Ascent ${scale(font.ascent)} /Descent ${scale(font.descent)} /CapHeight ${scale(font.ascent)} /StemV 80 /FontFile2 ${file} 0 R >>`,
    );
    stream(file, `/Length1 ${font.bytes.length}`, font.bytes);
    stream(unicode, '', new TextEncoder().encode(toUnicode(face)));
    return `/${face.name} ${type0} 0 R`;
  });
  const pageRefs = pages.map((ops) => {
    const page = reserve();
    const content = reserve();
    stream(content, '', new TextEncoder().encode(ops.join('\n')));
    set(
      page,
      `<< /Type /Page /Parent ${pagesRef} 0 R /MediaBox [0 0 ${num(PAGE.width)} ${num(PAGE.height)}] /Resources << /Font << ${fontRefs.join(' ')} >> >> /Contents ${content} 0 R >>`,
    );
    return page;
  });
  set(catalog, `<< /Type /Catalog /Pages ${pagesRef} 0 R >>`);
  set(
    pagesRef,
    `<< /Type /Pages /Kids [${pageRefs.map((r) => `${r} 0 R`).join(' ')}] /Count ${pageRefs.length} >>`,
  );

  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [encoder.encode('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')];
  let offset = chunks[0]?.length ?? 0;
  const offsets: number[] = [];
  objects.forEach((parts, i) => {
    offsets.push(offset);
    for (const part of [`${i + 1} 0 obj\n`, ...parts, '\nendobj\n']) {
      const bytes = typeof part === 'string' ? encoder.encode(part) : part;
      chunks.push(bytes);
      offset += bytes.length;
    }
  });
  const xref = [
    'xref',
    `0 ${objects.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${objects.length + 1} /Root ${catalog} 0 R >>`,
    'startxref',
    String(offset),
    '%%EOF\n',
  ].join('\n');
  chunks.push(encoder.encode(xref));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { PDF, PdfArray, PdfDict, PdfName, PdfNumber, type PdfObject, PdfRef } from '@libpdf/core';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { defaultAppearanceFonts } from '../../lambdas/core/pdf/fonts';
import { type NewObject, ObjectAllocator } from '../../lambdas/core/pdf/new-objects';
import { indirectObjectBytes } from '../../lambdas/core/pdf/objects';
import { EmbeddedFont, parseTrueType } from '../../lambdas/core/pdf/truetype';
import { requireTool, tempDir, writeTemp } from '../support/pdf-tools';

const fonts = await defaultAppearanceFonts();
const programs = {
  regular: parseTrueType(fonts.regular),
  bold: parseTrueType(fonts.bold),
  italic: parseTrueType(fonts.italic),
};

const LINES = [
  { style: 'regular', text: 'CHỦ TỊCH Nguyễn Văn Ước — Phường Ba Đình', y: 700 },
  { style: 'bold', text: 'PHÓ CHỦ TỊCH Trần Thị Ệ — Quận Hoàn Kiếm', y: 660 },
  { style: 'italic', text: 'Người ký: Lê Hữu Nghĩa — ngày 05 tháng 01 năm 2026', y: 620 },
] as const;
const SIZE = 12;
const X = 50;
const PAGE = { width: 595, height: 842 };

// ---------------------------------------------------------------------------------------------------------
// An independent reader of the sfnt structure, so the subset is not only checked by the code that wrote it.

function sfntTables(bytes: Uint8Array): Map<string, { offset: number; length: number; checksum: number }> {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Map<string, { offset: number; length: number; checksum: number }>();
  for (let i = 0; i < b.readUInt16BE(4); i++) {
    const at = 12 + 16 * i;
    out.set(b.toString('latin1', at, at + 4), {
      checksum: b.readUInt32BE(at + 4),
      offset: b.readUInt32BE(at + 8),
      length: b.readUInt32BE(at + 12),
    });
  }
  return out;
}

function table(bytes: Uint8Array, tag: string): Buffer {
  const t = sfntTables(bytes).get(tag);
  if (!t) throw new Error(`no ${tag}`);
  return Buffer.from(bytes.subarray(t.offset, t.offset + t.length));
}

function sum32(data: Uint8Array): number {
  const padded = Buffer.alloc((data.length + 3) & ~3);
  padded.set(data);
  let s = 0;
  for (let i = 0; i < padded.length; i += 4) s = (s + padded.readUInt32BE(i)) >>> 0;
  return s;
}

/** A glyph's bytes through head.indexToLocFormat and loca. */
function glyph(bytes: Uint8Array, gid: number): Buffer {
  const long = table(bytes, 'head').readInt16BE(50) === 1;
  const loca = table(bytes, 'loca');
  const at = (g: number) => (long ? loca.readUInt32BE(4 * g) : loca.readUInt16BE(2 * g) * 2);
  return table(bytes, 'glyf').subarray(at(gid), at(gid + 1));
}

function advance(bytes: Uint8Array, gid: number): number {
  const metrics = table(bytes, 'hhea').readUInt16BE(34);
  return table(bytes, 'hmtx').readUInt16BE(4 * Math.min(gid, metrics - 1));
}

/** The glyph ids a composite glyph refers to (none for a simple one). */
function components(data: Buffer): number[] {
  if (data.length < 10 || data.readInt16BE(0) >= 0) return [];
  const out: number[] = [];
  for (let p = 10, more = true; more; ) {
    const flags = data.readUInt16BE(p);
    out.push(data.readUInt16BE(p + 2));
    p += 4 + (flags & 1 ? 4 : 2) + (flags & 8 ? 2 : flags & 0x40 ? 4 : flags & 0x80 ? 8 : 0);
    more = (flags & 0x20) !== 0;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// A one-page PDF written by hand: header, objects, xref table, trailer.

function writePdf(objects: readonly NewObject[]): Uint8Array {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = parts[0]?.length ?? 0;
  const offsets = new Map<number, number>();
  for (const o of [...objects].sort((a, b) => a.ref.objectNumber - b.ref.objectNumber)) {
    offsets.set(o.ref.objectNumber, offset);
    const bytes = indirectObjectBytes(o.ref, o.value, o.data);
    parts.push(bytes);
    offset += bytes.length;
  }
  const size = Math.max(...offsets.keys()) + 1;
  let xref = `xref\n0 ${size}\n0000000000 65535 f \n`;
  for (let i = 1; i < size; i++) {
    const at = offsets.get(i);
    xref += at === undefined ? '0000000000 65535 f \n' : `${String(at).padStart(10, '0')} 00000 n \n`;
  }
  xref += `trailer\n<</Size ${size} /Root 1 0 R>>\nstartxref\n${offset}\n%%EOF\n`;
  parts.push(Buffer.from(xref, 'latin1'));
  return new Uint8Array(Buffer.concat(parts));
}

interface Built {
  pdf: Uint8Array;
  objects: NewObject[];
  fonts: Record<(typeof LINES)[number]['style'], EmbeddedFont>;
  gids: number[][];
}

function buildPdf(): Built {
  const alloc = new ObjectAllocator(5);
  const embedded = {
    regular: new EmbeddedFont(programs.regular),
    bold: new EmbeddedFont(programs.bold),
    italic: new EmbeddedFont(programs.italic),
  };
  const refs = { regular: alloc.reserve(), bold: alloc.reserve(), italic: alloc.reserve() };
  const gids: number[][] = [];
  const ops = LINES.map(({ style, text, y }, i) => {
    const g = embedded[style].encode(text.normalize('NFC'));
    gids.push(g);
    const hex = g.map((id) => id.toString(16).padStart(4, '0')).join('');
    return `BT /F${i + 1} ${SIZE} Tf ${X} ${y} Td <${hex}> Tj ET`;
  });
  for (const style of ['regular', 'bold', 'italic'] as const) embedded[style].write(alloc, refs[style]);
  const content = Buffer.from(ops.join('\n'), 'latin1');
  const objects: NewObject[] = [
    { ref: PdfRef.of(1), value: PdfDict.of({ Type: PdfName.of('Catalog'), Pages: PdfRef.of(2) }) },
    {
      ref: PdfRef.of(2),
      value: PdfDict.of({
        Type: PdfName.of('Pages'),
        Kids: PdfArray.of(PdfRef.of(3)),
        Count: PdfNumber.of(1),
      }),
    },
    {
      ref: PdfRef.of(3),
      value: PdfDict.of({
        Type: PdfName.of('Page'),
        Parent: PdfRef.of(2),
        MediaBox: PdfArray.of(...[0, 0, PAGE.width, PAGE.height].map((v) => PdfNumber.of(v))),
        Resources: PdfDict.of({
          Font: PdfDict.of({ F1: refs.regular, F2: refs.bold, F3: refs.italic }),
        }),
        Contents: PdfRef.of(4),
      }),
    },
    { ref: PdfRef.of(4), value: new PdfDict(), data: content },
    ...alloc.objects(),
  ];
  return { pdf: writePdf(objects), objects, fonts: embedded, gids };
}

function run(
  tool: 'pdffonts' | 'pdftotext' | 'pdftoppm',
  args: string[],
): { stdout: string; stderr: string } {
  requireTool(tool);
  const result = spawnSync(tool, args, { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`${tool} failed (${result.status}): ${result.stderr}`);
  return { stdout: result.stdout, stderr: result.stderr };
}

function objectAt(objects: readonly NewObject[], ref: PdfObject | undefined): NewObject {
  const found = objects.find((o) => ref instanceof PdfRef && o.ref.objectNumber === ref.objectNumber);
  if (!found) throw new Error('dangling reference');
  return found;
}

function dict(o: NewObject): PdfDict {
  if (!(o.value instanceof PdfDict)) throw new Error('not a dictionary');
  return o.value;
}

/** Type0 → CIDFont → FontDescriptor → FontFile2 of the font written under `ref`. */
function fontParts(objects: readonly NewObject[], ref: PdfRef) {
  const type0 = dict(objectAt(objects, ref));
  const descendants = type0.get('DescendantFonts');
  if (!(descendants instanceof PdfArray)) throw new Error('no DescendantFonts');
  const cidFont = dict(objectAt(objects, descendants.at(0)));
  const descriptor = dict(objectAt(objects, cidFont.get('FontDescriptor')));
  const fontFile = objectAt(objects, descriptor.get('FontFile2'));
  const toUnicode = objectAt(objects, type0.get('ToUnicode'));
  return {
    type0,
    cidFont,
    descriptor,
    fontFile,
    toUnicode,
    program: new Uint8Array(inflateSync(fontFile.data ?? new Uint8Array())),
  };
}

const num = (o: PdfObject | undefined) => (o instanceof PdfNumber ? o.value : Number.NaN);
const name = (o: PdfObject | undefined) => (o instanceof PdfName ? o.value : undefined);

/** A font's width for `gid` from /DW and /W (both `c [w …]` and `c1 c2 w` forms). */
function widthFromW(cidFont: PdfDict, gid: number): number {
  const w = cidFont.get('W');
  const items = w instanceof PdfArray ? w.toArray() : [];
  for (let i = 0; i < items.length; ) {
    const first = num(items[i]);
    const next = items[i + 1];
    if (next instanceof PdfArray) {
      const widths = next.toArray();
      if (gid >= first && gid < first + widths.length) return num(widths[gid - first]);
      i += 2;
    } else {
      if (gid >= first && gid <= num(next)) return num(items[i + 2]);
      i += 3;
    }
  }
  return num(cidFont.get('DW'));
}

// ---------------------------------------------------------------------------------------------------------

describe('TrueType embedding (EmbeddedFont), checked with poppler', () => {
  const built = buildPdf();
  const dir = tempDir('docflow-truetype-');
  const pdfPath = writeTemp(dir, 'fonts.pdf', built.pdf);
  const type0Refs = built.objects.filter(
    (o) => o.value instanceof PdfDict && name(o.value.get('Subtype')) === 'Type0',
  );

  it('pdffonts: three embedded subset CID TrueType fonts with ToUnicode', () => {
    const { stdout, stderr } = run('pdffonts', [pdfPath]);
    expect(stderr).toBe('');
    const rows = stdout.trim().split('\n').slice(2);
    expect(rows).toHaveLength(3);
    const names = rows.map((row) => row.split(/\s+/)[0]);
    expect(names.map((n) => n?.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual([
      'Tinos-Bold',
      'Tinos-Italic',
      'Tinos-Regular',
    ]);
    for (const row of rows) {
      expect(row).toMatch(/^[A-Z]{6}\+Tinos-\w+\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes\s/);
    }
  });

  it('pdftotext extracts exactly the Vietnamese text (ToUnicode)', () => {
    const { stdout, stderr } = run('pdftotext', ['-enc', 'UTF-8', pdfPath, '-']);
    expect(stderr).toBe('');
    const lines = stdout
      .normalize('NFC')
      .split(/[\n\f]/)
      .map((l) => l.trim())
      .filter(Boolean);
    expect(lines).toEqual(LINES.map((l) => l.text.normalize('NFC')));
  });

  it('pdftoppm renders without complaint, with dark pixels where the text is and nowhere else', () => {
    const { stderr } = run('pdftoppm', ['-png', '-r', '72', '-singlefile', pdfPath, join(dir, 'page')]);
    expect(stderr).toBe('');
    const png = PNG.sync.read(readFileSync(join(dir, 'page.png')));
    const dark = (x0: number, y0: number, x1: number, y1: number) => {
      let n = 0;
      // PDF space (origin bottom-left, 72 dpi = 1 px per point) to image rows.
      for (let y = Math.max(0, PAGE.height - y1); y < Math.min(png.height, PAGE.height - y0); y++)
        for (let x = Math.max(0, x0); x < Math.min(png.width, x1); x++) {
          const i = (y * png.width + x) * 4;
          if ((png.data[i] ?? 255) < 100 && (png.data[i + 1] ?? 255) < 100 && (png.data[i + 2] ?? 255) < 100)
            n++;
        }
      return n;
    };
    for (const { style, text, y } of LINES) {
      const width = built.fonts[style].widthOf(text, SIZE);
      expect(dark(X, y - 4, X + width, y + SIZE), style).toBeGreaterThan(150);
      // Nothing right of where the line's advance widths say it ends.
      expect(dark(X + width + 2, y - 4, PAGE.width, y + SIZE), style).toBe(0);
    }
    expect(dark(0, 0, PAGE.width, 600)).toBe(0);
  });

  it('writes a Type0 / CIDFontType2 font with Identity encoding, compact widths and a descriptor', () => {
    expect(type0Refs).toHaveLength(3);
    for (const [i, { style }] of LINES.entries()) {
      const ref = type0Refs[i]?.ref as PdfRef;
      const { type0, cidFont, descriptor, fontFile } = fontParts(built.objects, ref);
      const program = programs[style];
      expect(name(type0.get('Encoding'))).toBe('Identity-H');
      const baseFont = name(type0.get('BaseFont')) ?? '';
      expect(baseFont).toMatch(new RegExp(`^[A-Z]{6}\\+${program.postScriptName}$`));
      expect(name(cidFont.get('BaseFont'))).toBe(baseFont);
      expect(name(descriptor.get('FontName'))).toBe(baseFont);
      expect(name(cidFont.get('Subtype'))).toBe('CIDFontType2');
      expect(name(cidFont.get('CIDToGIDMap'))).toBe('Identity');
      expect(name(dict(fontFile).get('Filter'))).toBe('FlateDecode');
      // Every used glyph's PDF width is its hmtx advance in 1000-unit em.
      for (const gid of built.gids[i] ?? [])
        expect(widthFromW(cidFont, gid)).toBe(
          Math.round((advance(fonts[style], gid) * 1000) / table(fonts[style], 'head').readUInt16BE(18)),
        );
      const flags = num(descriptor.get('Flags'));
      expect(flags & 4).toBe(4);
      expect(flags & 64).toBe(style === 'italic' ? 64 : 0);
      expect(num(descriptor.get('ItalicAngle'))).toBe(style === 'italic' ? -16.33 : 0);
      expect(num(descriptor.get('StemV'))).toBeGreaterThan(style === 'bold' ? 140 : 60);
      expect(num(descriptor.get('Ascent'))).toBe(891); // 1825 / 2048 em
    }
  });

  it('subsets: glyph ids unchanged, unused outlines emptied, components kept, valid checksums', () => {
    const { program } = fontParts(built.objects, type0Refs[0]?.ref as PdfRef);
    const original = fonts.regular;
    const tables = sfntTables(program);
    expect([...tables.keys()]).toEqual([
      'cvt ',
      'fpgm',
      'glyf',
      'head',
      'hhea',
      'hmtx',
      'loca',
      'maxp',
      'prep',
    ]);
    // Whole-font checksum with checkSumAdjustment makes the magic; each table's own checksum matches.
    expect(sum32(program)).toBe(0xb1b0afba);
    for (const [tag, t] of tables) {
      const data = Buffer.from(program.subarray(t.offset, t.offset + t.length));
      if (tag === 'head') data.writeUInt32BE(0, 8);
      expect(sum32(data), tag).toBe(t.checksum);
      expect(t.offset % 4, tag).toBe(0);
    }
    // Long loca, every glyph starting on a 4-byte boundary (what the OpenType spec recommends).
    expect(table(program, 'head').readInt16BE(50)).toBe(1);
    const loca = table(program, 'loca');
    for (let i = 0; i < loca.length; i += 4) expect(loca.readUInt32BE(i) % 4).toBe(0);
    const used = new Set(built.gids[0]);
    // A kept glyph is the original bytes, plus at most 3 zero bytes of padding.
    const kept = (gid: number) => {
      const before = glyph(original, gid);
      const after = glyph(program, gid);
      return (
        after.length - before.length < 4 &&
        after.subarray(0, before.length).equals(before) &&
        after.subarray(before.length).every((b) => b === 0)
      );
    };
    const composites: number[] = [];
    const pending = [...used];
    for (let gid = pending.pop(); gid !== undefined; gid = pending.pop()) {
      expect(kept(gid), `glyph ${gid}`).toBe(true);
      const parts = components(glyph(original, gid));
      if (parts.length) composites.push(gid);
      pending.push(...parts);
    }
    // Vietnamese precomposed letters are composites in Tinos: the closure matters.
    expect(composites.length).toBeGreaterThan(0);
    expect(glyph(program, 0).length).toBeGreaterThan(0);
    const unused = programs.regular.cmap.get('Z'.codePointAt(0) as number) as number;
    expect(used.has(unused)).toBe(false);
    expect(glyph(original, unused).length).toBeGreaterThan(0);
    expect(glyph(program, unused).length).toBe(0);
  });

  it('the font file is small, and grows with the glyph set', () => {
    const sizes = type0Refs.map((o) => fontParts(built.objects, o.ref).fontFile.data?.length ?? 0);
    for (const size of sizes) expect(size).toBeLessThan(fonts.regular.length / 5);

    const small = new EmbeddedFont(programs.regular);
    small.encode('Ba');
    const large = new EmbeddedFont(programs.regular);
    large.encode('Ba Đình — CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI ữ Ệ');
    const glyfLength = (font: EmbeddedFont) => {
      const alloc = new ObjectAllocator(1);
      const ref = alloc.reserve();
      font.write(alloc, ref);
      return table(fontParts(alloc.objects(), ref).program, 'glyf').length;
    };
    expect(glyfLength(large)).toBeGreaterThan(glyfLength(small) + 1000);
  });

  it('ToUnicode maps each used glyph to its (precomposed) character in UTF-16BE', () => {
    const { toUnicode } = fontParts(built.objects, type0Refs[1]?.ref as PdfRef);
    const cmap = inflateSync(toUnicode.data ?? new Uint8Array()).toString('latin1');
    const gid = programs.bold.cmap.get('Ệ'.codePointAt(0) as number) as number;
    expect(cmap).toContain(`<${gid.toString(16).toUpperCase().padStart(4, '0')}> <1EC6>`);
    expect(cmap).toMatch(/begincodespacerange\n<0000> <FFFF>\nendcodespacerange/);
  });
});

describe('EmbeddedFont text API', () => {
  it('tells which characters it cannot draw, by code point (astral ones whole)', () => {
    const font = new EmbeddedFont(programs.regular);
    const vietnamese = 'CHỦ TỊCH Nguyễn Văn Ước — Phường Ba Đình, ữ Ệ'.normalize('NFC');
    expect(font.canEncode(vietnamese)).toBe(true);
    expect(font.unencodableCharacters(vietnamese)).toEqual([]);
    expect(font.canEncode('Hà Nội 漢')).toBe(false);
    expect(font.unencodableCharacters('A漢B😀漢 😀')).toEqual(['漢', '😀']);
    expect(() => font.encode('Ba 😀')).toThrow(/U\+1F600/);
    expect(font.encode('Ước')).toHaveLength(3);
  });

  it('widthOf is the sum of hmtx advances × size / unitsPerEm, as libpdf measures it', () => {
    const font = new EmbeddedFont(programs.bold);
    const [a, v] = font.encode('AV');
    const expected = ((advance(fonts.bold, a as number) + advance(fonts.bold, v as number)) * 12) / 2048;
    expect(font.widthOf('AV', 12)).toBeCloseTo(expected, 9);
    const text = 'CHỦ TỊCH Nguyễn Văn Ước'.normalize('NFC');
    const libpdf = PDF.create().embedFont(fonts.bold).getTextWidth(text, 10);
    // libpdf sums widths rounded to 1000-unit em (as in /W): at most 0.0005 em apart per glyph.
    expect(Math.abs(font.widthOf(text, 10) - libpdf)).toBeLessThan([...text].length * 0.0005 * 10);
  });

  it('refuses malformed fonts with a clear error', () => {
    const bytes = fonts.regular;
    expect(() => parseTrueType(bytes.subarray(0, bytes.length - 1000))).toThrow(/malformed TrueType font/);
    expect(() => parseTrueType(bytes.subarray(0, 100))).toThrow(/malformed TrueType font/);
    expect(() => parseTrueType(new Uint8Array(0))).toThrow(/malformed TrueType font/);
    expect(() => parseTrueType(new TextEncoder().encode('OTTO and then some bytes'))).toThrow(/CFF/);
    expect(() => parseTrueType(new TextEncoder().encode('%PDF-1.7 not a font at all'))).toThrow(
      /sfnt version/,
    );
  });

  it('reads a format 12 cmap for astral code points', () => {
    const program = parseTrueType(tinyFont(0x1f600));
    expect(program.cmap.get(0x1f600)).toBe(1);
    const font = new EmbeddedFont(program);
    expect(font.encode('😀😀')).toEqual([1, 1]);
    expect(font.widthOf('😀', 10)).toBe(5);
    const alloc = new ObjectAllocator(1);
    const ref = alloc.reserve();
    font.write(alloc, ref);
    const { toUnicode, program: subset } = fontParts(alloc.objects(), ref);
    expect(inflateSync(toUnicode.data ?? new Uint8Array()).toString('latin1')).toContain('<0001> <D83DDE00>');
    expect(sum32(subset)).toBe(0xb1b0afba);
    expect(glyph(subset, 1).length).toBeGreaterThan(0);
  });
});

/** A two-glyph font (empty .notdef, a square) whose only cmap subtable is 3/10 format 12. */
function tinyFont(codePoint: number): Uint8Array {
  const u16 = (...v: number[]) => {
    const b = Buffer.alloc(2 * v.length);
    v.forEach((x, i) => {
      b.writeUInt16BE(x & 0xffff, 2 * i);
    });
    return b;
  };
  const u32 = (...v: number[]) => {
    const b = Buffer.alloc(4 * v.length);
    v.forEach((x, i) => {
      b.writeUInt32BE(x >>> 0, 4 * i);
    });
    return b;
  };
  // One contour, four on-curve points (flags 1), x and y as words.
  const square = Buffer.concat([
    u16(1, 0, 0, 500, 500),
    u16(3),
    u16(0),
    Buffer.from([1, 1, 1, 1]),
    u16(0, 500, 0, 65036),
    u16(0, 0, 500, 0),
  ]);
  const glyf = Buffer.concat([square, Buffer.alloc(square.length % 4 ? 4 - (square.length % 4) : 0)]);
  const head = Buffer.concat([
    u32(0x00010000, 0x00010000, 0, 0x5f0f3cf5),
    u16(0, 1000),
    Buffer.alloc(16),
    u16(0, 0, 500, 500, 0, 8, 2, 1, 0),
  ]);
  const hhea = Buffer.concat([u32(0x00010000), u16(800, 65336, 0, 500), Buffer.alloc(22), u16(2)]);
  const maxp = Buffer.concat([u32(0x00005000), u16(2)]);
  const hmtx = u16(0, 0, 500, 0);
  const loca = u32(0, 0, glyf.length);
  const cmap = Buffer.concat([
    u16(0, 1),
    u16(3, 10),
    u32(12),
    u16(12, 0),
    u32(28, 0, 1),
    u32(codePoint, codePoint, 1),
  ]);
  const tables: [string, Buffer][] = [
    ['cmap', cmap],
    ['glyf', glyf],
    ['head', head],
    ['hhea', hhea],
    ['hmtx', hmtx],
    ['loca', loca],
    ['maxp', maxp],
  ];
  let offset = 12 + 16 * tables.length;
  const dir = [u32(0x00010000), u16(tables.length, 0, 0, 0)];
  const data: Buffer[] = [];
  for (const [tag, t] of tables) {
    dir.push(Buffer.from(tag, 'latin1'), u32(0, offset, t.length));
    const padded = Buffer.concat([t, Buffer.alloc((4 - (t.length % 4)) % 4)]);
    data.push(padded);
    offset += padded.length;
  }
  return new Uint8Array(Buffer.concat([...dir, ...data]));
}

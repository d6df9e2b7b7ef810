import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { PdfArray, PdfDict, PdfName, PdfNumber, type PdfObject, type PdfRef, PdfString } from '@libpdf/core';
import type { ObjectAllocator } from './new-objects';

/*
 * TrueType embedding for signature appearances without libpdf's PDF class: parse the font once per process
 * (`parseTrueType`), then per update and style an `EmbeddedFont` encodes text to glyph ids and writes a
 * Type0/CIDFontType2 font (Identity-H, CIDToGIDMap Identity) with a ToUnicode CMap and a subset program.
 * The subset keeps glyph ids and empties the outlines of unused glyphs, so no glyph renumbering is needed.
 */

/** Where a table lies in the font file. */
export interface TableRecord {
  readonly offset: number;
  readonly length: number;
}

/** What embedding needs from a TrueType font file, read once (callers cache it per font). */
export interface TrueTypeProgram {
  readonly bytes: Uint8Array;
  /** `name` id 6, reduced to characters safe in a PDF name. */
  readonly postScriptName: string;
  readonly unitsPerEm: number;
  /** head xMin, yMin, xMax, yMax in font units. */
  readonly bbox: readonly [number, number, number, number];
  readonly ascender: number;
  readonly descender: number;
  /** OS/2 sCapHeight, else the height of "H", else an estimate from the ascender. */
  readonly capHeight: number;
  readonly italicAngle: number;
  readonly isFixedPitch: boolean;
  /** From the OS/2 family class or PANOSE serif style. */
  readonly isSerif: boolean;
  readonly weightClass: number;
  /** OS/2 embedding permissions (0 when there is no OS/2 table). */
  readonly fsType: number;
  readonly numGlyphs: number;
  /** Advance width of every glyph, in font units. */
  readonly advanceWidths: Uint16Array;
  /** Unicode code point → glyph id (never 0). */
  readonly cmap: ReadonlyMap<number, number>;
  readonly tables: ReadonlyMap<string, TableRecord>;
  /** loca, normalised: glyph g's data is glyf[offsets[g], offsets[g + 1]). */
  readonly glyphOffsets: Uint32Array;
}

function malformed(what: string): Error {
  return new Error(`malformed TrueType font: ${what}`);
}

/** Bounds-checked big-endian reads: a truncated or lying font fails with a clear message, not garbage. */
class FontBytes {
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private check(offset: number, size: number): void {
    if (offset < 0 || offset + size > this.bytes.length)
      throw malformed(
        `read of ${size} bytes at offset ${offset} is past the end (${this.bytes.length} bytes)`,
      );
  }

  u8(offset: number): number {
    this.check(offset, 1);
    return this.view.getUint8(offset);
  }

  u16(offset: number): number {
    this.check(offset, 2);
    return this.view.getUint16(offset);
  }

  i16(offset: number): number {
    this.check(offset, 2);
    return this.view.getInt16(offset);
  }

  u32(offset: number): number {
    this.check(offset, 4);
    return this.view.getUint32(offset);
  }

  i32(offset: number): number {
    this.check(offset, 4);
    return this.view.getInt32(offset);
  }

  tag(offset: number): string {
    this.check(offset, 4);
    return String.fromCharCode(...this.bytes.subarray(offset, offset + 4));
  }
}

const SFNT_TRUETYPE = 0x00010000;
const SFNT_TRUE = 0x74727565; // 'true' (old Apple TrueType)
const SFNT_OTTO = 0x4f54544f; // 'OTTO' (CFF outlines)
const SFNT_TTCF = 0x74746366; // 'ttcf' (collection)
const HEAD_MAGIC = 0x5f0f3cf5;

function tableDirectory(font: FontBytes): Map<string, TableRecord> {
  const version = font.u32(0);
  if (version === SFNT_OTTO)
    throw malformed('CFF-based OpenType (OTTO) is not supported, only glyf outlines');
  if (version === SFNT_TTCF) throw malformed('font collections (ttcf) are not supported');
  if (version !== SFNT_TRUETYPE && version !== SFNT_TRUE)
    throw malformed(`unknown sfnt version 0x${version.toString(16)}`);
  const count = font.u16(4);
  const tables = new Map<string, TableRecord>();
  for (let i = 0; i < count; i++) {
    const at = 12 + 16 * i;
    const tag = font.tag(at);
    const offset = font.u32(at + 8);
    const length = font.u32(at + 12);
    if (offset + length > font.bytes.length)
      throw malformed(`table '${tag}' extends past the end of the file (truncated?)`);
    tables.set(tag, { offset, length });
  }
  return tables;
}

function required(tables: ReadonlyMap<string, TableRecord>, tag: string, minLength: number): TableRecord {
  const table = tables.get(tag);
  if (!table) throw malformed(`no '${tag}' table`);
  if (table.length < minLength) throw malformed(`'${tag}' table is too short (${table.length} bytes)`);
  return table;
}

/** One cmap subtable (formats 4 and 12) as code point → glyph id. */
function readCmapSubtable(font: FontBytes, at: number, numGlyphs: number): Map<number, number> | undefined {
  const map = new Map<number, number>();
  const set = (code: number, gid: number) => {
    if (gid > 0 && gid < numGlyphs && code <= 0x10ffff && !map.has(code)) map.set(code, gid);
  };
  const format = font.u16(at);
  if (format === 4) {
    const segCount = font.u16(at + 6) / 2;
    const ends = at + 14;
    const starts = ends + 2 * segCount + 2;
    const deltas = starts + 2 * segCount;
    const rangeOffsets = deltas + 2 * segCount;
    let previousEnd = -1;
    for (let i = 0; i < segCount; i++) {
      const end = font.u16(ends + 2 * i);
      const start = font.u16(starts + 2 * i);
      // Sorted, disjoint segments (as the format requires) also bound the work on a hostile font.
      if (start > end || start <= previousEnd) throw malformed(`cmap format 4 segment ${i} is out of order`);
      previousEnd = end;
      const delta = font.u16(deltas + 2 * i);
      const rangeOffsetAt = rangeOffsets + 2 * i;
      const rangeOffset = font.u16(rangeOffsetAt);
      for (let code = start; code <= end && code !== 0xffff; code++) {
        if (rangeOffset === 0) set(code, (code + delta) & 0xffff);
        else {
          // idRangeOffset is relative to its own position in the idRangeOffset array.
          const glyph = font.u16(rangeOffsetAt + rangeOffset + 2 * (code - start));
          if (glyph !== 0) set(code, (glyph + delta) & 0xffff);
        }
      }
    }
    return map;
  }
  if (format === 12) {
    const groups = font.u32(at + 12);
    let previousEnd = -1;
    for (let i = 0; i < groups; i++) {
      const g = at + 16 + 12 * i;
      const start = font.u32(g);
      const end = Math.min(font.u32(g + 4), 0x10ffff);
      const first = font.u32(g + 8);
      if (end < start || start <= previousEnd) throw malformed(`cmap format 12 group ${i} is out of order`);
      previousEnd = end;
      for (let code = start; code <= end; code++) set(code, first + (code - start));
    }
    return map;
  }
  return undefined;
}

/** Picks a Unicode subtable: Windows full repertoire, then Windows BMP, then any Unicode-platform one. */
function readCmap(font: FontBytes, cmap: TableRecord, numGlyphs: number): Map<number, number> {
  const count = font.u16(cmap.offset + 2);
  const candidates: { rank: number; at: number }[] = [];
  for (let i = 0; i < count; i++) {
    const rec = cmap.offset + 4 + 8 * i;
    const platform = font.u16(rec);
    const encoding = font.u16(rec + 2);
    const at = cmap.offset + font.u32(rec + 4);
    if (at >= cmap.offset + cmap.length) throw malformed(`cmap subtable ${i} lies outside the cmap table`);
    const format = font.u16(at);
    if (format !== 4 && format !== 12) continue;
    let rank: number | undefined;
    if (platform === 3 && encoding === 10) rank = 0;
    else if (platform === 3 && encoding === 1) rank = 1;
    else if (platform === 0) rank = format === 12 ? 2 : 3;
    if (rank !== undefined) candidates.push({ rank, at });
  }
  candidates.sort((a, b) => a.rank - b.rank);
  const best = candidates[0];
  if (!best) throw malformed('no Unicode cmap subtable of format 4 or 12');
  return readCmapSubtable(font, best.at, numGlyphs) ?? new Map();
}

/** PostScript name (name id 6), Windows or Mac record; undefined when absent. */
function readPostScriptName(font: FontBytes, name: TableRecord | undefined): string | undefined {
  if (!name || name.length < 6) return undefined;
  const count = font.u16(name.offset + 2);
  const strings = name.offset + font.u16(name.offset + 4);
  let mac: string | undefined;
  for (let i = 0; i < count; i++) {
    const rec = name.offset + 6 + 12 * i;
    if (font.u16(rec + 6) !== 6) continue;
    const platform = font.u16(rec);
    const encoding = font.u16(rec + 2);
    const length = font.u16(rec + 8);
    const at = strings + font.u16(rec + 10);
    if (at + length > font.bytes.length) throw malformed('name record past the end of the file');
    const raw = font.bytes.subarray(at, at + length);
    if (platform === 3 && (encoding === 1 || encoding === 0)) {
      let text = '';
      for (let j = 0; j + 1 < raw.length; j += 2) text += String.fromCharCode(font.u16(at + j));
      return text;
    }
    if (platform === 1 && encoding === 0) mac ??= String.fromCharCode(...raw);
  }
  return mac;
}

/** Printable ASCII without PDF delimiters or spaces (what a PostScript name may contain). */
function safePostScriptName(raw: string | undefined): string {
  const cleaned = (raw ?? '').replace(/[^!-~]|[()<>[\]{}/%#]/g, '').slice(0, 63);
  return cleaned || 'TrueTypeFont';
}

/**
 * Reads the tables embedding needs. Throws a plain Error ("malformed TrueType font: …") on a font it cannot
 * trust: truncated, missing a required table, CFF outlines, a loca pointing outside glyf.
 */
export function parseTrueType(bytes: Uint8Array): TrueTypeProgram {
  const font = new FontBytes(bytes);
  if (bytes.length < 12) throw malformed(`only ${bytes.length} bytes`);
  const tables = tableDirectory(font);

  const head = required(tables, 'head', 54);
  if (font.u32(head.offset + 12) !== HEAD_MAGIC) throw malformed('bad head magic number');
  const unitsPerEm = font.u16(head.offset + 18);
  if (unitsPerEm < 16 || unitsPerEm > 16384) throw malformed(`unitsPerEm ${unitsPerEm} out of range`);
  const bbox = [
    font.i16(head.offset + 36),
    font.i16(head.offset + 38),
    font.i16(head.offset + 40),
    font.i16(head.offset + 42),
  ] as const;
  const indexToLocFormat = font.i16(head.offset + 50);
  if (indexToLocFormat !== 0 && indexToLocFormat !== 1)
    throw malformed(`indexToLocFormat ${indexToLocFormat} is neither 0 nor 1`);

  const maxp = required(tables, 'maxp', 6);
  const numGlyphs = font.u16(maxp.offset + 4);
  if (numGlyphs < 1) throw malformed('no glyphs');

  const hhea = required(tables, 'hhea', 36);
  const ascender = font.i16(hhea.offset + 4);
  const descender = font.i16(hhea.offset + 6);
  const numberOfHMetrics = font.u16(hhea.offset + 34);
  if (numberOfHMetrics < 1 || numberOfHMetrics > numGlyphs)
    throw malformed(`numberOfHMetrics ${numberOfHMetrics} with ${numGlyphs} glyphs`);
  const hmtx = required(tables, 'hmtx', 4 * numberOfHMetrics);
  const advanceWidths = new Uint16Array(numGlyphs);
  for (let g = 0; g < numGlyphs; g++)
    // Glyphs past numberOfHMetrics repeat the last advance (monospaced tails).
    advanceWidths[g] = font.u16(hmtx.offset + 4 * Math.min(g, numberOfHMetrics - 1));

  const glyf = required(tables, 'glyf', 0);
  const entry = indexToLocFormat === 0 ? 2 : 4;
  const loca = required(tables, 'loca', (numGlyphs + 1) * entry);
  const glyphOffsets = new Uint32Array(numGlyphs + 1);
  for (let g = 0; g <= numGlyphs; g++) {
    const at = loca.offset + g * entry;
    glyphOffsets[g] = entry === 2 ? font.u16(at) * 2 : font.u32(at);
  }
  for (let g = 0; g < numGlyphs; g++) {
    const start = glyphOffsets[g] as number;
    const end = glyphOffsets[g + 1] as number;
    if (end < start || end > glyf.length) throw malformed(`loca entry for glyph ${g} lies outside glyf`);
  }

  const cmap = readCmap(font, required(tables, 'cmap', 4), numGlyphs);

  const post = tables.get('post');
  const italicAngle = post && post.length >= 16 ? font.i32(post.offset + 4) / 65536 : 0;
  const isFixedPitch = post && post.length >= 16 ? font.u32(post.offset + 12) !== 0 : false;

  const os2 = tables.get('OS/2');
  let weightClass = 400;
  let fsType = 0;
  let isSerif = false;
  let capHeight: number | undefined;
  if (os2 && os2.length >= 78) {
    weightClass = font.u16(os2.offset + 4);
    fsType = font.u16(os2.offset + 8);
    const familyClass = font.u8(os2.offset + 30);
    const panoseFamily = font.u8(os2.offset + 32);
    const panoseSerif = font.u8(os2.offset + 33);
    // IBM classes 1–5 and 7 are serif faces; PANOSE Latin text serif styles are 2–10.
    isSerif =
      [1, 2, 3, 4, 5, 7].includes(familyClass) ||
      (familyClass === 0 && panoseFamily === 2 && panoseSerif >= 2 && panoseSerif <= 10);
    if (font.u16(os2.offset) >= 2 && os2.length >= 90) capHeight = font.i16(os2.offset + 88) || undefined;
  }
  if (capHeight === undefined) {
    const h = cmap.get(0x48);
    const start = h === undefined ? 0 : (glyphOffsets[h] as number);
    const end = h === undefined ? 0 : (glyphOffsets[h + 1] as number);
    capHeight = end - start >= 10 ? font.i16(glyf.offset + start + 8) : Math.round(ascender * 0.7);
  }

  return {
    bytes,
    postScriptName: safePostScriptName(readPostScriptName(font, tables.get('name'))),
    unitsPerEm,
    bbox,
    ascender,
    descender,
    capHeight,
    italicAngle,
    isFixedPitch,
    isSerif,
    weightClass,
    fsType,
    numGlyphs,
    advanceWidths,
    cmap,
    tables,
    glyphOffsets,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Subset program

const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;

/** Glyph ids a composite glyph refers to (none for a simple or empty glyph). */
function componentsOf(program: TrueTypeProgram, font: FontBytes, gid: number): number[] {
  const glyf = program.tables.get('glyf') as TableRecord;
  const start = glyf.offset + (program.glyphOffsets[gid] as number);
  const end = glyf.offset + (program.glyphOffsets[gid + 1] as number);
  if (end - start < 10 || font.i16(start) >= 0) return [];
  const out: number[] = [];
  let p = start + 10;
  for (;;) {
    if (p + 4 > end) throw malformed(`composite glyph ${gid} is truncated`);
    const flags = font.u16(p);
    const component = font.u16(p + 2);
    if (component >= program.numGlyphs)
      throw malformed(`composite glyph ${gid} refers to glyph ${component}`);
    out.push(component);
    p += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
    if (flags & WE_HAVE_A_SCALE) p += 2;
    else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) p += 4;
    else if (flags & WE_HAVE_A_TWO_BY_TWO) p += 8;
    if (!(flags & MORE_COMPONENTS)) return out;
  }
}

/** .notdef, the used glyphs, and the components of composites, recursively (a visited set stops cycles). */
function glyphClosure(program: TrueTypeProgram, used: Iterable<number>): Set<number> {
  const font = new FontBytes(program.bytes);
  const keep = new Set<number>();
  const pending = [0, ...used];
  for (let gid = pending.pop(); gid !== undefined; gid = pending.pop()) {
    if (keep.has(gid)) continue;
    keep.add(gid);
    pending.push(...componentsOf(program, font, gid));
  }
  return keep;
}

function checksum(data: Uint8Array): number {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let sum = 0;
  const whole = data.length & ~3;
  for (let i = 0; i < whole; i += 4) sum = (sum + view.getUint32(i)) >>> 0;
  if (whole < data.length) {
    // The last partial word is summed as if padded with zeros.
    let last = 0;
    for (let i = whole; i < whole + 4; i++) last = (last << 8) | (data[i] ?? 0);
    sum = (sum + (last >>> 0)) >>> 0;
  }
  return sum;
}

const pad4 = (n: number) => (n + 3) & ~3;

/** An sfnt from tables (tag → data): directory sorted by tag, 4-byte padding, checksums, head adjustment. */
function assembleFont(tables: Map<string, Uint8Array>): Uint8Array {
  const tags = [...tables.keys()].sort();
  const count = tags.length;
  const dirLength = 12 + 16 * count;
  let size = dirLength;
  for (const tag of tags) size += pad4((tables.get(tag) as Uint8Array).length);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  const power = 2 ** Math.floor(Math.log2(count));
  view.setUint32(0, SFNT_TRUETYPE);
  view.setUint16(4, count);
  view.setUint16(6, power * 16);
  view.setUint16(8, Math.log2(power));
  view.setUint16(10, count * 16 - power * 16);
  let offset = dirLength;
  let headOffset = -1;
  tags.forEach((tag, i) => {
    const data = tables.get(tag) as Uint8Array;
    const rec = 12 + 16 * i;
    for (let j = 0; j < 4; j++) out[rec + j] = tag.charCodeAt(j);
    view.setUint32(rec + 4, checksum(data));
    view.setUint32(rec + 8, offset);
    view.setUint32(rec + 12, data.length);
    out.set(data, offset);
    if (tag === 'head') headOffset = offset;
    offset += pad4(data.length);
  });
  // head's checksum above was taken with checkSumAdjustment zeroed (the caller zeroes it).
  view.setUint32(headOffset + 8, (0xb1b0afba - checksum(out)) >>> 0);
  return out;
}

/** The font with glyph ids unchanged and every glyph outside `keep` emptied; long loca. */
function subsetProgram(program: TrueTypeProgram, keep: ReadonlySet<number>): Uint8Array {
  const { bytes, glyphOffsets, numGlyphs } = program;
  const glyf = program.tables.get('glyf') as TableRecord;
  const offsets = new Uint32Array(numGlyphs + 1);
  let size = 0;
  for (let g = 0; g < numGlyphs; g++) {
    offsets[g] = size;
    // Kept glyphs padded to 4 bytes (long loca only needs 2, 4 is what rasterisers like).
    if (keep.has(g)) size += pad4((glyphOffsets[g + 1] as number) - (glyphOffsets[g] as number));
  }
  offsets[numGlyphs] = size;
  const newGlyf = new Uint8Array(size);
  for (const g of keep) {
    const from = glyf.offset + (glyphOffsets[g] as number);
    const to = glyf.offset + (glyphOffsets[g + 1] as number);
    newGlyf.set(bytes.subarray(from, to), offsets[g] as number);
  }
  const newLoca = new Uint8Array(4 * (numGlyphs + 1));
  const locaView = new DataView(newLoca.buffer);
  offsets.forEach((o, i) => {
    locaView.setUint32(4 * i, o);
  });

  const copy = (tag: string) => {
    const t = program.tables.get(tag);
    return t ? bytes.slice(t.offset, t.offset + t.length) : undefined;
  };
  const head = copy('head') as Uint8Array;
  const headView = new DataView(head.buffer);
  headView.setUint32(8, 0); // checkSumAdjustment, set once the whole font is summed
  headView.setInt16(50, 1); // indexToLocFormat: long

  const tables = new Map<string, Uint8Array>([
    ['head', head],
    ['glyf', newGlyf],
    ['loca', newLoca],
  ]);
  // The tables PDF requires of an embedded TrueType program (ISO 32000-1 §9.9); cmap is unused with Identity.
  for (const tag of ['hhea', 'hmtx', 'maxp', 'cvt ', 'fpgm', 'prep']) {
    const data = copy(tag);
    if (data) tables.set(tag, data);
  }
  return assembleFont(tables);
}

// ---------------------------------------------------------------------------------------------------------
// PDF font

/** Six capital letters from the glyph set, so different subsets of one font get different names. */
function subsetTag(postScriptName: string, gids: readonly number[]): string {
  const digest = createHash('sha256').update(postScriptName).update(gids.join(',')).digest();
  let tag = '';
  for (let i = 0; i < 6; i++) tag += String.fromCharCode(0x41 + ((digest[i] as number) % 26));
  return tag;
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

function utf16Hex(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += hex4(text.charCodeAt(i));
  return out;
}

/** ToUnicode CMap (bfchar, at most 100 per block as the CMap spec allows). */
function toUnicodeCMap(unicode: ReadonlyMap<number, string>): string {
  const entries = [...unicode].sort((a, b) => a[0] - b[0]);
  const blocks: string[] = [];
  for (let i = 0; i < entries.length; i += 100) {
    const chunk = entries.slice(i, i + 100);
    blocks.push(
      `${chunk.length} beginbfchar\n${chunk.map(([g, t]) => `<${hex4(g)}> <${utf16Hex(t)}>`).join('\n')}\nendbfchar`,
    );
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <FFFF>',
    'endcodespacerange',
    ...blocks,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
    '',
  ].join('\n');
}

/** /W: widths differing from /DW, as `first [w w …]` runs of consecutive glyph ids. */
function widthArray(widths: ReadonlyMap<number, number>, dw: number): PdfArray {
  const out: PdfObject[] = [];
  let run: PdfObject[] = [];
  let next = -1;
  for (const [gid, w] of [...widths].sort((a, b) => a[0] - b[0])) {
    if (w === dw) continue;
    if (gid !== next) {
      if (run.length) out.push(new PdfArray(run));
      out.push(PdfNumber.of(gid));
      run = [];
    }
    run.push(PdfNumber.of(w));
    next = gid + 1;
  }
  if (run.length) out.push(new PdfArray(run));
  return new PdfArray(out);
}

// OS/2 fsType: restricted-licence embedding, no subsetting, bitmap-only embedding.
const FS_RESTRICTED = 0x0002;
const FS_NO_SUBSETTING = 0x0100;
const FS_BITMAP_ONLY = 0x0200;

/**
 * One font as used by one incremental update: records the glyphs text is encoded with, then writes the
 * Type0 font with a subset of exactly those glyphs.
 */
export class EmbeddedFont {
  /** Used glyph id → the text it stands for (first seen), for ToUnicode. */
  private readonly used = new Map<number, string>();
  private written = false;

  constructor(private readonly program: TrueTypeProgram) {
    const { fsType } = program;
    if ((fsType & 0x000f) === FS_RESTRICTED || fsType & (FS_NO_SUBSETTING | FS_BITMAP_ONLY))
      throw new Error(
        `font ${program.postScriptName} does not allow subset embedding (OS/2 fsType 0x${fsType.toString(16)})`,
      );
  }

  private glyphOf(char: string): number | undefined {
    return this.program.cmap.get(char.codePointAt(0) as number);
  }

  canEncode(text: string): boolean {
    for (const char of text) if (this.glyphOf(char) === undefined) return false;
    return true;
  }

  /** Distinct characters (code points) the font has no glyph for, in order of appearance. */
  unencodableCharacters(text: string): string[] {
    const missing = new Set<string>();
    for (const char of text) if (this.glyphOf(char) === undefined) missing.add(char);
    return [...missing];
  }

  /** Glyph ids, one per code point, recorded as used; throws on a character without a glyph. */
  encode(text: string): number[] {
    if (this.written) throw new Error('font already written: encode text before write()');
    const gids: number[] = [];
    for (const char of text) {
      const gid = this.glyphOf(char);
      if (gid === undefined)
        throw new Error(
          `font ${this.program.postScriptName} has no glyph for U+${hex4(char.codePointAt(0) as number)}`,
        );
      if (!this.used.has(gid)) this.used.set(gid, char);
      gids.push(gid);
    }
    return gids;
  }

  /** Width in text space units at `size` (advances only, no kerning); unknown characters count as .notdef. */
  widthOf(text: string, size: number): number {
    let units = 0;
    for (const char of text) units += this.program.advanceWidths[this.glyphOf(char) ?? 0] as number;
    return (units * size) / this.program.unitsPerEm;
  }

  /** Writes the Type0 font under `ref` (reserved by the caller) and its parts as new objects. */
  write(alloc: ObjectAllocator, ref: PdfRef): void {
    if (this.written) throw new Error('font already written');
    this.written = true;
    const p = this.program;
    const scale = (v: number) => Math.round((v * 1000) / p.unitsPerEm);

    const keep = glyphClosure(p, this.used.keys());
    const subset = subsetProgram(p, keep);
    const baseFont = `${subsetTag(
      p.postScriptName,
      [...keep].sort((a, b) => a - b),
    )}+${p.postScriptName}`;

    const fontFile = alloc.add(
      PdfDict.of({ Length1: PdfNumber.of(subset.length), Filter: PdfName.of('FlateDecode') }),
      deflateSync(subset),
    );

    // Symbolic (4) as usual for Identity-encoded CID fonts; FixedPitch 1, Serif 2, Italic 64.
    const flags = 4 | (p.isFixedPitch ? 1 : 0) | (p.isSerif ? 2 : 0) | (p.italicAngle !== 0 ? 64 : 0);
    // No stem widths in a TrueType font: the usual estimate from the weight class (≈ 95 regular, 170 bold).
    const stemV = Math.round(10 + (220 * Math.max(0, p.weightClass - 50)) / 900);
    const descriptor = alloc.add(
      PdfDict.of({
        Type: PdfName.of('FontDescriptor'),
        FontName: PdfName.of(baseFont),
        Flags: PdfNumber.of(flags),
        FontBBox: new PdfArray(p.bbox.map((v) => PdfNumber.of(scale(v)))),
        ItalicAngle: PdfNumber.of(Math.round(p.italicAngle * 100) / 100),
        Ascent: PdfNumber.of(scale(p.ascender)),
        Descent: PdfNumber.of(scale(p.descender)),
        CapHeight: PdfNumber.of(scale(p.capHeight)),
        StemV: PdfNumber.of(stemV),
        FontFile2: fontFile,
      }),
    );

    const widths = new Map<number, number>();
    const frequency = new Map<number, number>();
    for (const gid of this.used.keys()) {
      const w = scale(p.advanceWidths[gid] as number);
      widths.set(gid, w);
      frequency.set(w, (frequency.get(w) ?? 0) + 1);
    }
    // The most frequent width becomes /DW, so /W lists only the others.
    let dw = scale(p.advanceWidths[0] as number);
    let best = 0;
    for (const [w, n] of frequency)
      if (n > best) {
        best = n;
        dw = w;
      }

    const cidFont = alloc.add(
      PdfDict.of({
        Type: PdfName.of('Font'),
        Subtype: PdfName.of('CIDFontType2'),
        BaseFont: PdfName.of(baseFont),
        CIDSystemInfo: PdfDict.of({
          Registry: PdfString.fromString('Adobe'),
          Ordering: PdfString.fromString('Identity'),
          Supplement: PdfNumber.of(0),
        }),
        FontDescriptor: descriptor,
        CIDToGIDMap: PdfName.of('Identity'),
        DW: PdfNumber.of(dw),
        W: widthArray(widths, dw),
      }),
    );

    const toUnicode = alloc.add(
      PdfDict.of({ Filter: PdfName.of('FlateDecode') }),
      deflateSync(Buffer.from(toUnicodeCMap(this.used), 'latin1')),
    );

    alloc.put(
      ref,
      PdfDict.of({
        Type: PdfName.of('Font'),
        Subtype: PdfName.of('Type0'),
        BaseFont: PdfName.of(baseFont),
        Encoding: PdfName.of('Identity-H'),
        DescendantFonts: new PdfArray([cidFont]),
        ToUnicode: toUnicode,
      }),
    );
  }
}

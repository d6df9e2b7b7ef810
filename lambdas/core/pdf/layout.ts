import { PdfArray, type PdfDict, PdfNumber, type PdfObject, PdfStream } from '@libpdf/core';
import { DomainError } from '../errors';
import { type CodeText, codeText } from './font-text';
import { checkPdfBytes } from './input';
import { orDamaged } from './objects';
import { PdfFile, pageAt, Revision } from './reader';

/*
 * What each page shows, as boxes: the text runs and images its content stream draws (ISO 32000-1 §8–9),
 * in points relative to the page's MediaBox lower-left corner (the frame widgets are placed in). Read to
 * place the signature, the seal and the number where they cover nothing. Vector paths are left out (a
 * white page background or a table grid would otherwise fill the page). Widths come from the fonts'
 * /Widths or /W; a font without them counts 0.6 em a glyph (wider than most), so a box errs on the large side.
 */

export interface LayoutBox {
  readonly kind: 'text' | 'image';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** For text: the run's characters as far as a simple font tells them (to find "Số:" and "ngày"). */
  readonly text?: string;
}

export interface PageLayout {
  /** The visible area (CropBox within MediaBox), relative to the MediaBox lower-left. */
  readonly area: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  /** /Rotate, normalised to 0, 90, 180 or 270. */
  readonly rotate: number;
  readonly boxes: readonly LayoutBox[];
  readonly placeholders: Placeholders;
}

/** Where the page's template leaves the number ("Số:  /QĐ-UBND") and the date ("…, ngày … tháng … năm …"). */
export interface Placeholders {
  readonly number?: TextSpan;
  readonly date?: TextSpan;
  /** The lowest line of the signature block's heading ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH") or a "(Chữ ký)". */
  readonly signature?: TextSpan;
}

export interface TextSpan {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface DocumentLayout {
  readonly count: number;
  page(index: number): PageLayout | undefined;
}

/** The layout of a PDF's pages, each read when asked (a 200-page scan reads only the pages placement needs). */
export async function readLayout(
  pdf: Uint8Array,
  options: { maxBytes?: number } = {},
): Promise<DocumentLayout> {
  checkPdfBytes(pdf, { maxBytes: options.maxBytes });
  return orDamaged(() => {
    const rev = Revision.open(PdfFile.fromBytes(pdf));
    if (rev.trailer.has('Encrypt')) throw new DomainError('pdf_encrypted', 422);
    const catalog = rev.catalog();
    const count = rev.resolve(rev.dict(catalog.get('Pages'))?.get('Count'));
    const n = count instanceof PdfNumber ? count.value : 0;
    const cache = new Map<number, PageLayout | undefined>();
    return {
      count: n,
      page(index) {
        if (!cache.has(index)) {
          const page = index >= 0 && index < n ? pageAt(rev, catalog, index) : undefined;
          cache.set(index, page ? layoutOf(rev, page.dict, page.mediaBox) : undefined);
        }
        return cache.get(index);
      },
    };
  });
}

type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[1] * n[2],
    m[0] * n[1] + m[1] * n[3],
    m[2] * n[0] + m[3] * n[2],
    m[2] * n[1] + m[3] * n[3],
    m[4] * n[0] + m[5] * n[2] + n[4],
    m[4] * n[1] + m[5] * n[3] + n[5],
  ];
}

function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

function inherited(rev: Revision, page: PdfDict, key: string): PdfObject | undefined {
  const seen = new Set<PdfDict>();
  for (let node: PdfDict | undefined = page; node && !seen.has(node); node = rev.dict(node.get('Parent'))) {
    seen.add(node);
    const value = rev.resolve(node.get(key));
    if (value !== undefined) return value;
  }
  return undefined;
}

function numbersOf(rev: Revision, value: PdfObject | undefined): number[] | undefined {
  const items = rev.array(value)?.toArray();
  if (!items) return undefined;
  const out = items.map((v) => rev.resolve(v)).map((v) => (v instanceof PdfNumber ? v.value : Number.NaN));
  return out.some(Number.isNaN) ? undefined : out;
}

function rectOf(values: readonly number[] | undefined) {
  const [x1, y1, x2, y2] = values ?? [];
  if (x1 === undefined || y1 === undefined || x2 === undefined || y2 === undefined) return undefined;
  return { x: Math.min(x1, x2), y: Math.min(y1, y2), x2: Math.max(x1, x2), y2: Math.max(y1, y2) };
}

function layoutOf(rev: Revision, page: PdfDict, mediaBoxValues: number[] | undefined): PageLayout {
  const media = rectOf(mediaBoxValues) ?? { x: 0, y: 0, x2: 612, y2: 792 };
  const crop = rectOf(numbersOf(rev, inherited(rev, page, 'CropBox'))) ?? media;
  const visible = {
    x: Math.max(media.x, crop.x),
    y: Math.max(media.y, crop.y),
    x2: Math.min(media.x2, crop.x2),
    y2: Math.min(media.y2, crop.y2),
  };
  const rotateValue = inherited(rev, page, 'Rotate');
  const rotate = ((((rotateValue instanceof PdfNumber ? rotateValue.value : 0) % 360) + 360) % 360) as number;
  const boxes: LayoutBox[] = [];
  const resources = rev.dict(inherited(rev, page, 'Resources'));
  const contents = rev.resolve(page.get('Contents'));
  const streams: PdfStream[] = [];
  if (contents instanceof PdfStream) streams.push(contents);
  else if (contents instanceof PdfArray)
    for (const item of contents.toArray()) {
      const s = rev.resolve(item);
      if (s instanceof PdfStream) streams.push(s);
    }
  const parts = streams.map((s) => rev.decoded(s));
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
  let at = 0;
  for (const p of parts) {
    joined.set(p, at);
    joined[at + p.length] = 0x0a;
    at += p.length + 1;
  }
  // Boxes relative to the MediaBox corner, as widgets are placed.
  const shift: Matrix = [1, 0, 0, 1, -media.x, -media.y];
  const glyphs: Glyph[] = [];
  new Interpreter(rev, boxes, glyphs).run(joined, resources, shift, 0);
  return {
    area: {
      x: visible.x - media.x,
      y: visible.y - media.y,
      width: visible.x2 - visible.x,
      height: visible.y2 - visible.y,
    },
    rotate: rotate === 90 || rotate === 180 || rotate === 270 ? rotate : 0,
    boxes: boxes.filter((b) => b.width > 0.01 && b.height > 0.01),
    placeholders: findPlaceholders(textLines(glyphs)),
  };
}

// --- Lines of text -------------------------------------------------------------------------------------

interface Glyph {
  readonly x: number;
  readonly y: number;
  readonly x2: number;
  readonly y2: number;
  readonly baseline: number;
  readonly size: number;
  readonly ch: string;
}

/**
 * The page's upright text as segments of lines, in reading order: glyphs on one baseline sorted by x (the
 * order they are drawn in is not: LibreOffice draws a line's Vietnamese letters from another font after
 * the rest), a space where they part, a new segment across a gap of 3 em or more (a table's next column).
 */
export function textLines(glyphs: readonly Glyph[]): TextSpan[] {
  const rows: Glyph[][] = [];
  const sorted = [...glyphs].sort((a, b) => b.baseline - a.baseline);
  for (const g of sorted) {
    const row = rows[rows.length - 1];
    const first = row?.[0];
    if (row && first && Math.abs(first.baseline - g.baseline) <= Math.max(first.size, g.size) * 0.25)
      row.push(g);
    else rows.push([g]);
  }
  const spans: TextSpan[] = [];
  for (const row of rows) {
    row.sort((a, b) => a.x - b.x);
    let current: Glyph[] = [];
    let text = '';
    const flush = () => {
      if (current.length && text.trim()) {
        const x = Math.min(...current.map((g) => g.x));
        const y = Math.min(...current.map((g) => g.y));
        spans.push({
          text: text.replace(/\s+/g, ' ').trim().normalize('NFC'),
          x,
          y,
          width: Math.max(...current.map((g) => g.x2)) - x,
          height: Math.max(...current.map((g) => g.y2)) - y,
        });
      }
      current = [];
      text = '';
    };
    for (const g of row) {
      const prev = current[current.length - 1];
      if (prev) {
        const gap = g.x - prev.x2;
        const em = Math.max(prev.size, g.size);
        if (gap > em * 3) flush();
        else if (gap > em * 0.15 && !/\s$/.test(text) && g.ch.trim()) text += ' ';
      }
      current.push(g);
      text += g.ch;
    }
    flush();
  }
  return spans;
}

/** Blanks a template leaves to fill: spaces, dots, ellipses, underscores. */
const BLANK = String.raw`[\s._…]*`;
const NUMBER_PLACEHOLDER = new RegExp(`^số${BLANK}:${BLANK}(/|$)`, 'iu');
const DATE_PLACEHOLDER = new RegExp(`ngày${BLANK}tháng${BLANK}năm(${BLANK}$|${BLANK}\\d{4}$)`, 'iu');

/** A signature block's heading (D30 PL I: the capacity, then the title), in capitals, on a line of its own. */
const SIGNATURE_HEADING =
  /^(?:(?:KT|TM|TL|TUQ|Q)\.\s*)?(?:PHÓ\s+)?(?:CHỦ TỊCH|GIÁM ĐỐC|CHÁNH VĂN PHÒNG|TRƯỞNG BAN|TRƯỞNG PHÒNG|BÍ THƯ|THỦ TRƯỞNG)$|^(?:KT|TM|TL|TUQ|Q)\.\s+[^a-zà-ỹ]{3,60}$/u;
/** Where a template asks for the signature in words: "(Chữ ký)", "(Ký, ghi rõ họ tên)", "(Ký tên, đóng dấu)". */
const SIGN_HERE = /^\((?:chữ ký|ký)[^)]*\)$/iu;

export function findPlaceholders(spans: readonly TextSpan[]): Placeholders {
  const number = spans.find((s) => NUMBER_PLACEHOLDER.test(s.text));
  const date = spans.find((s) => DATE_PLACEHOLDER.test(s.text));
  const marks = spans.filter((s) => SIGNATURE_HEADING.test(s.text) || SIGN_HERE.test(s.text));
  const signature = marks.reduce<TextSpan | undefined>(
    (low, s) => (!low || s.y < low.y ? s : low),
    undefined,
  );
  return { ...(number ? { number } : {}), ...(date ? { date } : {}), ...(signature ? { signature } : {}) };
}

// --- Content stream tokens (ISO 32000-1 §7.8.2) ---------------------------------------------------------

type Operand = number | string | { name: string } | { bytes: Uint8Array } | Operand[] | { dict: true };

const DELIMS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
const isSpace = (c: number) =>
  c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;

class Tokens {
  pos = 0;
  constructor(readonly data: Uint8Array) {}

  private skip(): void {
    const d = this.data;
    while (this.pos < d.length) {
      const c = d[this.pos] as number;
      if (isSpace(c)) this.pos++;
      else if (c === 0x25)
        while (this.pos < d.length && d[this.pos] !== 0x0a && d[this.pos] !== 0x0d) this.pos++;
      else break;
    }
  }

  private word(): string {
    const d = this.data;
    const start = this.pos;
    while (this.pos < d.length && !isSpace(d[this.pos] as number) && !DELIMS.has(d[this.pos] as number))
      this.pos++;
    return String.fromCharCode(...d.subarray(start, this.pos));
  }

  /** The next operand, operator (as { op }), or undefined at the end. */
  next(): Operand | { op: string } | undefined {
    this.skip();
    const d = this.data;
    if (this.pos >= d.length) return undefined;
    const c = d[this.pos] as number;
    if (c === 0x2f) {
      this.pos++;
      return { name: this.word() };
    }
    if (c === 0x28) return { bytes: this.literal() };
    if (c === 0x3c) {
      if (d[this.pos + 1] === 0x3c) {
        this.pos += 2;
        this.skipDict();
        return { dict: true };
      }
      return { bytes: this.hex() };
    }
    if (c === 0x5b) {
      this.pos++;
      const items: Operand[] = [];
      for (;;) {
        this.skip();
        if (this.pos >= d.length) return items;
        if (d[this.pos] === 0x5d) {
          this.pos++;
          return items;
        }
        const item = this.next();
        if (item === undefined) return items;
        if (typeof item === 'object' && 'op' in item) continue;
        items.push(item);
      }
    }
    if (c === 0x5d || c === 0x3e || c === 0x29 || c === 0x7b || c === 0x7d) {
      this.pos++;
      return this.next();
    }
    const w = this.word();
    if (w === '') {
      this.pos++;
      return this.next();
    }
    const num = Number(w);
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(w) && Number.isFinite(num)) return num;
    return { op: w };
  }

  private skipDict(): void {
    let depth = 1;
    const d = this.data;
    while (this.pos < d.length && depth > 0) {
      if (d[this.pos] === 0x3c && d[this.pos + 1] === 0x3c) {
        depth++;
        this.pos += 2;
      } else if (d[this.pos] === 0x3e && d[this.pos + 1] === 0x3e) {
        depth--;
        this.pos += 2;
      } else if (d[this.pos] === 0x28) this.literal();
      else this.pos++;
    }
  }

  private literal(): Uint8Array {
    const d = this.data;
    const out: number[] = [];
    let depth = 0;
    this.pos++;
    while (this.pos < d.length) {
      const c = d[this.pos++] as number;
      if (c === 0x5c) {
        const e = d[this.pos++] as number;
        if (e >= 0x30 && e <= 0x37) {
          let v = e - 0x30;
          for (let k = 0; k < 2 && (d[this.pos] as number) >= 0x30 && (d[this.pos] as number) <= 0x37; k++)
            v = v * 8 + ((d[this.pos++] as number) - 0x30);
          out.push(v & 0xff);
        } else if (e === 0x6e) out.push(0x0a);
        else if (e === 0x72) out.push(0x0d);
        else if (e === 0x74) out.push(0x09);
        else if (e === 0x62) out.push(0x08);
        else if (e === 0x66) out.push(0x0c);
        else if (e === 0x0d) {
          if (d[this.pos] === 0x0a) this.pos++;
        } else if (e !== 0x0a) out.push(e);
      } else if (c === 0x28) {
        depth++;
        out.push(c);
      } else if (c === 0x29) {
        if (depth === 0) break;
        depth--;
        out.push(c);
      } else out.push(c);
    }
    return Uint8Array.from(out);
  }

  private hex(): Uint8Array {
    const d = this.data;
    this.pos++;
    let digits = '';
    while (this.pos < d.length && d[this.pos] !== 0x3e) {
      const c = d[this.pos++] as number;
      if (!isSpace(c)) digits += String.fromCharCode(c);
    }
    this.pos++;
    if (digits.length % 2) digits += '0';
    const out = new Uint8Array(digits.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(digits.slice(i * 2, i * 2 + 2), 16) || 0;
    return out;
  }

  /** Skips an inline image's data, from after ID to after EI. */
  skipInlineImage(): void {
    const d = this.data;
    this.pos++;
    while (this.pos < d.length) {
      if (
        d[this.pos] === 0x45 &&
        d[this.pos + 1] === 0x49 &&
        isSpace(d[this.pos - 1] ?? 0x20) &&
        (this.pos + 2 >= d.length || isSpace(d[this.pos + 2] as number))
      ) {
        this.pos += 2;
        return;
      }
      this.pos++;
    }
  }
}

// --- Fonts ----------------------------------------------------------------------------------------------

interface FontMetrics {
  readonly twoByte: boolean;
  readonly text: CodeText;
  width(code: number): number;
  readonly ascent: number;
  readonly descent: number;
}

const FALLBACK_WIDTH = 600;

function fontMetrics(rev: Revision, font: PdfDict | undefined): FontMetrics {
  if (!font)
    return { twoByte: false, text: () => '', width: () => FALLBACK_WIDTH, ascent: 0.9, descent: -0.25 };
  const subtype = font.getName('Subtype')?.value;
  if (subtype === 'Type0') {
    const descendant = rev.dict(rev.array(font.get('DescendantFonts'))?.toArray()[0]);
    const dwValue = rev.resolve(descendant?.get('DW'));
    const dw = dwValue instanceof PdfNumber ? dwValue.value : 1000;
    const widths = new Map<number, number>();
    const w =
      rev
        .array(descendant?.get('W'))
        ?.toArray()
        .map((v) => rev.resolve(v)) ?? [];
    for (let i = 0; i < w.length; ) {
      const first = w[i];
      const second = w[i + 1];
      if (!(first instanceof PdfNumber)) break;
      if (second instanceof PdfArray) {
        second.toArray().forEach((v, k) => {
          const r = rev.resolve(v);
          if (r instanceof PdfNumber) widths.set(first.value + k, r.value);
        });
        i += 2;
      } else {
        const last = second;
        const value = w[i + 2];
        if (!(last instanceof PdfNumber) || !(value instanceof PdfNumber)) break;
        for (let c = first.value; c <= last.value && c - first.value < 65536; c++) widths.set(c, value.value);
        i += 3;
      }
    }
    const descriptor = rev.dict(descendant?.get('FontDescriptor'));
    return {
      twoByte: true,
      text: codeText(rev, font),
      width: (c) => widths.get(c) ?? dw,
      ...vertical(rev, descriptor),
    };
  }
  const firstValue = rev.resolve(font.get('FirstChar'));
  const first = firstValue instanceof PdfNumber ? firstValue.value : 0;
  const widths = numbersOf(rev, font.get('Widths'));
  const descriptor = rev.dict(font.get('FontDescriptor'));
  const missing = rev.resolve(descriptor?.get('MissingWidth'));
  const fallback = missing instanceof PdfNumber && missing.value > 0 ? missing.value : FALLBACK_WIDTH;
  return {
    twoByte: false,
    text: codeText(rev, font),
    width: (c) => (widths ? (widths[c - first] ?? fallback) : FALLBACK_WIDTH),
    ...vertical(rev, descriptor),
  };
}

function vertical(rev: Revision, descriptor: PdfDict | undefined): { ascent: number; descent: number } {
  const a = rev.resolve(descriptor?.get('Ascent'));
  const d = rev.resolve(descriptor?.get('Descent'));
  const ascent = a instanceof PdfNumber && a.value > 0 ? Math.min(a.value / 1000, 1.2) : 0.9;
  const descent = d instanceof PdfNumber && d.value < 0 ? Math.max(d.value / 1000, -0.5) : -0.25;
  return { ascent, descent };
}

// --- The interpreter ------------------------------------------------------------------------------------

interface TextState {
  font: FontMetrics;
  size: number;
  charSpacing: number;
  wordSpacing: number;
  scale: number;
  leading: number;
  rise: number;
}

class Interpreter {
  private readonly fonts = new Map<PdfDict, FontMetrics>();

  constructor(
    private readonly rev: Revision,
    private readonly boxes: LayoutBox[],
    private readonly glyphs?: Glyph[],
  ) {}

  run(data: Uint8Array, resources: PdfDict | undefined, ctm0: Matrix, depth: number): void {
    const rev = this.rev;
    const tokens = new Tokens(data);
    const stack: Matrix[] = [];
    let ctm = ctm0;
    let tm: Matrix = IDENTITY;
    let tlm: Matrix = IDENTITY;
    const textStates: TextState[] = [];
    let ts: TextState = {
      font: fontMetrics(rev, undefined),
      size: 12,
      charSpacing: 0,
      wordSpacing: 0,
      scale: 1,
      leading: 0,
      rise: 0,
    };
    let operands: Operand[] = [];
    const num = (i: number): number => {
      const v = operands[operands.length - i];
      return typeof v === 'number' ? v : 0;
    };
    const show = (bytes: Uint8Array, adjust = 0) => {
      const { font, size } = ts;
      const step = font.twoByte ? 2 : 1;
      let width = 0;
      let text = '';
      const m = multiply(tm, ctm);
      const bottom = font.descent * size + ts.rise;
      const top = font.ascent * size + ts.rise;
      for (let i = 0; i + step - 1 < bytes.length; i += step) {
        const code =
          step === 2 ? ((bytes[i] as number) << 8) | (bytes[i + 1] as number) : (bytes[i] as number);
        const advance =
          (font.width(code) / 1000) * size +
          ts.charSpacing +
          (step === 1 && code === 32 ? ts.wordSpacing : 0);
        const ch = font.text(code);
        text += ch;
        if (ch)
          this.glyph(
            m,
            width * ts.scale,
            (width + (font.width(code) / 1000) * size) * ts.scale,
            bottom,
            top,
            ch,
          );
        width += advance;
      }
      width = (width - (adjust / 1000) * size) * ts.scale;
      this.textBox(tm, ctm, width, bottom, top, text);
      tm = multiply([1, 0, 0, 1, width, 0], tm);
    };
    const nextLine = () => {
      tlm = multiply([1, 0, 0, 1, 0, -ts.leading], tlm);
      tm = tlm;
    };
    for (let token = tokens.next(); token !== undefined; token = tokens.next()) {
      if (typeof token !== 'object' || !('op' in token)) {
        operands.push(token);
        continue;
      }
      switch (token.op) {
        case 'q':
          stack.push(ctm);
          textStates.push({ ...ts });
          break;
        case 'Q':
          ctm = stack.pop() ?? ctm0;
          ts = textStates.pop() ?? ts;
          break;
        case 'cm':
          ctm = multiply([num(6), num(5), num(4), num(3), num(2), num(1)], ctm);
          break;
        case 'BT':
          tm = IDENTITY;
          tlm = IDENTITY;
          break;
        case 'Tf': {
          const name = operands[operands.length - 2];
          ts.size = num(1);
          const fontDict =
            typeof name === 'object' && 'name' in name
              ? rev.dict(rev.dict(resources?.get('Font'))?.get(name.name))
              : undefined;
          if (fontDict) {
            let metrics = this.fonts.get(fontDict);
            if (!metrics) {
              metrics = fontMetrics(rev, fontDict);
              this.fonts.set(fontDict, metrics);
            }
            ts.font = metrics;
          } else ts.font = fontMetrics(rev, undefined);
          break;
        }
        case 'Tc':
          ts.charSpacing = num(1);
          break;
        case 'Tw':
          ts.wordSpacing = num(1);
          break;
        case 'Tz':
          ts.scale = num(1) / 100;
          break;
        case 'TL':
          ts.leading = num(1);
          break;
        case 'Ts':
          ts.rise = num(1);
          break;
        case 'Td':
          tlm = multiply([1, 0, 0, 1, num(2), num(1)], tlm);
          tm = tlm;
          break;
        case 'TD':
          ts.leading = -num(1);
          tlm = multiply([1, 0, 0, 1, num(2), num(1)], tlm);
          tm = tlm;
          break;
        case 'Tm':
          tlm = [num(6), num(5), num(4), num(3), num(2), num(1)];
          tm = tlm;
          break;
        case 'T*':
          nextLine();
          break;
        case 'Tj': {
          const s = operands[operands.length - 1];
          if (typeof s === 'object' && 'bytes' in s) show(s.bytes);
          break;
        }
        case "'": {
          nextLine();
          const s = operands[operands.length - 1];
          if (typeof s === 'object' && 'bytes' in s) show(s.bytes);
          break;
        }
        case '"': {
          ts.wordSpacing = num(3);
          ts.charSpacing = num(2);
          nextLine();
          const s = operands[operands.length - 1];
          if (typeof s === 'object' && 'bytes' in s) show(s.bytes);
          break;
        }
        case 'TJ': {
          const items = operands[operands.length - 1];
          if (Array.isArray(items)) {
            let adjust = 0;
            for (const item of items) {
              if (typeof item === 'number') adjust += item;
              else if (typeof item === 'object' && 'bytes' in item) {
                if (adjust) tm = multiply([1, 0, 0, 1, (-adjust / 1000) * ts.size * ts.scale, 0], tm);
                adjust = 0;
                show(item.bytes);
              }
            }
          }
          break;
        }
        case 'Do': {
          const name = operands[operands.length - 1];
          if (typeof name !== 'object' || !('name' in name)) break;
          const xobject = rev.resolve(rev.dict(resources?.get('XObject'))?.get(name.name));
          if (!(xobject instanceof PdfStream)) break;
          const subtype = xobject.getName('Subtype')?.value;
          if (subtype === 'Image') this.unitSquare(ctm, 'image');
          else if (subtype === 'Form' && depth < 8) {
            const m = numbersOf(rev, xobject.get('Matrix'));
            const matrix: Matrix = m && m.length === 6 ? (m as Matrix) : IDENTITY;
            const inner = rev.dict(xobject.get('Resources')) ?? resources;
            try {
              this.run(rev.decoded(xobject), inner, multiply(matrix, ctm), depth + 1);
            } catch {
              // A form the reader cannot decode: its bounding box counts as covered.
              const bbox = rectOf(numbersOf(rev, xobject.get('BBox')));
              if (bbox) this.rect(multiply(matrix, ctm), bbox.x, bbox.y, bbox.x2, bbox.y2, 'image');
            }
          }
          break;
        }
        case 'ID':
          tokens.skipInlineImage();
          this.unitSquare(ctm, 'image');
          break;
        default:
          break;
      }
      operands = [];
    }
  }

  /** One upright glyph's box and character, to read the page's lines (rotated text is left out). */
  private glyph(m: Matrix, x0: number, x1: number, bottom: number, top: number, ch: string): void {
    if (!this.glyphs || Math.abs(m[1]) > 1e-6 || Math.abs(m[2]) > 1e-6 || m[0] <= 0 || m[3] <= 0) return;
    const [gx, gy] = apply(m, x0, bottom);
    const [gx2, gy2] = apply(m, x1, top);
    this.glyphs.push({ x: gx, y: gy, x2: gx2, y2: gy2, baseline: apply(m, 0, 0)[1], size: top - bottom, ch });
  }

  private unitSquare(ctm: Matrix, kind: 'image'): void {
    this.rect(ctm, 0, 0, 1, 1, kind);
  }

  private rect(
    m: Matrix,
    x0: number,
    y0: number,
    x1: number,
    y1: number,
    kind: 'text' | 'image',
    text?: string,
  ) {
    const points = [apply(m, x0, y0), apply(m, x1, y0), apply(m, x0, y1), apply(m, x1, y1)];
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    const x = Math.min(...xs);
    const y = Math.min(...ys);
    this.boxes.push({
      kind,
      x,
      y,
      width: Math.max(...xs) - x,
      height: Math.max(...ys) - y,
      ...(text ? { text } : {}),
    });
  }

  private textBox(tm: Matrix, ctm: Matrix, width: number, bottom: number, top: number, text: string): void {
    if (width <= 0) return;
    this.rect(multiply(tm, ctm), 0, bottom, width, top, 'text', text.trim() || undefined);
  }
}

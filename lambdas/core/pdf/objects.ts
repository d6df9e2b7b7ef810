import {
  PdfArray,
  PdfBool,
  PdfDict,
  PdfName,
  PdfNull,
  PdfNumber,
  type PdfObject,
  PdfRef,
  PdfStream,
  PdfString,
} from '@libpdf/core';
import { DomainError } from '../errors';

/*
 * A small PDF object syntax reader and writer (ISO 32000-1 §7.2–7.3) producing @libpdf/core's object
 * classes, for the streamed paths (`reader.ts`, `incremental.ts`) that must not load a whole file: they
 * parse only the trailer, the cross-reference sections and the few objects they need, by offset.
 */

/** The file does not have the structure the reader expects (damaged, or beyond what it follows). */
export class PdfStructureError extends Error {
  override readonly name = 'PdfStructureError';
}

/**
 * Runs `work`, turning a structure the reader cannot follow into the user's error: the file is damaged
 * (docflow does not repair files; the sender re-exports it).
 */
export async function orDamaged<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PdfStructureError)
      throw new DomainError('pdf_damaged', 422, { detail: error.message });
    throw error;
  }
}

/** Bytes by absolute position, from an in-memory array or a file read in chunks. */
export interface ByteWindow {
  /** The byte at `pos`, or -1 at or past the end. */
  at(pos: number): number;
  /** The bytes in [start, end), clamped to the end. */
  slice(start: number, end: number): Uint8Array;
  readonly end: number;
}

export function bytesWindow(bytes: Uint8Array, end = bytes.length): ByteWindow {
  const limit = Math.min(end, bytes.length);
  return {
    end: limit,
    at: (pos) => (pos >= 0 && pos < limit ? (bytes[pos] as number) : -1),
    slice: (start, stop) => bytes.subarray(Math.max(0, start), Math.min(limit, stop)),
  };
}

/** Reads `[offset, offset + length)` synchronously (a file descriptor, an in-memory array). */
export interface SyncSource {
  readonly size: number;
  readSync(offset: number, length: number): Uint8Array;
}

const CHUNK = 16 * 1024;
const HEX_PIECE = 64 * 1024;
const NOT_HEX = /[^0-9A-Fa-f]+/g;
const latin1 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

/** A window over a source limited to its first `end` bytes, keeping one chunk cached. */
export function sourceWindow(source: SyncSource, end = source.size): ByteWindow {
  const limit = Math.min(end, source.size);
  let buf: Uint8Array = new Uint8Array();
  let bufStart = 0;
  return {
    end: limit,
    at(pos) {
      if (pos < 0 || pos >= limit) return -1;
      if (pos < bufStart || pos >= bufStart + buf.length) {
        bufStart = pos;
        buf = source.readSync(pos, Math.min(CHUNK, limit - pos));
        if (buf.length === 0) return -1;
      }
      return buf[pos - bufStart] as number;
    },
    slice(start, stop) {
      const from = Math.max(0, start);
      const to = Math.min(limit, stop);
      if (to <= from) return new Uint8Array();
      if (from >= bufStart && to <= bufStart + buf.length)
        return buf.subarray(from - bufStart, to - bufStart);
      return source.readSync(from, to - from);
    },
  };
}

export const isWhite = (c: number) =>
  c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
const isDelimiter = (c: number) =>
  c === 0x28 ||
  c === 0x29 ||
  c === 0x3c ||
  c === 0x3e ||
  c === 0x5b ||
  c === 0x5d ||
  c === 0x7b ||
  c === 0x7d ||
  c === 0x2f ||
  c === 0x25;
const isRegular = (c: number) => c >= 0 && !isWhite(c) && !isDelimiter(c);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Where a stream's data lies: absolute offset and length in the file. */
export interface StreamExtent {
  readonly offset: number;
  readonly length: number;
}

export interface IndirectObject {
  readonly objectNumber: number;
  readonly generation: number;
  readonly value: PdfObject;
  /** For a stream: where its (encoded) data is. */
  readonly stream?: StreamExtent;
}

const MAX_DEPTH = 64;

/** Recursive-descent parser over a ByteWindow. */
export class Parser {
  constructor(
    private readonly win: ByteWindow,
    public pos: number,
  ) {}

  private fail(what: string): never {
    throw new PdfStructureError(`${what} at offset ${this.pos}`);
  }

  peek(): number {
    return this.win.at(this.pos);
  }

  skipWhite(): void {
    for (;;) {
      const c = this.win.at(this.pos);
      if (c === 0x25) {
        // Comment up to the end of the line.
        for (
          let d = this.win.at(++this.pos);
          d !== -1 && d !== 0x0a && d !== 0x0d;
          d = this.win.at(++this.pos)
        );
      } else if (isWhite(c)) this.pos++;
      else return;
    }
  }

  /** A run of regular characters (a keyword or a number), without moving past whitespace after it. */
  token(): string {
    this.skipWhite();
    let out = '';
    for (let c = this.win.at(this.pos); isRegular(c); c = this.win.at(++this.pos))
      out += String.fromCharCode(c);
    return out;
  }

  expectKeyword(keyword: string): void {
    const start = this.pos;
    const t = this.token();
    if (t !== keyword) {
      this.pos = start;
      this.fail(`expected ${keyword}, found "${t.slice(0, 20)}"`);
    }
  }

  integer(): number {
    const t = this.token();
    if (!/^[+-]?\d+$/.test(t)) this.fail(`expected an integer, found "${t.slice(0, 20)}"`);
    return Number(t);
  }

  /** `n g obj`, its value, and for a stream where the data lies (`lengthOf` resolves an indirect /Length). */
  indirectObject(lengthOf: (value: PdfObject | undefined) => number | undefined): IndirectObject {
    const objectNumber = this.integer();
    const generation = this.integer();
    this.expectKeyword('obj');
    const value = this.value(0);
    this.skipWhite();
    const save = this.pos;
    if (this.token() !== 'stream' || !(value instanceof PdfDict)) {
      this.pos = save;
      return { objectNumber, generation, value };
    }
    // The keyword is followed by CRLF or LF (a lone CR is tolerated).
    if (this.win.at(this.pos) === 0x0d) this.pos++;
    if (this.win.at(this.pos) === 0x0a) this.pos++;
    const offset = this.pos;
    let length = lengthOf(value.get('Length'));
    if (length === undefined || !this.endstreamAt(offset + length)) length = this.findEndstream(offset);
    const stream = new PdfStream(value);
    return { objectNumber, generation, value: stream, stream: { offset, length } };
  }

  private endstreamAt(pos: number): boolean {
    let p = pos;
    for (let i = 0; i < 4 && isWhite(this.win.at(p)); i++) p++;
    const keyword = 'endstream';
    for (let i = 0; i < keyword.length; i++) if (this.win.at(p + i) !== keyword.charCodeAt(i)) return false;
    return true;
  }

  /** A stream whose /Length is wrong or missing: its data ends before the next `endstream`. */
  private findEndstream(from: number): number {
    const needle = Buffer.from('endstream', 'latin1');
    for (let start = from; start < this.win.end; start += 1024 * 1024 - needle.length) {
      const chunk = Buffer.from(this.win.slice(start, start + 1024 * 1024));
      const at = chunk.indexOf(needle);
      if (at !== -1) {
        let end = start + at;
        if (this.win.at(end - 1) === 0x0a) end--;
        if (this.win.at(end - 1) === 0x0d) end--;
        return end - from;
      }
      if (chunk.length < 1024 * 1024) break;
    }
    return this.fail('stream without endstream');
  }

  value(depth: number): PdfObject {
    if (depth > MAX_DEPTH) this.fail('objects nested too deeply');
    this.skipWhite();
    const c = this.win.at(this.pos);
    if (c === -1) this.fail('unexpected end of data');
    if (c === 0x2f) return this.name();
    if (c === 0x28) return this.literalString();
    if (c === 0x3c) {
      if (this.win.at(this.pos + 1) === 0x3c) return this.dict(depth);
      return this.hexString();
    }
    if (c === 0x5b) {
      this.pos++;
      const items: PdfObject[] = [];
      for (;;) {
        this.skipWhite();
        const d = this.win.at(this.pos);
        if (d === 0x5d) {
          this.pos++;
          return new PdfArray(items);
        }
        if (d === -1) this.fail('unterminated array');
        items.push(this.value(depth + 1));
      }
    }
    if (isDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e) return this.numberOrRef();
    const start = this.pos;
    const t = this.token();
    if (t === 'true') return PdfBool.of(true);
    if (t === 'false') return PdfBool.of(false);
    if (t === 'null') return PdfNull.instance;
    this.pos = start;
    return this.fail(`unexpected "${t.slice(0, 20) || String.fromCharCode(c)}"`);
  }

  private dict(depth: number): PdfDict {
    this.pos += 2;
    const entries: [PdfName, PdfObject][] = [];
    for (;;) {
      this.skipWhite();
      const c = this.win.at(this.pos);
      if (c === 0x3e && this.win.at(this.pos + 1) === 0x3e) {
        this.pos += 2;
        return new PdfDict(entries);
      }
      if (c !== 0x2f) this.fail('expected a name as dictionary key');
      const key = this.name();
      entries.push([key, this.value(depth + 1)]);
    }
  }

  private name(): PdfName {
    this.pos++;
    let out = '';
    for (let c = this.win.at(this.pos); isRegular(c); c = this.win.at(++this.pos)) {
      if (c === 0x23) {
        const hi = hexValue(this.win.at(this.pos + 1));
        const lo = hexValue(this.win.at(this.pos + 2));
        if (hi >= 0 && lo >= 0) {
          out += String.fromCharCode(hi * 16 + lo);
          this.pos += 2;
          continue;
        }
      }
      out += String.fromCharCode(c);
    }
    return PdfName.of(out);
  }

  private numberOrRef(): PdfObject {
    const first = this.token();
    const n = Number(first);
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(first) || Number.isNaN(n)) this.fail(`bad number "${first}"`);
    if (!/^\d+$/.test(first)) return PdfNumber.of(n);
    // "n g R": look ahead for an integer and R.
    const save = this.pos;
    const second = this.token();
    if (/^\d+$/.test(second)) {
      const third = this.token();
      if (third === 'R') return PdfRef.of(n, Number(second));
    }
    this.pos = save;
    return PdfNumber.of(n);
  }

  private literalString(): PdfString {
    this.pos++;
    const out: number[] = [];
    let depth = 1;
    for (;;) {
      const c = this.win.at(this.pos++);
      if (c === -1) this.fail('unterminated string');
      if (c === 0x5c) {
        const e = this.win.at(this.pos++);
        if (e === 0x6e) out.push(0x0a);
        else if (e === 0x72) out.push(0x0d);
        else if (e === 0x74) out.push(0x09);
        else if (e === 0x62) out.push(0x08);
        else if (e === 0x66) out.push(0x0c);
        else if (e >= 0x30 && e <= 0x37) {
          let v = e - 0x30;
          for (let i = 0; i < 2; i++) {
            const d = this.win.at(this.pos);
            if (d < 0x30 || d > 0x37) break;
            v = v * 8 + (d - 0x30);
            this.pos++;
          }
          out.push(v & 0xff);
        } else if (e === 0x0d) {
          if (this.win.at(this.pos) === 0x0a) this.pos++;
        } else if (e === 0x0a) {
          // Line continuation.
        } else if (e !== -1) out.push(e);
      } else if (c === 0x28) {
        depth++;
        out.push(c);
      } else if (c === 0x29) {
        if (--depth === 0) return new PdfString(new Uint8Array(out), 'literal');
        out.push(c);
      } else if (c === 0x0d) {
        // An unescaped end of line is a line feed, whatever its bytes (§7.3.4.2).
        if (this.win.at(this.pos) === 0x0a) this.pos++;
        out.push(0x0a);
      } else out.push(c);
    }
  }

  private hexString(): PdfString {
    this.pos++;
    // Read in pieces and decoded natively, not byte by byte: a signature's /Contents is tens of kilobytes of
    // hex, and a byte loop is slow before the JIT has compiled it (a CLI run, a Lambda's first request).
    const parts: string[] = [];
    for (let at = this.pos; ; ) {
      const piece = this.win.slice(at, at + HEX_PIECE);
      if (piece.length === 0) {
        this.pos = at + 1;
        this.fail('unterminated hex string');
      }
      const close = piece.indexOf(0x3e);
      parts.push(latin1(close < 0 ? piece : piece.subarray(0, close)));
      if (close >= 0) {
        this.pos = at + close + 1;
        break;
      }
      at += piece.length;
    }
    // Anything but a hex digit is skipped like whitespace, as libpdf does: a flipped byte in a signature's
    // /Contents is then that signature's problem (its value and the byte-range gap check fail), not an
    // unreadable file. A last odd digit counts as followed by 0 (ISO 32000-1 §7.3.4.3).
    const digits = parts.join('').replace(NOT_HEX, '');
    return new PdfString(
      new Uint8Array(Buffer.from(digits.length % 2 === 0 ? digits : `${digits}0`, 'hex')),
      'hex',
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// Writing

const NAME_PLAIN = /^[!-~]$/;

function nameText(value: string): string {
  let out = '/';
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    if (code > 0xff) {
      for (const b of Buffer.from(ch, 'utf8')) out += `#${b.toString(16).padStart(2, '0')}`;
    } else if (!NAME_PLAIN.test(ch) || isDelimiter(code) || ch === '#') {
      out += `#${code.toString(16).padStart(2, '0')}`;
    } else out += ch;
  }
  return out;
}

/** A number as PDF writes it: no exponent, at most 6 decimals (e.g. 1e-7 → 0). */
export function numberText(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const text = String(value);
  if (!/e/i.test(text)) return text;
  return value.toFixed(6).replace(/0+$/, '').replace(/\.$/, '').replace(/^-0$/, '0');
}

/** PDF syntax for an object (not a stream: streams are written with `streamBytes`). */
export function objectText(obj: PdfObject): string {
  if (obj instanceof PdfNull) return 'null';
  if (obj instanceof PdfBool) return obj.value ? 'true' : 'false';
  if (obj instanceof PdfNumber) return numberText(obj.value);
  if (obj instanceof PdfName) return nameText(obj.value);
  if (obj instanceof PdfString) return `<${Buffer.from(obj.bytes).toString('hex').toUpperCase()}>`;
  if (obj instanceof PdfRef) return `${obj.objectNumber} ${obj.generation} R`;
  if (obj instanceof PdfArray) return `[${obj.toArray().map(objectText).join(' ')}]`;
  if (obj instanceof PdfStream) throw new Error('a stream cannot be written inline');
  if (obj instanceof PdfDict) {
    const parts: string[] = [];
    for (const [key, value] of obj) parts.push(`${nameText(key.value)} ${objectText(value)}`);
    return `<<${parts.join(' ')}>>`;
  }
  throw new Error('unknown PDF object');
}

/** `n g obj … endobj` for a dictionary, array or other direct value; streams carry their data. */
export function indirectObjectBytes(ref: PdfRef, obj: PdfObject, streamData?: Uint8Array): Buffer {
  const head = `${ref.objectNumber} ${ref.generation} obj\n`;
  if (obj instanceof PdfStream || streamData) {
    const data = streamData ?? (obj as PdfStream).data;
    const dict = new PdfDict([...(obj as PdfDict)].filter(([k]) => k.value !== 'Length'));
    dict.set('Length', PdfNumber.of(data.length));
    return Buffer.concat([
      Buffer.from(`${head}${objectText(dict)}\nstream\n`, 'latin1'),
      data,
      Buffer.from('\nendstream\nendobj\n', 'latin1'),
    ]);
  }
  return Buffer.from(`${head}${objectText(obj)}\nendobj\n`, 'latin1');
}

import { createHash } from 'node:crypto';
import {
  PdfArray,
  PdfDict,
  PdfName,
  PdfNumber,
  type PdfObject,
  PdfRef,
  PdfStream,
  PdfString,
} from '@libpdf/core';
import type { RandomAccessSource } from '../io/source';
import {
  type ByteWindow,
  bytesWindow,
  type IndirectObject,
  Parser,
  PdfStructureError,
  type StreamExtent,
  type SyncSource,
  sourceWindow,
} from './objects';

/*
 * A lazy PDF reader for the streamed paths: it reads the trailer and cross-reference sections (tables,
 * streams, hybrid files, object streams) and then only the objects asked for, by offset. A whole 64 MB
 * file costs a few small reads; memory grows with the number of objects, not with the bytes.
 * Anything unexpected throws PdfStructureError: callers fall back to @libpdf/core's full parser where
 * they have it (the verifier: verify-whole-file.ts, passed in) or refuse the file as `pdf_damaged`.
 */

export type XrefEntry =
  | { readonly type: 'free' }
  | { readonly type: 'offset'; readonly offset: number; readonly generation: number }
  | { readonly type: 'compressed'; readonly stream: number; readonly index: number };

interface XrefSection {
  readonly offset: number;
  readonly kind: 'table' | 'stream';
  readonly trailer: PdfDict;
  readonly entries: ReadonlyMap<number, XrefEntry>;
}

/** The last `startxref` value before `end` (searched in the final 2 KiB). */
export function startxrefBefore(win: ByteWindow, end: number): number {
  const from = Math.max(0, end - 2048);
  const tail = Buffer.from(win.slice(from, end)).toString('latin1');
  const at = tail.lastIndexOf('startxref');
  if (at === -1) throw new PdfStructureError('no startxref');
  const m = /^startxref\s+(\d+)/.exec(tail.slice(at));
  if (!m) throw new PdfStructureError('startxref without an offset');
  return Number(m[1]);
}

function intOf(value: PdfObject | undefined): number | undefined {
  return value instanceof PdfNumber && Number.isInteger(value.value) ? value.value : undefined;
}

const MAX_SECTIONS = 10_000;

/**
 * The file's bytes and what was parsed from them, shared by every revision view of the same file (an
 * object at a given offset is the same bytes whichever revision reads it).
 */
export class PdfFile {
  private readonly sections = new Map<number, XrefSection>();
  private readonly objects = new Map<number, IndirectObject>();
  private readonly objectStreams = new Map<number, { data: Uint8Array; offsets: Map<number, number> }>();
  private readonly window: ByteWindow;

  constructor(
    readonly source: SyncSource,
    bytes?: Uint8Array,
  ) {
    this.window = bytes ? bytesWindow(bytes) : sourceWindow(source);
  }

  static fromBytes(bytes: Uint8Array): PdfFile {
    return new PdfFile(
      { size: bytes.length, readSync: (offset, length) => bytes.subarray(offset, offset + length) },
      bytes,
    );
  }

  /** A file read lazily through the source's synchronous reads (a file on disk). */
  static fromSource(source: RandomAccessSource): PdfFile {
    const readSync = source.readSync;
    if (!readSync) throw new PdfStructureError('the source cannot be read lazily');
    return new PdfFile({ size: source.size, readSync: (offset, length) => readSync(offset, length) });
  }

  get size(): number {
    return this.source.size;
  }

  /** A view limited to the first `end` bytes. */
  windowTo(end: number): ByteWindow {
    if (end >= this.size) return this.window;
    const base = this.window;
    return {
      end,
      at: (pos) => (pos < end ? base.at(pos) : -1),
      slice: (start, stop) => base.slice(start, Math.min(stop, end)),
    };
  }

  section(offset: number, view: Revision): XrefSection {
    const cached = this.sections.get(offset);
    if (cached) return cached;
    const win = this.windowTo(view.end);
    const parser = new Parser(win, offset);
    parser.skipWhite();
    const start = parser.pos;
    const section =
      parser.token() === 'xref' ? this.table(parser, offset) : this.xrefStream(new Parser(win, start), view);
    this.sections.set(offset, section);
    return section;
  }

  private table(parser: Parser, offset: number): XrefSection {
    const entries = new Map<number, XrefEntry>();
    for (;;) {
      parser.skipWhite();
      const save = parser.pos;
      const word = parser.token();
      if (word === 'trailer') break;
      parser.pos = save;
      const first = parser.integer();
      const count = parser.integer();
      if (count < 0 || count > 10_000_000) throw new PdfStructureError('bad xref subsection');
      for (let i = 0; i < count; i++) {
        const field1 = parser.integer();
        const generation = parser.integer();
        const type = parser.token();
        const n = first + i;
        if (entries.has(n)) continue;
        if (type === 'n') entries.set(n, { type: 'offset', offset: field1, generation });
        else if (type === 'f') entries.set(n, { type: 'free' });
        else throw new PdfStructureError(`bad xref entry type "${type}"`);
      }
    }
    const trailer = parser.value(0);
    if (!(trailer instanceof PdfDict)) throw new PdfStructureError('trailer is not a dictionary');
    return { offset, kind: 'table', trailer, entries };
  }

  private xrefStream(parser: Parser, view: Revision): XrefSection {
    const offset = parser.pos;
    const object = parser.indirectObject((v) => view.lengthOf(v));
    const stream = object.value;
    if (!(stream instanceof PdfStream) || stream.getName('Type')?.value !== 'XRef' || !object.stream) {
      throw new PdfStructureError('startxref points at neither an xref table nor an xref stream');
    }
    this.objects.set(offset, object);
    const data = this.decode(stream, object.stream, view.end);
    const w = (stream.getArray('W')?.toArray() ?? []).map((v) => intOf(v) ?? -1);
    const [w1 = -1, w2 = -1, w3 = -1] = w;
    if (w.length < 3 || w1 < 0 || w2 < 0 || w3 < 0 || w1 + w2 + w3 === 0) {
      throw new PdfStructureError('bad /W in xref stream');
    }
    const size = intOf(stream.get('Size')) ?? 0;
    const index = (stream.getArray('Index')?.toArray() ?? [PdfNumber.of(0), PdfNumber.of(size)]).map(
      (v) => intOf(v) ?? -1,
    );
    const entries = new Map<number, XrefEntry>();
    const width = w1 + w2 + w3;
    const field = (pos: number, len: number, fallback: number) => {
      if (len === 0) return fallback;
      let v = 0;
      for (let i = 0; i < len; i++) v = v * 256 + (data[pos + i] ?? 0);
      return v;
    };
    let pos = 0;
    for (let k = 0; k + 1 < index.length; k += 2) {
      const first = index[k] ?? -1;
      const count = index[k + 1] ?? -1;
      if (first < 0 || count < 0) throw new PdfStructureError('bad /Index in xref stream');
      for (let i = 0; i < count; i++, pos += width) {
        if (pos + width > data.length) throw new PdfStructureError('xref stream shorter than its /Index');
        const type = field(pos, w1, 1);
        const f2 = field(pos + w1, w2, 0);
        const f3 = field(pos + w1 + w2, w3, 0);
        const n = first + i;
        if (entries.has(n)) continue;
        if (type === 0) entries.set(n, { type: 'free' });
        else if (type === 1) entries.set(n, { type: 'offset', offset: f2, generation: f3 });
        else if (type === 2) entries.set(n, { type: 'compressed', stream: f2, index: f3 });
        // Other types are reserved: treated as null objects.
      }
    }
    return { offset, kind: 'stream', trailer: stream, entries };
  }

  /** Raw (encoded) bytes of a stream. */
  raw(extent: StreamExtent, end: number): Uint8Array {
    if (extent.offset + extent.length > end) throw new PdfStructureError('stream data beyond the end');
    return this.windowTo(end).slice(extent.offset, extent.offset + extent.length);
  }

  decode(stream: PdfStream, extent: StreamExtent, end: number): Uint8Array {
    try {
      return new PdfStream(stream, new Uint8Array(this.raw(extent, end))).getDecodedData();
    } catch (error) {
      if (error instanceof PdfStructureError) throw error;
      throw new PdfStructureError(`stream cannot be decoded: ${String(error)}`);
    }
  }

  objectAt(offset: number, view: Revision, expected: number): IndirectObject {
    const cached = this.objects.get(offset);
    if (cached && cached.objectNumber === expected) return cached;
    const parser = new Parser(this.windowTo(view.end), offset);
    const object = parser.indirectObject((v) => view.lengthOf(v));
    if (object.objectNumber !== expected) {
      throw new PdfStructureError(`object ${expected} expected at ${offset}, found ${object.objectNumber}`);
    }
    this.objects.set(offset, object);
    return object;
  }

  objectInStream(streamNumber: number, index: number, n: number, view: Revision): PdfObject {
    let parsed = this.objectStreams.get(streamNumber);
    if (!parsed) {
      const entry = view.entry(streamNumber);
      if (entry?.type !== 'offset') throw new PdfStructureError(`object stream ${streamNumber} not found`);
      const object = this.objectAt(entry.offset, view, streamNumber);
      const stream = object.value;
      if (!(stream instanceof PdfStream) || !object.stream || stream.getName('Type')?.value !== 'ObjStm') {
        throw new PdfStructureError(`object ${streamNumber} is not an object stream`);
      }
      const data = this.decode(stream, object.stream, view.end);
      const count = intOf(stream.get('N')) ?? 0;
      const first = intOf(stream.get('First')) ?? 0;
      const header = new Parser(bytesWindow(data), 0);
      const offsets = new Map<number, number>();
      for (let i = 0; i < count; i++) {
        const num = header.integer();
        const off = header.integer();
        if (!offsets.has(num)) offsets.set(num, first + off);
      }
      parsed = { data, offsets };
      // A handful of object streams at most are live at once; keep memory bounded.
      if (this.objectStreams.size > 16) this.objectStreams.clear();
      this.objectStreams.set(streamNumber, parsed);
    }
    const at = parsed.offsets.get(n);
    if (at === undefined) throw new PdfStructureError(`object ${n} not in object stream ${streamNumber}`);
    void index;
    return new Parser(bytesWindow(parsed.data), at).value(0);
  }

  /** SHA-256 of a stream's raw data, read in 1 MiB pieces. */
  digest(extent: StreamExtent, end: number): string {
    if (extent.offset + extent.length > end) throw new PdfStructureError('stream data beyond the end');
    const hash = createHash('sha256');
    const win = this.windowTo(end);
    for (let done = 0; done < extent.length; ) {
      const piece = win.slice(
        extent.offset + done,
        extent.offset + Math.min(extent.length, done + 1024 * 1024),
      );
      if (piece.length === 0) throw new PdfStructureError('stream data unreadable');
      hash.update(piece);
      done += piece.length;
    }
    return hash.digest('hex');
  }
}

/**
 * The document as of its first `end` bytes (a revision): the xref chain from that revision's startxref,
 * its trailer, and lazy object resolution.
 */
export class Revision {
  private readonly map = new Map<number, XrefEntry>();
  private readonly resolved = new Map<number, PdfObject | undefined>();
  private readonly extents = new WeakMap<PdfStream, StreamExtent>();
  readonly trailer: PdfDict;
  readonly startxref: number;
  /** Kind of the newest section: an update to a file should keep using the same kind. */
  readonly lastSectionKind: 'table' | 'stream';
  /** Offsets of the xref sections of this revision, newest first. */
  readonly sectionOffsets: readonly number[];

  private constructor(
    readonly file: PdfFile,
    readonly end: number,
  ) {
    this.startxref = startxrefBefore(file.windowTo(end), end);
    const offsets: number[] = [];
    let trailer: PdfDict | undefined;
    let kind: 'table' | 'stream' | undefined;
    const seen = new Set<number>();
    const queue: number[] = [this.startxref];
    while (queue.length > 0) {
      const offset = queue.shift() as number;
      if (seen.has(offset)) continue;
      if (seen.size > MAX_SECTIONS) throw new PdfStructureError('too many xref sections');
      if (offset <= 0 || offset >= end) throw new PdfStructureError(`xref offset ${offset} out of range`);
      seen.add(offset);
      const section = file.section(offset, this);
      offsets.push(offset);
      trailer ??= section.trailer;
      kind ??= section.kind;
      // Hybrid file: the table's entries come first, then the hidden ones of its XRefStm, then Prev.
      for (const [n, e] of section.entries) {
        if (
          !this.map.has(n) &&
          !(e.type === 'free' && section.kind === 'table' && section.trailer.has('XRefStm'))
        ) {
          this.map.set(n, e);
        }
      }
      const xrefStm = intOf(section.trailer.get('XRefStm'));
      if (section.kind === 'table' && xrefStm !== undefined) {
        const hidden = file.section(xrefStm, this);
        seen.add(xrefStm);
        for (const [n, e] of hidden.entries) if (!this.map.has(n)) this.map.set(n, e);
      }
      const prev = intOf(section.trailer.get('Prev'));
      if (prev !== undefined) queue.push(prev);
    }
    if (!trailer || !kind) throw new PdfStructureError('no trailer');
    this.trailer = trailer;
    this.lastSectionKind = kind;
    this.sectionOffsets = offsets;
  }

  static open(file: PdfFile, end = file.size): Revision {
    return new Revision(file, end);
  }

  entry(n: number): XrefEntry | undefined {
    return this.map.get(n);
  }

  get objectNumbers(): Iterable<number> {
    return this.map.keys();
  }

  /** One more than the highest object number in use (the trailer's /Size when it is right). */
  get size(): number {
    let max = intOf(this.trailer.get('Size')) ?? 0;
    for (const n of this.map.keys()) if (n + 1 > max) max = n + 1;
    return max;
  }

  /** Whether object `n` is the same object (same bytes) in both revisions of the same file. */
  sameEntry(other: Revision, n: number): boolean {
    const a = this.map.get(n);
    const b = other.map.get(n);
    if (a === undefined || b === undefined) return a === b;
    if (a.type === 'free' || b.type === 'free') return a.type === b.type;
    if (a.type === 'offset' && b.type === 'offset')
      return a.offset === b.offset && a.generation === b.generation;
    if (a.type === 'compressed' && b.type === 'compressed') {
      return a.stream === b.stream && a.index === b.index && this.sameEntry(other, a.stream);
    }
    return false;
  }

  /** The object numbered `n` (any generation), undefined when absent or free. */
  object(n: number): PdfObject | undefined {
    if (this.resolved.has(n)) return this.resolved.get(n);
    this.resolved.set(n, undefined); // Guards against reference cycles through /Length.
    const entry = this.map.get(n);
    let value: PdfObject | undefined;
    if (entry?.type === 'offset') {
      const object = this.file.objectAt(entry.offset, this, n);
      value = object.value;
      if (object.stream && value instanceof PdfStream) {
        // One PdfStream per revision, so the extent can differ if /Length was redefined.
        const stream = new PdfStream(value);
        this.extents.set(stream, object.stream);
        value = stream;
      }
    } else if (entry?.type === 'compressed') {
      value = this.file.objectInStream(entry.stream, entry.index, n, this);
    }
    this.resolved.set(n, value);
    return value;
  }

  resolve(obj: PdfObject | undefined): PdfObject | undefined {
    return obj instanceof PdfRef ? this.object(obj.objectNumber) : obj;
  }

  dict(obj: PdfObject | undefined): PdfDict | undefined {
    const v = this.resolve(obj);
    return v instanceof PdfDict ? v : undefined;
  }

  array(obj: PdfObject | undefined): PdfArray | undefined {
    const v = this.resolve(obj);
    return v instanceof PdfArray ? v : undefined;
  }

  lengthOf(value: PdfObject | undefined): number | undefined {
    if (value instanceof PdfNumber) return value.value;
    if (value instanceof PdfRef) {
      const entry = this.map.get(value.objectNumber);
      if (!entry) return undefined;
      const resolved = this.object(value.objectNumber);
      return resolved instanceof PdfNumber ? resolved.value : undefined;
    }
    return undefined;
  }

  catalog(): PdfDict {
    const root = this.dict(this.trailer.get('Root'));
    if (!root) throw new PdfStructureError('no document catalog');
    return root;
  }

  /** Decoded data of a stream read through this revision. */
  decoded(stream: PdfStream): Uint8Array {
    const extent = this.extents.get(stream);
    if (!extent) return stream.getDecodedData();
    return this.file.decode(stream, extent, this.end);
  }

  /** A stream's raw (still encoded) data, as in the file. */
  raw(stream: PdfStream): Uint8Array {
    const extent = this.extents.get(stream);
    return extent ? this.file.raw(extent, this.end) : stream.data;
  }

  /** SHA-256 (hex) of a stream's raw data, streamed. */
  streamDigest(stream: PdfStream): string {
    const extent = this.extents.get(stream);
    if (!extent) return createHash('sha256').update(stream.data).digest('hex');
    return this.file.digest(extent, this.end);
  }
}

export interface FormField {
  /** Fully qualified name (partial names joined with "."). */
  readonly name: string;
  readonly dict: PdfDict;
  readonly ref: PdfRef | undefined;
}

/**
 * The form's terminal fields in libpdf's order and naming (depth first through /Kids; a field is terminal
 * when it has no kids or its kids are widgets without /T).
 */
export function terminalFields(rev: Revision, catalog: PdfDict): FormField[] {
  const fields = rev.array(rev.dict(catalog.get('AcroForm'))?.get('Fields'));
  if (!fields) return [];
  const out: FormField[] = [];
  const visited = new Set<string>();
  const isTerminal = (dict: PdfDict): boolean => {
    const kids = rev.array(dict.get('Kids'));
    if (!kids || kids.length === 0) return true;
    const first = rev.resolve(kids.at(0));
    return !(first instanceof PdfDict) || !first.has('T');
  };
  const collect = (kids: PdfArray, parentName: string, depth: number) => {
    if (depth > 32) throw new PdfStructureError('form field tree too deep');
    for (const item of kids.toArray()) {
      if (item instanceof PdfRef) {
        const key = `${item.objectNumber} ${item.generation}`;
        if (visited.has(key)) continue;
        visited.add(key);
      }
      const dict = rev.dict(item);
      if (!dict) continue;
      const t = dict.get('T');
      const partial = t instanceof PdfString ? t.asString() : '';
      const name = parentName ? (partial ? `${parentName}.${partial}` : parentName) : partial;
      if (isTerminal(dict)) out.push({ name, dict, ref: item instanceof PdfRef ? item : undefined });
      else {
        const childKids = rev.array(dict.get('Kids'));
        if (childKids) collect(childKids, name, depth + 1);
      }
    }
  };
  collect(fields, '', 0);
  return out;
}

/** A field's type (/FT), inherited through /Parent. */
export function fieldType(rev: Revision, dict: PdfDict): string | undefined {
  const seen = new Set<PdfDict>();
  for (let current: PdfDict | undefined = dict; current && !seen.has(current); ) {
    seen.add(current);
    const ft = rev.resolve(current.get('FT'));
    if (ft instanceof PdfName) return ft.value;
    current = rev.dict(current.get('Parent'));
  }
  return undefined;
}

/** Page `index` (0-based) by walking the page tree with /Count, and its inherited /MediaBox. */
export function pageAt(
  rev: Revision,
  catalog: PdfDict,
  index: number,
): { ref: PdfRef; dict: PdfDict; mediaBox: number[] | undefined; rotate: number } | undefined {
  let node = rev.dict(catalog.get('Pages'));
  let remaining = index;
  const seen = new Set<PdfDict>();
  while (node && !seen.has(node)) {
    seen.add(node);
    let next: PdfDict | undefined;
    for (const kid of rev.array(node.get('Kids'))?.toArray() ?? []) {
      const dict = rev.dict(kid);
      if (!dict) continue;
      const isPage = dict.getName('Type')?.value === 'Page' || !dict.has('Kids');
      if (isPage) {
        if (remaining === 0) {
          if (!(kid instanceof PdfRef)) throw new PdfStructureError('a page that is not an indirect object');
          return { ref: kid, dict, mediaBox: inheritedBox(rev, dict), rotate: inheritedRotate(rev, dict) };
        }
        remaining--;
        continue;
      }
      const count = rev.resolve(dict.get('Count'));
      const n = count instanceof PdfNumber ? count.value : 0;
      if (remaining < n) {
        next = dict;
        break;
      }
      remaining -= n;
    }
    node = next;
  }
  return undefined;
}

/** The page's /Rotate, inherited, as 0, 90, 180 or 270 (ISO 32000-1 §7.7.3.3). */
function inheritedRotate(rev: Revision, page: PdfDict): number {
  const seen = new Set<PdfDict>();
  for (let node: PdfDict | undefined = page; node && !seen.has(node); node = rev.dict(node.get('Parent'))) {
    seen.add(node);
    const value = rev.resolve(node.get('Rotate'));
    if (value instanceof PdfNumber) {
      const turn = (((Math.round(value.value / 90) * 90) % 360) + 360) % 360;
      return turn;
    }
  }
  return 0;
}

function inheritedBox(rev: Revision, page: PdfDict): number[] | undefined {
  const seen = new Set<PdfDict>();
  for (let node: PdfDict | undefined = page; node && !seen.has(node); node = rev.dict(node.get('Parent'))) {
    seen.add(node);
    const box = rev.array(node.get('MediaBox'));
    if (box)
      return box
        .toArray()
        .map((v) => (rev.resolve(v) instanceof PdfNumber ? (rev.resolve(v) as PdfNumber).value : 0));
  }
  return undefined;
}

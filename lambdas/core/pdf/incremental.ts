import { createHash, type Hash } from 'node:crypto';
import { PdfArray, PdfDict, PdfName, PdfNumber, type PdfObject, PdfRef, PdfString } from '@libpdf/core';
import { DomainError } from '../errors';
import { type RandomAccessSource, sequentialChunks } from '../io/source';
import { type NewObject, ObjectAllocator } from './new-objects';
import { indirectObjectBytes, objectText, PdfStructureError } from './objects';
import { type PdfFile, pageAt, Revision, terminalFields } from './reader';

/*
 * Signing without loading the file: the signature is written as an incremental update built from the
 * trailer, the xref chain and the few objects that change (the catalog or its form, the form's /Fields,
 * the page or its /Annots). The original bytes are then copied through unchanged while being hashed, the
 * update is hashed after them, and only the update is held in memory. Used for large files (see
 * `signPdf`'s `writer`); anything the lazy reader cannot follow throws PdfStructureError.
 */

const BYTE_RANGE_PLACEHOLDER = '9999999999';

/** The page's box in user space: lower-left corner and size (from its inherited /MediaBox). */
export interface PageBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** The page's /Rotate: appearances are turned against it to read upright. */
  readonly rotate?: number;
}

/** A visible signature: the widget's normal appearance (an object of the update) and its /Rect on the page. */
export interface WidgetAppearance {
  readonly ref: PdfRef;
  readonly rect: readonly [number, number, number, number];
}

export interface StreamedSlot {
  readonly fieldName: string;
  /** Entries of the signature dictionary besides ByteRange and Contents. */
  readonly entries: Record<string, PdfObject>;
  /** Page of the widget. */
  readonly pageIndex: number;
  /**
   * Draws the appearance, as new objects numbered by `objects`, once the page's box is known; absent: an
   * invisible signature.
   */
  readonly appearance?: (box: PageBox, objects: ObjectAllocator) => Promise<WidgetAppearance>;
  /**
   * More widgets of the same signature field (e.g. the issuing number and date on a draft that arrived
   * signed): a new signature field's widgets are what an earlier signature permits, where new text fields
   * are not. With any, the field keeps its widgets as /Kids instead of being merged with one.
   */
  readonly extraWidgets?: readonly {
    readonly pageIndex: number;
    readonly appearance: (box: PageBox, objects: ObjectAllocator) => Promise<WidgetAppearance>;
  }[];
}

interface PlannedUpdate {
  /** The update with ByteRange and Contents placeholders. */
  readonly bytes: Buffer;
  /** Offsets in `bytes`. */
  readonly contentsStart: number;
  readonly contentsEnd: number;
  readonly byteRangeStart: number;
  readonly byteRangeEnd: number;
}

/** What the update must write, worked out once from the original's structure. */
export interface UpdatePlan {
  readonly originalSize: number;
  /** Builds the update with a /Contents placeholder of `contentsBytes` bytes. */
  build(contentsBytes: number): PlannedUpdate;
}

function withItem(array: PdfArray | undefined, item: PdfObject): PdfArray {
  return new PdfArray([...(array?.toArray() ?? []), item]);
}

function clone(dict: PdfDict): PdfDict {
  return new PdfDict([...dict]);
}

export type { NewObject } from './new-objects';

/** Reads what the update needs from the original and returns a builder for the update's bytes. */
export async function planSignatureUpdate(file: PdfFile, slot: StreamedSlot): Promise<UpdatePlan> {
  const rev = Revision.open(file);
  if (rev.trailer.has('Encrypt')) throw new DomainError('pdf_encrypted', 422);
  const catalogRef = rev.trailer.get('Root');
  if (!(catalogRef instanceof PdfRef)) throw new PdfStructureError('no catalog reference');
  const catalog = rev.catalog();
  const count = rev.resolve(rev.dict(catalog.get('Pages'))?.get('Count'));
  if (!(count instanceof PdfNumber) || count.value <= 0) throw new PdfStructureError('no page count');
  const page = pageAt(rev, catalog, slot.pageIndex);
  if (!page) throw new DomainError('pdf_page_not_found', 422, { page: slot.pageIndex + 1 });

  const names = new Set(terminalFields(rev, catalog).map((f) => f.name));
  let fieldName = slot.fieldName;
  for (let i = 2; names.has(fieldName); i++) fieldName = `${slot.fieldName}-${i}`;

  let next = rev.size;
  const sigRef = PdfRef.of(next++, 0);
  const fieldRef = PdfRef.of(next++, 0);
  const changed = new Map<number, NewObject>();
  const put = (ref: PdfRef, value: PdfObject, data?: Uint8Array) =>
    changed.set(ref.objectNumber, { ref, value, ...(data ? { data } : {}) });

  // The form: append the field to /Fields, signatures exist and the file is append-only (SigFlags 3).
  const acroRaw = catalog.get('AcroForm');
  const acroForm = rev.dict(acroRaw);
  if (!acroForm) {
    const formRef = PdfRef.of(next++, 0);
    put(formRef, PdfDict.of({ Fields: new PdfArray([fieldRef]), SigFlags: PdfNumber.of(3) }));
    const newCatalog = clone(catalog);
    newCatalog.set('AcroForm', formRef);
    put(catalogRef, newCatalog);
  } else {
    const form = clone(acroForm);
    const fieldsRaw = acroForm.get('Fields');
    const fields = rev.array(fieldsRaw);
    let formChanged = false;
    if (fieldsRaw instanceof PdfRef && fields) put(fieldsRaw, withItem(fields, fieldRef));
    else {
      form.set('Fields', withItem(fields, fieldRef));
      formChanged = true;
    }
    const flags = rev.resolve(acroForm.get('SigFlags'));
    if (!(flags instanceof PdfNumber) || flags.value !== 3) {
      form.set('SigFlags', PdfNumber.of(3));
      formChanged = true;
    }
    if (formChanged) {
      if (acroRaw instanceof PdfRef) put(acroRaw, form);
      else {
        const newCatalog = clone(catalog);
        newCatalog.set('AcroForm', form);
        put(catalogRef, newCatalog);
      }
    }
  }

  const extra = slot.extraWidgets ?? [];
  const widgetPages: { pageIndex: number; page: NonNullable<ReturnType<typeof pageAt>> }[] = [
    { pageIndex: slot.pageIndex, page },
  ];
  for (const w of extra) {
    const p = pageAt(rev, catalog, w.pageIndex);
    if (!p) throw new DomainError('pdf_page_not_found', 422, { page: w.pageIndex + 1 });
    widgetPages.push({ pageIndex: w.pageIndex, page: p });
  }
  const widgetRefs = extra.length ? widgetPages.map(() => PdfRef.of(next++, 0)) : [fieldRef];

  // The pages: each widget goes into its page's /Annots (a page edited once, whatever its widgets).
  const pagesEdited = new Map<
    number,
    { ref: PdfRef; annotsRaw: PdfObject | undefined; items: PdfArray; dict: PdfDict }
  >();
  widgetPages.forEach(({ page: p }, i) => {
    const ref = widgetRefs[i] as PdfRef;
    const edited = pagesEdited.get(p.ref.objectNumber);
    if (edited) {
      edited.items = withItem(edited.items, ref);
      return;
    }
    const annotsRaw = p.dict.get('Annots');
    pagesEdited.set(p.ref.objectNumber, {
      ref: p.ref,
      annotsRaw,
      items: withItem(rev.array(annotsRaw), ref),
      dict: p.dict,
    });
  });
  for (const { ref, annotsRaw, items, dict } of pagesEdited.values()) {
    if (annotsRaw instanceof PdfRef && rev.array(annotsRaw)) put(annotsRaw, items);
    else {
      const newPage = clone(dict);
      newPage.set('Annots', items);
      put(ref, newPage);
    }
  }

  const box = (p: { mediaBox?: readonly number[] | undefined; rotate?: number }) => {
    const [x1 = 0, y1 = 0, x2 = 612, y2 = 792] = p.mediaBox ?? [];
    return {
      x: Math.min(x1, x2),
      y: Math.min(y1, y2),
      width: Math.abs(x2 - x1),
      height: Math.abs(y2 - y1),
      rotate: p.rotate ?? 0,
    };
  };
  const draw = async (
    appearance: ((box: PageBox, objects: ObjectAllocator) => Promise<WidgetAppearance>) | undefined,
    p: { mediaBox?: readonly number[] | undefined; rotate?: number },
  ) => {
    if (!appearance) return undefined;
    const objects = new ObjectAllocator(next);
    const made = await appearance(box(p), objects);
    next = objects.next;
    for (const o of objects.objects()) put(o.ref, o.value, o.data);
    return made;
  };
  // A widget, Print + Locked (as the libpdf path writes it).
  const widget = (into: PdfDict, made: WidgetAppearance | undefined, pageRef: PdfRef) => {
    if (made) into.set('AP', PdfDict.of({ N: made.ref }));
    into.set('Type', PdfName.of('Annot'));
    into.set('Subtype', PdfName.of('Widget'));
    into.set('F', PdfNumber.of(132));
    into.set('P', pageRef);
    into.set('Rect', new PdfArray((made?.rect ?? [0, 0, 0, 0]).map((v) => PdfNumber.of(v))));
  };

  const field = PdfDict.of({
    FT: PdfName.of('Sig'),
    T: PdfString.fromString(fieldName),
    V: sigRef,
  });
  const appearances = [slot.appearance, ...extra.map((w) => w.appearance)];
  if (!extra.length) {
    // One widget merged into the field.
    widget(field, await draw(slot.appearance, page), page.ref);
  } else {
    field.set('Kids', new PdfArray(widgetRefs));
    for (const [i, { page: p }] of widgetPages.entries()) {
      // No /Parent (ISO 32000-1 Table 188 asks for it): poppler before 23 reads a kid with /Parent as a
      // field of its own, unsigned, and then does not see the signature at all. Readers find the widgets
      // through the field's /Kids; docflow's change check does (changes.ts).
      const kid = new PdfDict();
      widget(kid, await draw(appearances[i], p), p.ref);
      put(widgetRefs[i] as PdfRef, kid);
    }
  }
  put(fieldRef, field);

  return {
    originalSize: file.size,
    build(contentsBytes) {
      const sigEntries = Object.entries(slot.entries)
        .map(([k, v]) => `/${k} ${objectText(v)}`)
        .join(' ');
      const byteRangeText = `[0 ${BYTE_RANGE_PLACEHOLDER} ${BYTE_RANGE_PLACEHOLDER} ${BYTE_RANGE_PLACEHOLDER}]`;
      const sigHead = `${sigRef.objectNumber} 0 obj\n<<${sigEntries} /ByteRange `;
      const contentsHead = `${byteRangeText} /Contents `;
      const sigText = `${sigHead}${contentsHead}<${'0'.repeat(contentsBytes * 2)}>>>\nendobj\n`;
      const update = serializeUpdate(rev, catalogRef, next, [
        { ref: sigRef, bytes: Buffer.from(sigText, 'latin1') },
        ...sortedBytes(changed),
      ]);
      const byteRangeStart = (update.starts[0] ?? 0) + sigHead.length;
      const contentsStart = byteRangeStart + contentsHead.length;
      return {
        bytes: update.bytes,
        contentsStart,
        contentsEnd: contentsStart + contentsBytes * 2 + 2,
        byteRangeStart,
        byteRangeEnd: byteRangeStart + byteRangeText.length,
      };
    },
  };
}

/**
 * An incremental update writing `objects` (numbered by the caller from `next` on) to the revision: the
 * generic form of what the signature writer does, for updates without a signature (e.g. a DSS).
 */
export function objectsUpdate(
  rev: Revision,
  next: number,
  objects: ReadonlyMap<number, NewObject>,
): Uint8Array {
  const catalogRef = rev.trailer.get('Root');
  if (!(catalogRef instanceof PdfRef)) throw new PdfStructureError('no catalog reference');
  const { bytes } = serializeUpdate(rev, catalogRef, next, sortedBytes(objects));
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function sortedBytes(objects: ReadonlyMap<number, NewObject>): { ref: PdfRef; bytes: Buffer }[] {
  return [...objects.values()]
    .sort((a, b) => a.ref.objectNumber - b.ref.objectNumber)
    .map(({ ref, value, data }) => ({ ref, bytes: indirectObjectBytes(ref, value, data) }));
}

/**
 * An incremental update to the revision: the objects in order, then a cross-reference section of the same
 * kind as the revision's newest (table or stream) with /Prev, and the trailer. `starts` are the offsets of
 * the objects within the returned bytes.
 */
function serializeUpdate(
  rev: Revision,
  catalogRef: PdfRef,
  next: number,
  objects: readonly { ref: PdfRef; bytes: Buffer }[],
): { bytes: Buffer; starts: number[] } {
  const originalSize = rev.end;
  const lastByte = rev.file.source.readSync(originalSize - 1, 1)[0];
  // Start on a new line without adding an end-of-line to the previous %%EOF: an earlier signature's
  // byte range must still end where its revision ends.
  const prefix = lastByte === 0x0a ? '' : ' \n';
  const trailerBase: [string, PdfObject][] = [['Root', catalogRef]];
  for (const key of ['Info', 'ID'] as const) {
    const v = rev.trailer.get(key);
    if (v) trailerBase.push([key, v]);
  }
  const parts: Buffer[] = [Buffer.from(prefix, 'latin1')];
  const starts: number[] = [];
  const offsets = new Map<number, { offset: number; generation: number }>();
  let at = originalSize + prefix.length;
  for (const { ref, bytes } of objects) {
    offsets.set(ref.objectNumber, { offset: at, generation: ref.generation });
    starts.push(at - originalSize);
    parts.push(bytes);
    at += bytes.length;
  }
  const xrefOffset = at;
  const size = Math.max(next, ...[...offsets.keys()].map((n) => n + 1));
  if (rev.lastSectionKind === 'stream') {
    offsets.set(size, { offset: xrefOffset, generation: 0 });
    parts.push(xrefStreamBytes(size, offsets, rev.startxref, trailerBase));
  } else {
    parts.push(Buffer.from(xrefTableText(offsets, size, rev.startxref, trailerBase), 'latin1'));
  }
  parts.push(Buffer.from(`startxref\n${xrefOffset}\n%%EOF\n`, 'latin1'));
  return { bytes: Buffer.concat(parts), starts };
}

/** Consecutive runs of object numbers: [first, count] pairs. */
function runs(numbers: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const n of numbers) {
    const last = out[out.length - 1];
    if (last && last[0] + last[1] === n) last[1]++;
    else out.push([n, 1]);
  }
  return out;
}

function xrefTableText(
  offsets: ReadonlyMap<number, { offset: number; generation: number }>,
  size: number,
  prev: number,
  trailerBase: readonly [string, PdfObject][],
): string {
  const numbers = [...offsets.keys()].sort((a, b) => a - b);
  let text = 'xref\n';
  for (const [first, count] of runs(numbers)) {
    text += `${first} ${count}\n`;
    for (let n = first; n < first + count; n++) {
      const e = offsets.get(n);
      if (!e) throw new Error('xref entry missing');
      text += `${String(e.offset).padStart(10, '0')} ${String(e.generation).padStart(5, '0')} n\r\n`;
    }
  }
  const trailer = new PdfDict([['Size', PdfNumber.of(size)], ...trailerBase, ['Prev', PdfNumber.of(prev)]]);
  return `${text}trailer\n${objectText(trailer)}\n`;
}

/** An uncompressed cross-reference stream (for files whose last section is one). */
function xrefStreamBytes(
  own: number,
  offsets: ReadonlyMap<number, { offset: number; generation: number }>,
  prev: number,
  trailerBase: readonly [string, PdfObject][],
): Buffer {
  const numbers = [...offsets.keys()].sort((a, b) => a - b);
  const maxOffset = Math.max(...[...offsets.values()].map((e) => e.offset));
  let w2 = 1;
  while (maxOffset >= 256 ** w2) w2++;
  const data = Buffer.alloc(numbers.length * (1 + w2 + 2));
  numbers.forEach((n, i) => {
    const e = offsets.get(n);
    if (!e) throw new Error('xref entry missing');
    const at = i * (1 + w2 + 2);
    data[at] = 1;
    data.writeUIntBE(e.offset, at + 1, w2);
    data.writeUInt16BE(e.generation, at + 1 + w2);
  });
  const dict = new PdfDict([
    ['Type', PdfName.of('XRef')],
    ['Size', PdfNumber.of(own + 1)],
    ['W', new PdfArray([1, w2, 2].map((v) => PdfNumber.of(v)))],
    [
      'Index',
      new PdfArray(
        runs(numbers)
          .flat()
          .map((v) => PdfNumber.of(v)),
      ),
    ],
    ...trailerBase,
    ['Prev', PdfNumber.of(prev)],
  ]);
  return indirectObjectBytes(PdfRef.of(own, 0), dict, data);
}

/**
 * Appends a signature to the original without holding it: the original is read once, 1 MiB at a time,
 * hashed and (with `sink`) copied on the way; the update is returned (and, with `sink`, written after it). `contentsFor` turns the digest of the byte
 * ranges into the /Contents value (a CMS or a timestamp token). The placeholder grows once if the first
 * estimate was short, rehashing only the update (the hash of the original is kept).
 */
export async function appendSignatureStreamed(args: {
  /** From `planSignatureUpdate` over the same bytes as `original`. */
  readonly plan: UpdatePlan;
  readonly original: RandomAccessSource;
  readonly estimate: number;
  readonly contentsFor: (digest: Uint8Array) => Promise<Uint8Array>;
  readonly sink?: (chunk: Uint8Array) => Promise<void>;
}): Promise<Uint8Array> {
  const { original, plan } = args;
  if (plan.originalSize !== original.size) throw new Error('the plan was made for other bytes');
  const hash = await copyAndHash(original, args.sink);
  let contentsBytes = args.estimate;
  for (let attempt = 0; attempt < 2; attempt++) {
    const update = plan.build(contentsBytes);
    const bytes = update.bytes;
    const total = plan.originalSize + bytes.length;
    const contentsStart = plan.originalSize + update.contentsStart;
    const contentsEnd = plan.originalSize + update.contentsEnd;
    const rangeText = `[${[0, contentsStart, contentsEnd, total - contentsEnd].join(' ')}]`;
    const width = update.byteRangeEnd - update.byteRangeStart;
    if (rangeText.length > width) throw new Error('ByteRange placeholder too small');
    bytes.write(`${rangeText.slice(0, -1).padEnd(width - 1, ' ')}]`, update.byteRangeStart, 'latin1');
    const digest = hash
      .copy()
      .update(bytes.subarray(0, update.contentsStart))
      .update(bytes.subarray(update.contentsEnd))
      .digest();
    const contents = await args.contentsFor(new Uint8Array(digest));
    if (contents.length > contentsBytes) {
      contentsBytes = contents.length + 2048;
      continue;
    }
    const hex = Buffer.from(contents)
      .toString('hex')
      .toUpperCase()
      .padEnd(contentsBytes * 2, '0');
    bytes.write(hex, update.contentsStart + 1, 'latin1');
    if (args.sink) await args.sink(bytes);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  throw new Error('the signature did not fit its placeholder');
}

/** Hashes the whole source, handing each chunk to `sink` (awaited before the chunk's buffer is reused). */
async function copyAndHash(
  source: RandomAccessSource,
  sink: ((chunk: Uint8Array) => Promise<void>) | undefined,
): Promise<Hash> {
  const hash = createHash('sha256');
  for await (const chunk of sequentialChunks(source)) {
    hash.update(chunk);
    if (sink) await sink(chunk);
  }
  return hash;
}

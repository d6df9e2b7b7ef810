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
import { type PdfFile, Revision } from './reader';

/** What a later incremental update did. Only the first four keep an earlier signature "unmodified". */
export type ChangeCategory =
  | 'signature'
  | 'document-timestamp'
  | 'validation-data'
  | 'form-fill'
  | 'annotation'
  | 'page-content'
  | 'document-structure'
  | 'unparsable-trailing-data';

export const ALLOWED_CHANGES: ReadonlySet<ChangeCategory> = new Set([
  'signature',
  'document-timestamp',
  'validation-data',
  'form-fill',
]);

export interface Change {
  readonly category: ChangeCategory;
  readonly detail: string;
}

/** Offsets just past each %%EOF (and its end-of-line): where each revision of the file ends. */
export function revisionEnds(bytes: Uint8Array): number[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ends: number[] = [];
  for (let at = buf.indexOf('%%EOF'); at !== -1; at = buf.indexOf('%%EOF', at + 5)) {
    let end = at + 5;
    if (buf[end] === 0x0d) end++;
    if (buf[end] === 0x0a) end++;
    ends.push(end);
  }
  return ends;
}

/**
 * Object access for the change analysis: the streamed reader's lazy one, or libpdf's full parse
 * (verify-whole-file.ts, kept out of this module so that Lambda bundles leave libpdf's PDF class out).
 */
export interface RevisionObjects {
  resolve(obj: PdfObject | undefined): PdfObject | undefined;
  /** Object `n` of this revision, undefined when absent or free. */
  object(n: number): PdfObject | undefined;
  readonly catalogRef: PdfRef | undefined;
  catalog(): PdfDict | undefined;
  /** SHA-256 (hex) of a stream's raw data. */
  streamDigest(stream: PdfStream): string;
}

/** A stable text form of an object, to tell whether it changed between two revisions. */
function canonical(obj: PdfObject | null | undefined, rev: RevisionObjects): string {
  if (obj === null || obj === undefined || obj instanceof PdfNull) return 'null';
  if (obj instanceof PdfRef) return `${obj.objectNumber} ${obj.generation} R`;
  if (obj instanceof PdfStream) {
    const dict = [...obj]
      .filter(([k]) => k.value !== 'Length')
      .map(([k, v]) => `/${k.value} ${canonical(v, rev)}`);
    return `<<${dict.sort().join(' ')}>>stream:${rev.streamDigest(obj)}`;
  }
  if (obj instanceof PdfDict) {
    return `<<${[...obj]
      .map(([k, v]) => `/${k.value} ${canonical(v, rev)}`)
      .sort()
      .join(' ')}>>`;
  }
  if (obj instanceof PdfArray)
    return `[${obj
      .toArray()
      .map((v) => canonical(v, rev))
      .join(' ')}]`;
  if (obj instanceof PdfName) return `/${obj.value}`;
  if (obj instanceof PdfNumber) return String(obj.value);
  if (obj instanceof PdfBool) return String(obj.value);
  if (obj instanceof PdfString) return `<${Buffer.from(obj.bytes).toString('hex')}>`;
  return 'raw';
}

function refKey(ref: PdfRef): string {
  return `${ref.objectNumber} ${ref.generation}`;
}

/** The same revision as the streamed reader sees it. */
class StreamedObjects implements RevisionObjects {
  constructor(readonly rev: Revision) {}

  resolve(obj: PdfObject | undefined): PdfObject | undefined {
    return this.rev.resolve(obj);
  }

  object(n: number): PdfObject | undefined {
    return this.rev.object(n);
  }

  get catalogRef(): PdfRef | undefined {
    return this.rev.trailer.getRef('Root');
  }

  catalog(): PdfDict | undefined {
    return this.rev.dict(this.rev.trailer.get('Root'));
  }

  streamDigest(stream: PdfStream): string {
    return this.rev.streamDigest(stream);
  }
}

class RevisionView {
  constructor(readonly objects: RevisionObjects) {}

  resolve(obj: PdfObject | undefined): PdfObject | undefined {
    return this.objects.resolve(obj);
  }

  canonical(obj: PdfObject | null | undefined): string {
    return canonical(obj, this.objects);
  }

  /** Refs of the DSS dictionary and everything directly hanging off it (arrays, VRI entries). */
  dssRefs(): Set<string> {
    const refs = new Set<string>();
    const walk = (value: PdfObject | undefined, depth: number) => {
      if (depth > 3 || value === undefined) return;
      if (value instanceof PdfRef) {
        refs.add(refKey(value));
        const resolved = this.resolve(value);
        if (resolved instanceof PdfStream) return;
        walk(resolved, depth + 1);
      } else if (value instanceof PdfDict) {
        for (const [, v] of value) walk(v, depth + 1);
      } else if (value instanceof PdfArray) {
        for (const v of value.toArray()) walk(v, depth + 1);
      }
    };
    walk(this.objects.catalog()?.get('DSS'), 0);
    return refs;
  }

  isSignatureField(obj: PdfObject | undefined): 'signature' | 'document-timestamp' | false {
    const dict = this.resolve(obj);
    if (!(dict instanceof PdfDict)) return false;
    let field: PdfDict | undefined = dict;
    for (let i = 0; i < 4 && field && !field.getName('FT'); i++) {
      const parent = this.resolve(field.get('Parent'));
      field = parent instanceof PdfDict ? parent : undefined;
    }
    if (field?.getName('FT')?.value !== 'Sig') {
      return obj instanceof PdfRef ? (this.signatureWidgets().get(refKey(obj)) ?? false) : false;
    }
    return this.signatureKind(field);
  }

  private signatureKind(field: PdfDict): 'signature' | 'document-timestamp' {
    const value = this.resolve(field.get('V'));
    return value instanceof PdfDict && value.getName('Type')?.value === 'DocTimeStamp'
      ? 'document-timestamp'
      : 'signature';
  }

  private widgets: Map<string, 'signature' | 'document-timestamp'> | undefined;

  /**
   * Widgets that a signature field of the form lists in its /Kids, by reference: a widget of a signature
   * field even without the /Parent entry (incremental.ts writes none, for poppler before 23).
   */
  private signatureWidgets(): Map<string, 'signature' | 'document-timestamp'> {
    if (this.widgets) return this.widgets;
    const found = new Map<string, 'signature' | 'document-timestamp'>();
    const walk = (items: PdfObject | undefined, depth: number) => {
      const list = this.resolve(items);
      if (!(list instanceof PdfArray) || depth > 8) return;
      for (const item of list.toArray()) {
        const field = this.resolve(item);
        if (!(field instanceof PdfDict)) continue;
        if (field.getName('FT')?.value === 'Sig') {
          const kids = this.resolve(field.get('Kids'));
          if (!(kids instanceof PdfArray)) continue;
          for (const kid of kids.toArray()) {
            if (kid instanceof PdfRef) found.set(refKey(kid), this.signatureKind(field));
          }
        } else walk(field.get('Kids'), depth + 1);
      }
    };
    const form = this.resolve(this.objects.catalog()?.get('AcroForm'));
    if (form instanceof PdfDict) walk(form.get('Fields'), 0);
    this.widgets = found;
    return found;
  }
}

function arrayItems(rev: RevisionView, value: PdfObject | undefined): string[] {
  const arr = rev.resolve(value);
  return arr instanceof PdfArray ? arr.toArray().map((v) => rev.canonical(v)) : [];
}

/** Items added to an array (old items must all remain, in order of appearance). */
function addedItems(before: string[], after: string[]): string[] | undefined {
  const remaining = [...after];
  for (const item of before) {
    const i = remaining.indexOf(item);
    if (i === -1) return undefined;
    remaining.splice(i, 1);
  }
  return remaining;
}

function refFromCanonical(text: string): PdfRef | undefined {
  const m = /^(\d+) (\d+) R$/.exec(text);
  return m ? PdfRef.of(Number(m[1]), Number(m[2])) : undefined;
}

/** Whitespace as String.prototype.trim sees it, for bytes read as latin1. */
export const TRIM_WHITESPACE: ReadonlySet<number> = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0]);

/** Bytes after the last %%EOF that are not whitespace: an update nobody can parse. */
export function trailingData(length: number, onlyWhitespace: boolean): Change[] {
  return length > 0 && !onlyWhitespace
    ? [{ category: 'unparsable-trailing-data', detail: `${length} bytes after the last %%EOF` }]
    : [];
}

/**
 * What the updates after `revisionEnd` changed, through the streamed reader: only objects whose
 * cross-reference entries differ between the signed revision and the final one are parsed (an unchanged
 * entry points into the signed, hashed bytes). `tail` tells whether the bytes after the last %%EOF are
 * whitespace only. Throws PdfStructureError when the reader cannot follow a revision (callers then use
 * libpdf's whole-file analysis if they have it: verify-whole-file.ts).
 */
export function changesAfterStreamed(
  file: PdfFile,
  revisionEnd: number,
  ends: readonly number[],
  tail: { readonly length: number; readonly onlyWhitespace: boolean },
): Change[] {
  const lastEnd = ends[ends.length - 1] ?? 0;
  const changes = trailingData(tail.length, tail.onlyWhitespace);
  if (lastEnd <= revisionEnd) return changes;
  const before = Revision.open(file, revisionEnd);
  const after = Revision.open(file, lastEnd);
  const numbers = new Set([...before.objectNumbers, ...after.objectNumbers]);
  const candidates = [...numbers].filter((n) => n > 0 && !before.sameEntry(after, n)).sort((a, b) => a - b);
  return [
    ...changes,
    ...compareRevisions(new StreamedObjects(before), new StreamedObjects(after), candidates),
  ];
}

/**
 * Classifies what changed between the signed revision and the final one, comparing each candidate object
 * in both. Kept simple on purpose: a change is allowed only when it is one of the shapes that signing,
 * timestamping, adding validation data or filling existing form fields produce.
 */
export function compareRevisions(
  signed: RevisionObjects,
  final: RevisionObjects,
  candidates: readonly number[],
): Change[] {
  const before = new RevisionView(signed);
  const after = new RevisionView(final);
  const changes: Change[] = [];
  const dss = after.dssRefs();
  const catalogRef = after.objects.catalogRef;
  for (const n of candidates) {
    const old = before.objects.object(n);
    if (old === undefined) continue; // New objects matter only through the objects that reference them.
    const now = after.objects.object(n);
    if (before.canonical(old) === after.canonical(now)) continue;
    const key = `${n} 0`;
    if (dss.has(key)) {
      changes.push({ category: 'validation-data', detail: `object ${n} (DSS)` });
      continue;
    }
    changes.push(
      ...classifyModified(before, after, n, old, now, catalogRef ? refKey(catalogRef) === key : false),
    );
  }
  return changes;
}

function changedKeys(before: RevisionView, after: RevisionView, old: PdfDict, now: PdfDict): string[] {
  const keys = new Set([...old.keys(), ...now.keys()].map((k) => k.value));
  return [...keys].filter((k) => before.canonical(old.get(k)) !== after.canonical(now.get(k)));
}

function classifyArrayGrowth(
  after: RevisionView,
  oldItems: string[],
  newItems: string[],
  what: string,
): Change[] {
  const added = addedItems(oldItems, newItems);
  if (!added) return [{ category: 'document-structure', detail: `${what}: entries removed or replaced` }];
  const kinds = added.map((item) => {
    const ref = refFromCanonical(item);
    return ref ? after.isSignatureField(ref) : false;
  });
  if (kinds.some((k) => k === false)) {
    return [
      {
        category: what.startsWith('page') ? 'annotation' : 'document-structure',
        detail: `${what}: non-signature entries added`,
      },
    ];
  }
  const out: Change[] = [];
  if (kinds.includes('signature')) out.push({ category: 'signature', detail: `${what}: signature added` });
  if (kinds.includes('document-timestamp')) {
    out.push({ category: 'document-timestamp', detail: `${what}: document timestamp added` });
  }
  return out.length ? out : [{ category: 'signature', detail: `${what}: signature flags` }];
}

function classifyModified(
  before: RevisionView,
  after: RevisionView,
  n: number,
  old: PdfObject,
  now: PdfObject | undefined,
  isCatalog: boolean,
): Change[] {
  if (!(now instanceof PdfDict) && !(now instanceof PdfArray)) {
    return [{ category: 'document-structure', detail: `object ${n} removed or replaced` }];
  }
  if (old instanceof PdfArray && now instanceof PdfArray) {
    return classifyArrayGrowth(after, arrayItems(before, old), arrayItems(after, now), `array ${n}`);
  }
  if (
    !(old instanceof PdfDict) ||
    !(now instanceof PdfDict) ||
    now instanceof PdfStream ||
    old instanceof PdfStream
  ) {
    return [{ category: 'page-content', detail: `stream or object ${n} changed` }];
  }
  const keys = changedKeys(before, after, old, now);
  const type = now.getName('Type')?.value;
  if (isCatalog) {
    const other = keys.filter((k) => k !== 'AcroForm' && k !== 'DSS');
    if (other.length)
      return [{ category: 'document-structure', detail: `catalog: ${other.join(', ')} changed` }];
    if (keys.includes('AcroForm'))
      return classifyAcroForm(before, after, old.get('AcroForm'), now.get('AcroForm'));
    return [{ category: 'validation-data', detail: 'catalog: DSS added or replaced' }];
  }
  if (type === 'Page') {
    const other = keys.filter((k) => k !== 'Annots');
    if (other.length)
      return [{ category: 'page-content', detail: `page object ${n}: ${other.join(', ')} changed` }];
    return classifyArrayGrowth(
      after,
      arrayItems(before, old.get('Annots')),
      arrayItems(after, now.get('Annots')),
      `page object ${n} annotations`,
    );
  }
  if (old.has('Fields') || old.has('SigFlags')) return classifyAcroForm(before, after, old, now);
  const ft = now.getName('FT')?.value;
  if (
    ft === 'Sig' &&
    keys.every((k) => ['V', 'AP', 'Rect', 'F', 'P', 'Type', 'Subtype', 'Kids'].includes(k))
  ) {
    return [{ category: after.isSignatureField(now) || 'signature', detail: `signature field ${n} signed` }];
  }
  if (ft === 'Tx' && keys.every((k) => k === 'V' || k === 'AP')) {
    return [{ category: 'form-fill', detail: `text field ${n} filled in` }];
  }
  return [{ category: 'document-structure', detail: `object ${n}: ${keys.join(', ')} changed` }];
}

function classifyAcroForm(
  before: RevisionView,
  after: RevisionView,
  oldValue: PdfObject | undefined,
  newValue: PdfObject | undefined,
): Change[] {
  const old = before.resolve(oldValue);
  const now = after.resolve(newValue);
  if (!(now instanceof PdfDict)) return [{ category: 'document-structure', detail: 'form removed' }];
  if (!(old instanceof PdfDict)) {
    // A first signature creates the form: its fields must all be signatures.
    return classifyArrayGrowth(after, [], arrayItems(after, now.get('Fields')), 'form fields');
  }
  const keys = changedKeys(before, after, old, now);
  const other = keys.filter((k) => !['Fields', 'SigFlags', 'DR', 'DA'].includes(k));
  if (other.length) return [{ category: 'document-structure', detail: `form: ${other.join(', ')} changed` }];
  if (!keys.includes('Fields')) return [{ category: 'signature', detail: 'form flags for signatures' }];
  return classifyArrayGrowth(
    after,
    arrayItems(before, old.get('Fields')),
    arrayItems(after, now.get('Fields')),
    'form fields',
  );
}

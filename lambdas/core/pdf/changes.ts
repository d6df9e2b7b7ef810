import { createHash } from 'node:crypto';
import {
  PDF,
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

/** A stable text form of an object, to tell whether it changed between two revisions. */
function canonical(obj: PdfObject | null | undefined): string {
  if (obj === null || obj === undefined || obj instanceof PdfNull) return 'null';
  if (obj instanceof PdfRef) return `${obj.objectNumber} ${obj.generation} R`;
  if (obj instanceof PdfStream) {
    const dict = [...obj]
      .filter(([k]) => k.value !== 'Length')
      .map(([k, v]) => `/${k.value} ${canonical(v)}`);
    return `<<${dict.sort().join(' ')}>>stream:${createHash('sha256').update(obj.data).digest('hex')}`;
  }
  if (obj instanceof PdfDict) {
    return `<<${[...obj]
      .map(([k, v]) => `/${k.value} ${canonical(v)}`)
      .sort()
      .join(' ')}>>`;
  }
  if (obj instanceof PdfArray) return `[${obj.toArray().map(canonical).join(' ')}]`;
  if (obj instanceof PdfName) return `/${obj.value}`;
  if (obj instanceof PdfNumber) return String(obj.value);
  if (obj instanceof PdfBool) return String(obj.value);
  if (obj instanceof PdfString) return `<${Buffer.from(obj.bytes).toString('hex')}>`;
  return 'raw';
}

function refKey(ref: PdfRef): string {
  return `${ref.objectNumber} ${ref.generation}`;
}

class Revision {
  constructor(readonly pdf: PDF) {}

  resolve(obj: PdfObject | undefined): PdfObject | undefined {
    if (obj instanceof PdfRef) return this.pdf.context.registry.resolve(obj) ?? undefined;
    return obj;
  }

  object(n: number): PdfObject | undefined {
    try {
      return this.pdf.context.registry.resolve(PdfRef.of(n, 0)) ?? undefined;
    } catch {
      return undefined;
    }
  }

  get maxObjectNumber(): number {
    return this.pdf.context.registry.nextObjectNumber;
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
    walk(this.pdf.getCatalog().get('DSS'), 0);
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
    if (field?.getName('FT')?.value !== 'Sig') return false;
    const value = this.resolve(field.get('V'));
    return value instanceof PdfDict && value.getName('Type')?.value === 'DocTimeStamp'
      ? 'document-timestamp'
      : 'signature';
  }
}

function arrayItems(rev: Revision, value: PdfObject | undefined): string[] {
  const arr = rev.resolve(value);
  return arr instanceof PdfArray ? arr.toArray().map(canonical) : [];
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

/**
 * Classifies what the updates after `revisionEnd` changed, comparing every object of the signed revision
 * with its state in the final one. Kept simple on purpose: a change is allowed only when it is one of the
 * shapes that signing, timestamping, adding validation data or filling existing form fields produce.
 */
export async function changesAfter(bytes: Uint8Array, revisionEnd: number): Promise<Change[]> {
  const changes: Change[] = [];
  const ends = revisionEnds(bytes);
  const lastEnd = ends[ends.length - 1] ?? 0;
  const tail = Buffer.from(bytes.subarray(Math.max(lastEnd, revisionEnd)));
  if (tail.length > 0 && tail.toString('latin1').trim().length > 0) {
    changes.push({
      category: 'unparsable-trailing-data',
      detail: `${tail.length} bytes after the last %%EOF`,
    });
  }
  if (lastEnd <= revisionEnd) return changes;

  let before: Revision;
  let after: Revision;
  try {
    before = new Revision(await PDF.load(bytes.subarray(0, revisionEnd)));
    after = new Revision(await PDF.load(bytes.subarray(0, lastEnd)));
  } catch (error) {
    return [
      ...changes,
      { category: 'document-structure', detail: `later revision unreadable: ${String(error)}` },
    ];
  }
  const dss = after.dssRefs();
  const catalogRef = after.pdf.context.info.trailer.getRef('Root');
  const max = Math.max(before.maxObjectNumber, after.maxObjectNumber);
  for (let n = 1; n < max; n++) {
    const old = before.object(n);
    if (old === undefined) continue; // New objects matter only through the objects that reference them.
    const now = after.object(n);
    if (canonical(old) === canonical(now)) continue;
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

function changedKeys(old: PdfDict, now: PdfDict): string[] {
  const keys = new Set([...old.keys(), ...now.keys()].map((k) => k.value));
  return [...keys].filter((k) => canonical(old.get(k)) !== canonical(now.get(k)));
}

function classifyArrayGrowth(
  after: Revision,
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
  before: Revision,
  after: Revision,
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
  const keys = changedKeys(old, now);
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
  before: Revision,
  after: Revision,
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
  const keys = changedKeys(old, now);
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

import {
  PdfArray,
  PdfBool,
  PdfDict,
  PdfName,
  PdfNumber,
  type PdfObject,
  PdfRef,
  PdfString,
} from '@libpdf/core';
import * as z from 'zod';
import { DomainError } from '../errors';
import { AppearanceWriter, PlacementSchema, resolvePlacement, TextLineSchema } from './appearance';
import { type AppearanceFonts, defaultAppearanceFonts } from './fonts';
import { objectsUpdate } from './incremental';
import { checkPdfBytes, withUpdate } from './input';
import { type NewObject, ObjectAllocator } from './new-objects';
import { orDamaged, PdfStructureError } from './objects';
import { fieldType, PdfFile, pageAt, Revision, terminalFields } from './reader';

/** Names of the read-only text fields that receive the number/symbol and the date line at issue. */
export const ISSUE_FIELDS = { number: 'docflow.so_ky_hieu', date: 'docflow.ngay_ban_hanh' } as const;

export const IssueLayoutSchema = z.object({ number: PlacementSchema, date: PlacementSchema });
export type IssueLayout = z.input<typeof IssueLayoutSchema>;

export const IssueStampSchema = z.object({
  /** e.g. { text: 'Số: 15/QĐ-UBND', align: 'center', size: 13 } */
  number: TextLineSchema,
  /** e.g. { text: 'Hà Nội, ngày 05 tháng 01 năm 2026', style: 'italic', align: 'center', size: 13 } */
  date: TextLineSchema,
});
export type IssueStamp = z.input<typeof IssueStampSchema>;

export interface IssueFieldOptions {
  readonly maxBytes?: number;
}

/** The original with the update `build` makes from its last revision (read lazily, never loaded whole). */
async function appendUpdate(
  pdf: Uint8Array,
  options: IssueFieldOptions,
  build: (rev: Revision) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  checkPdfBytes(pdf, { maxBytes: options.maxBytes });
  return withUpdate(pdf, await orDamaged(() => build(Revision.open(PdfFile.fromBytes(pdf)))));
}

/**
 * Adds the empty number and date fields to a draft, before the leader signs (as an incremental update, so
 * it also works on an already signed file, where it is reported as a modification).
 */
export async function addIssueFields(
  pdfBytes: Uint8Array,
  layout: IssueLayout,
  options: IssueFieldOptions = {},
): Promise<Uint8Array> {
  const parsed = IssueLayoutSchema.parse(layout);
  return appendUpdate(pdfBytes, options, async (rev) => {
    const update = new UpdateObjects(rev);
    update.createIssueFields(parsed);
    return update.bytes();
  });
}

/**
 * Writes the number/symbol and date line at issue: fills the read-only fields prepared before signing, in
 * an incremental update. Filling form fields is a change PDF permits after an approval signature (the
 * DocMDP P=2 class), so the leader's signature stays valid and the clerk's seal signature then covers the
 * number. An unsigned draft without the fields gets them created (needs `layout`); a signed document
 * without them is refused, as adding fields after signing would show as a modification.
 *
 * The file is not loaded: the two field dictionaries are rewritten with their value and appearance.
 */
export async function stampIssueNumber(
  pdfBytes: Uint8Array,
  stampInput: IssueStamp,
  options: { layout?: IssueLayout; fonts?: AppearanceFonts } & IssueFieldOptions = {},
): Promise<Uint8Array> {
  const stamp = IssueStampSchema.parse(stampInput);
  return appendUpdate(pdfBytes, options, async (rev) => {
    const update = new UpdateObjects(rev);
    let fields = update.issueFields();
    if (!fields) {
      if (update.hasSignatures() || !options.layout) throw new DomainError('pdf_issue_fields_missing', 422);
      fields = update.createIssueFields(IssueLayoutSchema.parse(options.layout));
    }
    update.fillIssueFields(fields, stamp, options.fonts ?? (await defaultAppearanceFonts()));
    return update.bytes();
  });
}

/**
 * Before the leader signs: the number and date fields where the draft's placement puts them (created, or
 * moved if the draft already has them, unfilled), and a blank final page first when the signature goes on
 * a new page. A document already signed is returned as it is (its fields are fixed).
 */
export async function prepareForSignature(
  pdfBytes: Uint8Array,
  layout: IssueLayout,
  options: IssueFieldOptions & { newPage?: boolean } = {},
): Promise<Uint8Array> {
  const parsed = IssueLayoutSchema.parse(layout);
  checkPdfBytes(pdfBytes, { maxBytes: options.maxBytes });
  const update = await orDamaged(() => {
    const u = new UpdateObjects(Revision.open(PdfFile.fromBytes(pdfBytes)));
    if (u.hasSignatures()) return undefined;
    if (options.newPage) u.appendBlankPage();
    const fields = u.issueFields();
    if (fields) u.moveIssueFields(fields, parsed);
    else u.createIssueFields(parsed);
    return u.bytes();
  });
  return update ? withUpdate(pdfBytes, update) : pdfBytes;
}

/** The appearance box of a field's widget: its /Rect's size, at the origin. */
function appearanceBox(dict: PdfDict): {
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
  rotate: number;
} {
  const coords = (dict.getArray('Rect')?.toArray() ?? []).map((v) => (v instanceof PdfNumber ? v.value : 0));
  const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] = coords;
  // The turn set when the field was placed (/MK /R, the page's /Rotate then).
  const mk = dict.get('MK');
  const r = mk instanceof PdfDict ? mk.get('R') : undefined;
  const rotate = r instanceof PdfNumber ? r.value : 0;
  return { page: 0, x: 0, y: 0, width: Math.abs(x2 - x1), height: Math.abs(y2 - y1), rotate };
}

type IssueFieldKey = keyof typeof ISSUE_FIELDS;
type IssueFieldObjects = Record<IssueFieldKey, { ref: PdfRef; dict: PdfDict }>;

/**
 * The objects of an incremental update to `rev` being built: new and changed objects by number, read
 * through to the revision, each changed object copied once and then edited in place.
 */
class UpdateObjects {
  private readonly objects = new Map<number, NewObject>();
  private next: number;
  private readonly catalogRef: PdfRef;

  constructor(private readonly rev: Revision) {
    if (rev.trailer.has('Encrypt')) throw new DomainError('pdf_encrypted', 422);
    const root = rev.trailer.get('Root');
    if (!(root instanceof PdfRef)) throw new PdfStructureError('no catalog reference');
    this.catalogRef = root;
    const count = rev.resolve(rev.dict(rev.catalog().get('Pages'))?.get('Count'));
    if (!(count instanceof PdfNumber) || count.value <= 0) throw new PdfStructureError('no page count');
    this.next = rev.size;
  }

  bytes(): Uint8Array {
    return objectsUpdate(this.rev, this.next, this.objects);
  }

  private allocate(value: PdfObject): PdfRef {
    const ref = PdfRef.of(this.next++, 0);
    this.objects.set(ref.objectNumber, { ref, value });
    return ref;
  }

  /** The object as this update leaves it. */
  private resolve(value: PdfObject | undefined): PdfObject | undefined {
    if (value instanceof PdfRef) {
      const mine = this.objects.get(value.objectNumber);
      if (mine) return mine.value;
    }
    return this.rev.resolve(value);
  }

  private dict(value: PdfObject | undefined): PdfDict | undefined {
    const resolved = this.resolve(value);
    return resolved instanceof PdfDict ? resolved : undefined;
  }

  private array(value: PdfObject | undefined): PdfArray | undefined {
    const resolved = this.resolve(value);
    return resolved instanceof PdfArray ? resolved : undefined;
  }

  /** The indirect dictionary `ref`, copied into the update on first use, to be edited. */
  private editable(ref: PdfRef): PdfDict {
    const mine = this.objects.get(ref.objectNumber);
    if (mine?.value instanceof PdfDict) return mine.value;
    const original = this.rev.dict(ref);
    if (!original) throw new PdfStructureError(`object ${ref.objectNumber} is not a dictionary`);
    const copy = new PdfDict([...original]);
    this.objects.set(ref.objectNumber, { ref, value: copy });
    return copy;
  }

  /** `holder[key]` made an editable dictionary (indirect: the object copied; direct: copied in place). */
  private editableEntry(holder: PdfDict, key: string): PdfDict {
    const raw = holder.get(key);
    if (raw instanceof PdfRef && this.dict(raw)) return this.editable(raw);
    const current = this.dict(raw);
    const copy = current ? new PdfDict([...current]) : new PdfDict();
    holder.set(key, copy);
    return copy;
  }

  /**
   * Appends `item` to the array `holder[key]`: the array object alone when it is indirect, else the holder
   * (an indirect dictionary, copied into the update, or a dictionary already being edited).
   */
  private append(holder: PdfRef | PdfDict, key: string, item: PdfObject): void {
    const view = holder instanceof PdfRef ? this.dict(holder) : holder;
    const raw = view?.get(key);
    const current = this.array(raw);
    const grown = new PdfArray([...(current?.toArray() ?? []), item]);
    if (raw instanceof PdfRef && current) this.objects.set(raw.objectNumber, { ref: raw, value: grown });
    else (holder instanceof PdfRef ? this.editable(holder) : holder).set(key, grown);
  }

  /** The form dictionary, editable: the AcroForm object, the catalog's direct one, or a new one. */
  private editableForm(): PdfDict {
    const raw = this.rev.catalog().get('AcroForm');
    if (raw instanceof PdfRef && this.rev.dict(raw)) return this.editable(raw);
    const catalog = this.editable(this.catalogRef);
    const direct = this.rev.dict(raw);
    if (direct) {
      const form = new PdfDict([...direct]);
      catalog.set('AcroForm', form);
      return form;
    }
    // A new form is an object of its own, as libpdf writes it.
    const form = PdfDict.of({ Fields: new PdfArray([]), NeedAppearances: PdfBool.of(false) });
    catalog.set('AcroForm', this.allocate(form));
    return form;
  }

  hasSignatures(): boolean {
    return terminalFields(this.rev, this.rev.catalog()).some(
      (f) => fieldType(this.rev, f.dict) === 'Sig' && f.dict.has('V'),
    );
  }

  /** The number and date fields, when there (undefined when neither is). */
  issueFields(): IssueFieldObjects | undefined {
    const fields = terminalFields(this.rev, this.rev.catalog());
    const find = (key: IssueFieldKey) => {
      const field = fields.find((f) => f.name === ISSUE_FIELDS[key]);
      return field?.ref ? { ref: field.ref, dict: field.dict } : undefined;
    };
    const number = find('number');
    const date = find('date');
    if (!number && !date && !fields.some((f) => Object.values(ISSUE_FIELDS).includes(f.name as never)))
      return undefined;
    // Fields that are not what addIssueFields writes (one missing, or direct objects).
    if (!number || !date) throw new PdfStructureError('issue fields not as docflow writes them');
    return { number, date };
  }

  /** Two read-only text widgets on their pages, and the form's default Helvetica. */
  createIssueFields(layout: z.output<typeof IssueLayoutSchema>): IssueFieldObjects {
    const existing = new Set(terminalFields(this.rev, this.rev.catalog()).map((f) => f.name));
    const form = this.editableForm();
    const created: Partial<IssueFieldObjects> = {};
    for (const key of ['number', 'date'] as const) {
      const name = ISSUE_FIELDS[key];
      if (existing.has(name)) throw new Error(`Field "${name}" already exists`);
      const { page, corners } = this.widgetRect(layout[key]);
      const dict = PdfDict.of({
        FT: PdfName.of('Tx'),
        T: PdfString.fromString(name),
        DA: PdfString.fromString('/Helv 0 Tf 0 g'),
        Ff: PdfNumber.of(1), // ReadOnly: only docflow fills it, at issue.
        Type: PdfName.of('Annot'),
        Subtype: PdfName.of('Widget'),
        F: PdfNumber.of(4),
        P: page.ref,
        Rect: new PdfArray(corners.map((v) => PdfNumber.of(v))),
        ...(page.rotate ? { MK: PdfDict.of({ R: PdfNumber.of(page.rotate) }) } : {}),
      });
      const ref = this.allocate(dict);
      this.append(form, 'Fields', ref);
      this.append(page.ref, 'Annots', ref);
      created[key] = { ref, dict };
    }
    // Text fields need a default appearance font in the form's resources (ISO 32000-1 §12.7.3.3).
    if (!form.has('DA')) form.set('DA', PdfString.fromString('/Helv 0 Tf 0 g'));
    if (!this.dict(this.dict(form.get('DR'))?.get('Font'))?.has('Helv')) {
      this.editableEntry(this.editableEntry(form, 'DR'), 'Font').set(
        'Helv',
        PdfDict.of({
          Type: PdfName.of('Font'),
          Subtype: PdfName.of('Type1'),
          BaseFont: PdfName.of('Helvetica'),
          Encoding: PdfName.of('WinAnsiEncoding'),
        }),
      );
    }
    if (!created.number || !created.date) throw new Error('issue fields not created');
    return { number: created.number, date: created.date };
  }

  /** The page a placement names and the widget /Rect it makes there (from the page's MediaBox corner). */
  private widgetRect(placement: z.output<typeof PlacementSchema>) {
    const page =
      this.added && placement.page === this.added.index
        ? this.added
        : pageAt(this.rev, this.rev.catalog(), placement.page);
    if (!page) throw new DomainError('pdf_page_not_found', 422, { page: placement.page + 1 });
    const [x1 = 0, y1 = 0, x2 = 612, y2 = 792] = page.mediaBox ?? [];
    const box = {
      x: Math.min(x1, x2),
      y: Math.min(y1, y2),
      width: Math.abs(x2 - x1),
      height: Math.abs(y2 - y1),
    };
    const rect = resolvePlacement(placement, box.width, box.height);
    const corners = [
      box.x + rect.x,
      box.y + rect.y,
      box.x + rect.x + rect.width,
      box.y + rect.y + rect.height,
    ];
    return { page, corners };
  }

  /** Moves the (unfilled, unsigned) number and date widgets to `layout`, page included. */
  moveIssueFields(fields: IssueFieldObjects, layout: z.output<typeof IssueLayoutSchema>): void {
    for (const key of ['number', 'date'] as const) {
      const { page, corners } = this.widgetRect(layout[key]);
      const dict = this.editable(fields[key].ref);
      const ref = fields[key].ref;
      const before = dict.get('P');
      if (before instanceof PdfRef && before.objectNumber !== page.ref.objectNumber) {
        const old = this.editable(before);
        const kept = (this.array(old.get('Annots'))?.toArray() ?? []).filter(
          (a) => !(a instanceof PdfRef && a.objectNumber === ref.objectNumber),
        );
        old.set('Annots', new PdfArray(kept));
        this.append(page.ref, 'Annots', ref);
        dict.set('P', page.ref);
      }
      dict.set('Rect', new PdfArray(corners.map((v) => PdfNumber.of(v))));
      if (page.rotate) dict.set('MK', PdfDict.of({ R: PdfNumber.of(page.rotate) }));
      else dict.delete('MK');
    }
  }

  /** The page this update appends, to place fields on. */
  private added:
    | { index: number; ref: PdfRef; dict: PdfDict; mediaBox: number[]; rotate: number }
    | undefined;

  /** Appends a blank page the size of the last one to the root of the page tree. */
  appendBlankPage(): void {
    const catalog = this.rev.catalog();
    const rootRef = catalog.get('Pages');
    if (!(rootRef instanceof PdfRef)) throw new PdfStructureError('page tree root is not an indirect object');
    const root = this.editable(rootRef);
    const count = this.resolve(root.get('Count'));
    const n = count instanceof PdfNumber ? count.value : 0;
    const last = pageAt(this.rev, catalog, n - 1);
    if (!last) throw new PdfStructureError('no last page');
    const media = last.mediaBox ?? [0, 0, 595.28, 841.89];
    const dict = PdfDict.of({
      Type: PdfName.of('Page'),
      Parent: rootRef,
      MediaBox: new PdfArray(media.map((v) => PdfNumber.of(v))),
      Resources: new PdfDict(),
      // Shown as the last page is, so the placement's frame (the unturned page) is the same.
      ...(last.rotate ? { Rotate: PdfNumber.of(last.rotate) } : {}),
    });
    const page = this.allocate(dict);
    this.added = { index: n, ref: page, dict, mediaBox: media, rotate: last.rotate };
    this.append(rootRef, 'Kids', page);
    root.set('Count', PdfNumber.of(n + 1));
  }

  /** Sets each field's value and normal appearance. */
  fillIssueFields(
    fields: IssueFieldObjects,
    stamp: z.output<typeof IssueStampSchema>,
    fonts: AppearanceFonts,
  ) {
    const objects = new ObjectAllocator(this.next);
    const writer = new AppearanceWriter(objects, fonts);
    for (const key of ['number', 'date'] as const) {
      const ap = writer.draw(appearanceBox(fields[key].dict), {
        kind: 'text',
        lines: [stamp[key]],
        opaque: true,
      });
      const dict = this.editable(fields[key].ref);
      dict.set('V', PdfString.fromString(stamp[key].text));
      dict.set('AP', PdfDict.of({ N: ap }));
    }
    writer.finish();
    this.next = objects.next;
    for (const o of objects.objects()) this.objects.set(o.ref.objectNumber, o);
  }
}

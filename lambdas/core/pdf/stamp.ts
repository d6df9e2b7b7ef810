import { type PDF, PdfArray, PdfDict, PdfName, PdfNumber, PdfRef, PdfString } from '@libpdf/core';
import * as z from 'zod';
import { DomainError } from '../errors';
import { bytesEqual } from '../pki/asn1';
import { buildAppearance, fontSetFor, PlacementSchema, resolvePlacement, TextLineSchema } from './appearance';
import { type AppearanceFonts, defaultAppearanceFonts } from './fonts';
import { allowIncrementalOnLinearized, loadPdf } from './input';

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

function hasSignatures(pdf: PDF): boolean {
  return (pdf.getForm()?.getSignatureFields() ?? []).some((f) => f.isSigned());
}

function assertAppended(original: Uint8Array, updated: Uint8Array): void {
  if (updated.length < original.length || !bytesEqual(updated.subarray(0, original.length), original)) {
    throw new Error('libpdf did not write an incremental update');
  }
}

function addToPageAnnots(pdf: PDF, pageDict: PdfDict, ref: PdfRef): void {
  const current = pageDict.get('Annots');
  const resolved = current instanceof PdfRef ? pdf.context.registry.resolve(current) : current;
  if (resolved instanceof PdfArray) resolved.push(ref);
  else pageDict.set('Annots', new PdfArray([ref]));
}

/** Text fields need a default appearance font in the form's resources (ISO 32000-1 §12.7.3.3). */
function ensureHelveticaResource(pdf: PDF): void {
  const registry = pdf.context.registry;
  const acroRef = pdf.getCatalog().get('AcroForm');
  const acro = acroRef instanceof PdfRef ? registry.resolve(acroRef) : acroRef;
  if (!(acro instanceof PdfDict)) return;
  const drRaw = acro.get('DR');
  const dr = drRaw instanceof PdfRef ? registry.resolve(drRaw) : drRaw;
  const resources = dr instanceof PdfDict ? dr : new PdfDict();
  if (!(dr instanceof PdfDict)) acro.set('DR', resources);
  const fontsRaw = resources.get('Font');
  const fonts = fontsRaw instanceof PdfRef ? registry.resolve(fontsRaw) : fontsRaw;
  const fontDict = fonts instanceof PdfDict ? fonts : new PdfDict();
  if (!(fonts instanceof PdfDict)) resources.set('Font', fontDict);
  if (!fontDict.has('Helv')) {
    fontDict.set(
      'Helv',
      PdfDict.of({
        Type: PdfName.of('Font'),
        Subtype: PdfName.of('Type1'),
        BaseFont: PdfName.of('Helvetica'),
        Encoding: PdfName.of('WinAnsiEncoding'),
      }),
    );
  }
}

function createIssueFields(pdf: PDF, layout: z.output<typeof IssueLayoutSchema>): void {
  const form = pdf.getOrCreateForm();
  for (const key of ['number', 'date'] as const) {
    const placement = layout[key];
    const page = pdf.getPage(placement.page);
    if (!page) throw new DomainError('pdf_page_not_found', 422, { page: placement.page + 1 });
    const box = page.getMediaBox();
    const rect = resolvePlacement(placement, box.width, box.height);
    const field = form.createTextField(ISSUE_FIELDS[key]);
    const dict = field.getDict();
    const ref = field.getRef();
    if (!ref) throw new Error('libpdf created a field without a reference');
    dict.delete('Kids');
    dict.set('FT', PdfName.of('Tx'));
    dict.set('Ff', PdfNumber.of(1)); // ReadOnly: only docflow fills it, at issue.
    dict.set('DA', PdfString.fromString('/Helv 0 Tf 0 g'));
    dict.set('Type', PdfName.of('Annot'));
    dict.set('Subtype', PdfName.of('Widget'));
    dict.set('F', PdfNumber.of(4));
    dict.set('P', page.ref);
    dict.set(
      'Rect',
      new PdfArray(
        [box.x + rect.x, box.y + rect.y, box.x + rect.x + rect.width, box.y + rect.y + rect.height].map((v) =>
          PdfNumber.of(v),
        ),
      ),
    );
    addToPageAnnots(pdf, page.dict, ref);
  }
  ensureHelveticaResource(pdf);
}

/**
 * Adds the empty number and date fields to a draft, before the leader signs (as an incremental update, so
 * it also works on an already signed file, where it is reported as a modification).
 */
export async function addIssueFields(pdfBytes: Uint8Array, layout: IssueLayout): Promise<Uint8Array> {
  const pdf = await loadPdf(pdfBytes);
  allowIncrementalOnLinearized(pdf);
  createIssueFields(pdf, IssueLayoutSchema.parse(layout));
  const out = await pdf.save({ incremental: true });
  assertAppended(pdfBytes, out);
  return out;
}

/**
 * Writes the number/symbol and date line at issue: fills the read-only fields prepared before signing, in
 * an incremental update. Filling form fields is a change PDF permits after an approval signature (the
 * DocMDP P=2 class), so the leader's signature stays valid and the clerk's seal signature then covers the
 * number. An unsigned draft without the fields gets them created (needs `layout`); a signed document
 * without them is refused, as adding fields after signing would show as a modification.
 */
export async function stampIssueNumber(
  pdfBytes: Uint8Array,
  stampInput: IssueStamp,
  options: { layout?: IssueLayout; fonts?: AppearanceFonts } = {},
): Promise<Uint8Array> {
  const stamp = IssueStampSchema.parse(stampInput);
  const pdf = await loadPdf(pdfBytes);
  allowIncrementalOnLinearized(pdf);
  if (!pdf.getForm()?.getField(ISSUE_FIELDS.number)) {
    if (hasSignatures(pdf) || !options.layout) throw new DomainError('pdf_issue_fields_missing', 422);
    createIssueFields(pdf, IssueLayoutSchema.parse(options.layout));
  }
  const fontSet = fontSetFor(pdf, options.fonts ?? (await defaultAppearanceFonts()));
  const form = pdf.getForm();
  for (const key of ['number', 'date'] as const) {
    const field = form?.getField(ISSUE_FIELDS[key]);
    if (!field) throw new DomainError('pdf_issue_fields_missing', 422);
    const dict = field.getDict();
    const rectArray = dict.getArray('Rect');
    const coords = (rectArray?.toArray() ?? []).map((v) => (v instanceof PdfNumber ? v.value : 0));
    const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] = coords;
    const ap = buildAppearance(
      pdf,
      fontSet,
      { page: 0, x: 0, y: 0, width: Math.abs(x2 - x1), height: Math.abs(y2 - y1) },
      { kind: 'text', lines: [stamp[key]] },
    );
    dict.set('V', PdfString.fromString(stamp[key].text));
    dict.set('AP', PdfDict.of({ N: ap }));
  }
  const out = await pdf.save({ incremental: true, subsetFonts: true });
  assertAppended(pdfBytes, out);
  return out;
}

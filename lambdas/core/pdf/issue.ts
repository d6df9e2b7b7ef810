import type { WidgetSpec } from './appearance';
import { checkPdfBytes } from './input';
import { orDamaged } from './objects';
import { fieldType, PdfFile, Revision, terminalFields } from './reader';
import {
  ISSUE_FIELDS,
  type IssueFieldOptions,
  type IssueLayout,
  IssueLayoutSchema,
  type IssueStamp,
  IssueStampSchema,
  stampIssueNumber,
} from './stamp';

/*
 * Where the issuing number and date go, for drafts made here and drafts that arrive signed elsewhere (a
 * ministry's co-signature, a joint document). An unsigned draft gets two read-only text fields before the
 * leader signs (stamp.ts `prepareForSignature`, where the placement says), filled at issue (form filling,
 * permitted after an approval signature). A draft already signed must not get new text fields: that is a
 * change its signature does not permit (ISO 32000-1 §12.8.2.2, and what docflow's verifier reports). There
 * the number and date are drawn as further widgets of the seal's own signature field at issue, covered by
 * the seal and permitted as a new signature.
 */

/** What a draft holds: any signed signature field, and docflow's issue fields. */
async function formState(
  pdf: Uint8Array,
  options: IssueFieldOptions,
): Promise<{ signed: boolean; issueFields: boolean }> {
  checkPdfBytes(pdf, { maxBytes: options.maxBytes });
  return orDamaged(async () => {
    const rev = Revision.open(PdfFile.fromBytes(pdf));
    const fields = terminalFields(rev, rev.catalog());
    const names: readonly string[] = Object.values(ISSUE_FIELDS);
    return {
      signed: fields.some((f) => fieldType(rev, f.dict) === 'Sig' && f.dict.has('V')),
      issueFields: fields.some((f) => names.includes(f.name)),
    };
  });
}

/**
 * The number and date at issue: the fields filled (`pdf` then holds them, `widgets` is empty), or, on a
 * document signed before docflow prepared it, `pdf` unchanged and the widgets for the seal's signature
 * field (`signPdf`'s `extraWidgets`).
 */
export async function issueStamp(
  pdf: Uint8Array,
  stampInput: IssueStamp,
  layout: IssueLayout,
  options: IssueFieldOptions = {},
): Promise<{ pdf: Uint8Array; widgets: WidgetSpec[] }> {
  const stamp = IssueStampSchema.parse(stampInput);
  const state = await formState(pdf, options);
  if (state.issueFields || !state.signed) {
    return { pdf: await stampIssueNumber(pdf, stamp, { ...options, layout }), widgets: [] };
  }
  const places = IssueLayoutSchema.parse(layout);
  return {
    pdf,
    widgets: (['number', 'date'] as const).map((key) => ({
      placement: places[key],
      visual: { kind: 'text', lines: [stamp[key]], opaque: true },
    })),
  };
}

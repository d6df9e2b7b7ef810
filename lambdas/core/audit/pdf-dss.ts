import { PdfStream } from '@libpdf/core';
import { DomainError } from '../errors';
import { auditRefusal } from '../i18n/reports';
import { MAX_VERIFIED_PDF_BYTES } from '../limits';
import { checkPdfBytes } from '../pdf/input';
import { PdfStructureError } from '../pdf/objects';
import { PdfFile, Revision } from '../pdf/reader';

/**
 * The validation data a PAdES B-LT revision carries in its Document Security Store: every certificate of
 * its signatures and timestamps, and the CRLs fetched when it was signed (so: as of signing time).
 * Read by the lazy reader (trailer, catalog, DSS only): libpdf's whole-file parse would put its PDF class
 * (~450 KiB) in the audit Lambda's bundle. A file the reader cannot follow is `pdf_damaged`.
 */
export async function validationData(
  pdf: Uint8Array,
): Promise<{ certificates: Uint8Array[]; crls: Uint8Array[] }> {
  checkPdfBytes(pdf, { maxBytes: MAX_VERIFIED_PDF_BYTES });
  try {
    const rev = Revision.open(PdfFile.fromBytes(pdf));
    if (rev.trailer.has('Encrypt')) throw new DomainError('pdf_encrypted', 422);
    const dss = rev.dict(rev.catalog().get('DSS'));
    const streams = (key: string): Uint8Array[] =>
      (rev.array(dss?.get(key))?.toArray() ?? [])
        .map((item) => rev.resolve(item))
        .filter((s): s is PdfStream => s instanceof PdfStream)
        .map((s) => rev.decoded(s));
    return { certificates: streams('Certs'), crls: streams('CRLs') };
  } catch (error) {
    if (!(error instanceof PdfStructureError)) throw error;
    throw new DomainError('pdf_damaged', 422, {
      detail: auditRefusal('detail_pdf_validation_data_unreadable', { detail: error.message }),
    });
  }
}

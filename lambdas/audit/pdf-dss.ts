import { PdfArray, PdfDict, PdfRef, PdfStream } from '@libpdf/core';
import { loadPdf } from '../core/pdf/input';

/**
 * The validation data a PAdES B-LT revision carries in its Document Security Store: every certificate of
 * its signatures and timestamps, and the CRLs fetched when it was signed (so: as of signing time).
 */
export async function validationData(
  pdf: Uint8Array,
): Promise<{ certificates: Uint8Array[]; crls: Uint8Array[] }> {
  const doc = await loadPdf(pdf, { maxBytes: 256 * 1024 * 1024 });
  const registry = doc.context.registry;
  const resolve = (o: unknown) => (o instanceof PdfRef ? registry.resolve(o) : o);
  const dss = resolve(doc.getCatalog().get('DSS'));
  if (!(dss instanceof PdfDict)) return { certificates: [], crls: [] };
  const streams = (key: string): Uint8Array[] => {
    const arr = resolve(dss.get(key));
    if (!(arr instanceof PdfArray)) return [];
    return arr
      .toArray()
      .map(resolve)
      .filter((s): s is PdfStream => s instanceof PdfStream)
      .map((s) => s.getDecodedData());
  };
  return { certificates: streams('Certs'), crls: streams('CRLs') };
}

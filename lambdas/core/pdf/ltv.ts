import { PdfArray, PdfDict, PdfName, type PdfObject, PdfRef, PdfStream, PdfString } from '@libpdf/core';
import { parseSignedData, signatureTimestampToken } from '../cms/verify';
import { bytesEqual, sha256 } from '../pki/asn1';
import { allowIncrementalOnLinearized, loadPdf } from './input';

export interface ValidationDataInput {
  readonly pdf: Uint8Array;
  /** CRLs as of signing time for every issuer in the chains (the city CA publishes them). */
  readonly crls: readonly Uint8Array[];
  /** Certificates beyond those the signatures carry (e.g. roots). */
  readonly certificates?: readonly Uint8Array[];
  /** DER OCSP responses, if the deployment has them. */
  readonly ocsps?: readonly Uint8Array[];
  readonly maxBytes?: number;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(sha256(bytes)).toString('hex');
}

/**
 * PAdES B-LT: a /DSS in a new incremental update with every certificate of every signature and timestamp
 * (so chains can be built offline years later) and the CRLs as of signing time. Existing DSS entries are
 * kept; duplicates are not written twice. Add it after the last signature of a step: a signature added
 * later needs its own DSS update.
 */
export async function addValidationData(input: ValidationDataInput): Promise<Uint8Array> {
  const pdf = await loadPdf(input.pdf, { maxBytes: input.maxBytes });
  allowIncrementalOnLinearized(pdf);
  const registry = pdf.context.registry;
  const resolve = (o: PdfObject | undefined) =>
    o instanceof PdfRef ? (registry.resolve(o) ?? undefined) : o;

  const certs = new Map<string, Uint8Array>();
  const add = (map: Map<string, Uint8Array>, der: Uint8Array) => map.set(hex(der), der);
  for (const field of pdf.getForm()?.getSignatureFields() ?? []) {
    const contents = field.getSignatureDict()?.get('Contents');
    if (!(contents instanceof PdfString)) continue;
    try {
      const parsed = parseSignedData(contents.bytes);
      for (const c of parsed.certificates) add(certs, c.der);
      const token = signatureTimestampToken(parsed);
      if (token) for (const c of parseSignedData(token).certificates) add(certs, c.der);
    } catch {
      // A signature we cannot parse contributes nothing; the verifier reports it.
    }
  }
  for (const c of input.certificates ?? []) add(certs, c);
  const crls = new Map<string, Uint8Array>();
  for (const c of input.crls) add(crls, c);
  const ocsps = new Map<string, Uint8Array>();
  for (const o of input.ocsps ?? []) add(ocsps, o);

  const catalog = pdf.getCatalog();
  const existing = resolve(catalog.get('DSS'));
  const dss = existing instanceof PdfDict ? existing : PdfDict.of({ Type: PdfName.of('DSS') });
  const merge = (key: string, items: Map<string, Uint8Array>) => {
    if (items.size === 0) return;
    const current = resolve(dss.get(key));
    const array = current instanceof PdfArray ? current : new PdfArray([]);
    const present = array
      .toArray()
      .map((item) => resolve(item))
      .filter((s): s is PdfStream => s instanceof PdfStream)
      .map((s) => s.getDecodedData());
    for (const der of items.values()) {
      if (present.some((p) => bytesEqual(p, der))) continue;
      array.push(registry.register(PdfStream.fromDict({}, der)));
    }
    if (!(current instanceof PdfArray)) dss.set(key, array);
  };
  merge('Certs', certs);
  merge('CRLs', crls);
  merge('OCSPs', ocsps);
  if (!(existing instanceof PdfDict)) catalog.set('DSS', registry.register(dss));

  const out = await pdf.save({ incremental: true });
  if (out.length < input.pdf.length || !bytesEqual(out.subarray(0, input.pdf.length), input.pdf)) {
    throw new Error('libpdf did not write an incremental update');
  }
  return out;
}

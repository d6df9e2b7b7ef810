import { PdfArray, PdfDict, PdfName, PdfNumber, PdfRef, PdfStream, PdfString } from '@libpdf/core';
import { parseSignedData, signatureTimestampToken } from '../cms/verify';
import { DomainError } from '../errors';
import { fileSource, sequentialChunks, writeFileOrRemove } from '../io/source';
import { bytesEqual, sha256 } from '../pki/asn1';
import { type NewObject, objectsUpdate } from './incremental';
import { checkPdfBytes, checkPdfSource, withUpdate } from './input';
import { orDamaged, PdfStructureError } from './objects';
import { fieldType, PdfFile, Revision, terminalFields } from './reader';

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
  checkPdfBytes(input.pdf, { maxBytes: input.maxBytes });
  const update = await orDamaged(() => validationDataUpdate(PdfFile.fromBytes(input.pdf), input));
  return update ? withUpdate(input.pdf, update) : input.pdf;
}

/** Certificates carried by a signature's CMS and its timestamp token (nothing for an unreadable one). */
function signatureCertificates(contents: Uint8Array): Uint8Array[] {
  try {
    const parsed = parseSignedData(contents);
    const token = signatureTimestampToken(parsed);
    return [
      ...parsed.certificates.map((c) => c.der),
      ...(token ? parseSignedData(token).certificates.map((c) => c.der) : []),
    ];
  } catch {
    return [];
  }
}

/**
 * The DSS update: existing entries kept, nothing written twice, reading only the form's signature
 * dictionaries and the existing DSS. Undefined when there is nothing new to add (no empty revision).
 */
function validationDataUpdate(
  file: PdfFile,
  input: Omit<ValidationDataInput, 'pdf'>,
): Uint8Array | undefined {
  const rev = Revision.open(file);
  if (rev.trailer.has('Encrypt')) throw new DomainError('pdf_encrypted', 422);
  const catalogRef = rev.trailer.get('Root');
  if (!(catalogRef instanceof PdfRef)) throw new PdfStructureError('no catalog reference');
  const catalog = rev.catalog();
  const count = rev.resolve(rev.dict(catalog.get('Pages'))?.get('Count'));
  if (!(count instanceof PdfNumber) || count.value <= 0) throw new PdfStructureError('no page count');

  const certs = new Map<string, Uint8Array>();
  const add = (map: Map<string, Uint8Array>, der: Uint8Array) => map.set(hex(der), der);
  for (const field of terminalFields(rev, catalog)) {
    if (fieldType(rev, field.dict) !== 'Sig') continue;
    const contents = rev.dict(field.dict.get('V'))?.get('Contents');
    if (contents instanceof PdfString)
      for (const der of signatureCertificates(contents.bytes)) add(certs, der);
  }
  for (const c of input.certificates ?? []) add(certs, c);
  const crls = new Map<string, Uint8Array>();
  for (const c of input.crls) add(crls, c);
  const ocsps = new Map<string, Uint8Array>();
  for (const o of input.ocsps ?? []) add(ocsps, o);

  let next = rev.size;
  const objects = new Map<number, NewObject>();
  const put = (object: NewObject) => objects.set(object.ref.objectNumber, object);
  const dssRaw = catalog.get('DSS');
  const existing = rev.dict(dssRaw);
  const dss = existing ? new PdfDict([...existing]) : PdfDict.of({ Type: PdfName.of('DSS') });
  let dssChanged = existing === undefined;
  for (const [key, items] of [
    ['Certs', certs],
    ['CRLs', crls],
    ['OCSPs', ocsps],
  ] as const) {
    if (items.size === 0) continue;
    const raw = dss.get(key);
    const current = rev.array(raw);
    const present = (current?.toArray() ?? [])
      .map((item) => rev.resolve(item))
      .filter((s): s is PdfStream => s instanceof PdfStream)
      .map((s) => rev.decoded(s));
    const added = [...items.values()].filter((der) => !present.some((p) => bytesEqual(p, der)));
    if (added.length === 0) continue;
    const refs = added.map((der) => {
      const ref = PdfRef.of(next++, 0);
      put({ ref, value: new PdfDict(), data: der });
      return ref;
    });
    const array = new PdfArray([...(current?.toArray() ?? []), ...refs]);
    if (raw instanceof PdfRef && current) put({ ref: raw, value: array });
    else {
      dss.set(key, array);
      dssChanged = true;
    }
  }
  if (!dssChanged && objects.size === 0) return undefined;
  if (dssChanged) {
    if (dssRaw instanceof PdfRef && existing) put({ ref: dssRaw, value: dss });
    else {
      const newCatalog = new PdfDict([...catalog]);
      if (existing) newCatalog.set('DSS', dss);
      else {
        const ref = PdfRef.of(next++, 0);
        put({ ref, value: dss });
        newCatalog.set('DSS', ref);
      }
      put({ ref: catalogRef, value: newCatalog });
    }
  }
  return objectsUpdate(rev, next, objects);
}

/**
 * `addValidationData` from a file to a file: the original is copied through in 1 MiB chunks and only the
 * update is built in memory.
 */
export async function addValidationDataFile(
  input: Omit<ValidationDataInput, 'pdf'> & { readonly input: string; readonly output: string },
): Promise<{ size: number }> {
  const source = await fileSource(input.input);
  try {
    await checkPdfSource(source, { maxBytes: input.maxBytes });
    const update = await orDamaged(() => validationDataUpdate(PdfFile.fromSource(source), input));
    await writeFileOrRemove(input.output, async (out) => {
      for await (const chunk of sequentialChunks(source)) await out.write(chunk);
      if (update) await out.write(update);
    });
    return { size: source.size + (update?.length ?? 0) };
  } finally {
    await source.close();
  }
}

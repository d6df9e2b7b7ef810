import { open, readFile, rm, writeFile } from 'node:fs/promises';
import {
  PdfArray,
  PdfDict,
  PdfName,
  PdfNumber,
  type PdfObject,
  PdfRef,
  PdfStream,
  PdfString,
} from '@libpdf/core';
import { parseSignedData, signatureTimestampToken } from '../cms/verify';
import { DomainError } from '../errors';
import { bytesEqual, sha256 } from '../pki/asn1';
import { type NewObject, objectsUpdate } from './incremental';
import {
  allowIncrementalOnLinearized,
  checkPdfBytes,
  checkPdfEnds,
  DEFAULT_MAX_PDF_BYTES,
  loadPdf,
  withUpdate,
} from './input';
import { PdfStructureError } from './objects';
import { fieldType, PdfFile, Revision, terminalFields } from './reader';
import { STREAMED_SIGNING_THRESHOLD } from './sign';
import { fileSource, sequentialChunks } from './source';

export interface ValidationDataInput {
  readonly pdf: Uint8Array;
  /** CRLs as of signing time for every issuer in the chains (the city CA publishes them). */
  readonly crls: readonly Uint8Array[];
  /** Certificates beyond those the signatures carry (e.g. roots). */
  readonly certificates?: readonly Uint8Array[];
  /** DER OCSP responses, if the deployment has them. */
  readonly ocsps?: readonly Uint8Array[];
  readonly maxBytes?: number;
  /** As for `signPdf`: 'auto' (default) uses the streamed writer from STREAMED_SIGNING_THRESHOLD bytes. */
  readonly writer?: 'auto' | 'streamed' | 'libpdf';
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
  const writer = input.writer ?? 'auto';
  if (writer === 'streamed' || (writer === 'auto' && input.pdf.length >= STREAMED_SIGNING_THRESHOLD)) {
    checkPdfBytes(input.pdf, { maxBytes: input.maxBytes });
    try {
      const update = validationDataUpdate(PdfFile.fromBytes(input.pdf), input);
      return update ? withUpdate(input.pdf, update) : input.pdf;
    } catch (error) {
      if (!(error instanceof PdfStructureError) || writer === 'streamed') throw error;
    }
  }
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
 * The DSS update for the streamed writer: the same merge as `addValidationData` (existing entries kept,
 * nothing written twice), reading only the form's signature dictionaries and the existing DSS. Undefined
 * when there is nothing new to add (the libpdf writer appends an empty revision then; this one does not).
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
 * `addValidationData` from a file to a file: from STREAMED_SIGNING_THRESHOLD bytes (or with `writer:
 * 'streamed'`) the original is copied through in 1 MiB chunks and only the update is built in memory.
 */
export async function addValidationDataFile(
  input: Omit<ValidationDataInput, 'pdf'> & { readonly input: string; readonly output: string },
): Promise<{ size: number; writer: 'streamed' | 'libpdf' }> {
  const writer = input.writer ?? 'auto';
  const maxBytes = input.maxBytes ?? DEFAULT_MAX_PDF_BYTES;
  const source = await fileSource(input.input);
  try {
    if (source.size > maxBytes)
      throw new DomainError('file_too_large', 413, { size: source.size, limit: maxBytes });
    const readSync = source.readSync?.bind(source);
    if (
      readSync &&
      (writer === 'streamed' || (writer === 'auto' && source.size >= STREAMED_SIGNING_THRESHOLD))
    ) {
      checkPdfEnds(
        source.size,
        await source.read(0, 1024),
        await source.read(Math.max(0, source.size - 1024), 1024),
        { maxBytes },
      );
      let update: Uint8Array | undefined;
      let planned = false;
      try {
        update = validationDataUpdate(new PdfFile({ size: source.size, readSync }), input);
        planned = true;
      } catch (error) {
        if (!(error instanceof PdfStructureError) || writer === 'streamed') throw error;
      }
      if (planned) {
        const out = await open(input.output, 'w');
        try {
          for await (const chunk of sequentialChunks(source)) await out.write(chunk);
          if (update) await out.write(update);
          await out.close();
        } catch (error) {
          await out.close();
          await rm(input.output, { force: true });
          throw error;
        }
        return { size: source.size + (update?.length ?? 0), writer: 'streamed' };
      }
    }
  } finally {
    await source.close();
  }
  const { input: path, output, ...rest } = input;
  const out = await addValidationData({
    ...rest,
    pdf: new Uint8Array(await readFile(path)),
    writer: 'libpdf',
  });
  await writeFile(output, out);
  return { size: out.length, writer: 'libpdf' };
}

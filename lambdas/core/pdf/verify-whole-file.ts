import { createHash } from 'node:crypto';
import { PDF, PdfArray, PdfDict, type PdfObject, PdfRef, PdfStream } from '@libpdf/core';
import {
  type Change,
  compareRevisions,
  type RevisionObjects,
  revisionEnds,
  TRIM_WHITESPACE,
  trailingData,
} from './changes';
import { checkPdfBytes, loadPdf } from './input';
import type { DocumentView, SignatureEntry, WholeFileParser } from './verify';

/*
 * The verifier's fallback for files the lazy reader (reader.ts) cannot follow (damaged xref, page tree
 * without /Count): libpdf parses the whole file in memory. A module of its own because libpdf's `PDF`
 * class costs ~450 KiB minified and esbuild cannot drop its methods: only callers that import this module
 * (the auditors' CLI, tests) carry it; the Lambda bundles do not, and refuse such files as `pdf_damaged`.
 */

/** A revision loaded whole by libpdf. */
class LibpdfObjects implements RevisionObjects {
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

  get catalogRef(): PdfRef | undefined {
    return this.pdf.context.info.trailer.getRef('Root');
  }

  catalog(): PdfDict | undefined {
    return this.pdf.getCatalog();
  }

  get maxObjectNumber(): number {
    return this.pdf.context.registry.nextObjectNumber;
  }

  streamDigest(stream: PdfStream): string {
    return createHash('sha256').update(stream.data).digest('hex');
  }
}

/**
 * What the updates after `revisionEnd` changed, comparing every object of the signed revision with its
 * state in the final one, both parsed whole by libpdf.
 */
async function changesAfter(bytes: Uint8Array, revisionEnd: number): Promise<Change[]> {
  const ends = revisionEnds(bytes);
  const lastEnd = ends[ends.length - 1] ?? 0;
  const tail = bytes.subarray(Math.max(lastEnd, revisionEnd));
  const changes = trailingData(
    tail.length,
    tail.every((b) => TRIM_WHITESPACE.has(b)),
  );
  if (lastEnd <= revisionEnd) return changes;

  let before: LibpdfObjects;
  let after: LibpdfObjects;
  try {
    before = new LibpdfObjects(await PDF.load(bytes.subarray(0, revisionEnd)));
    after = new LibpdfObjects(await PDF.load(bytes.subarray(0, lastEnd)));
  } catch (error) {
    return [
      ...changes,
      { category: 'document-structure', detail: `later revision unreadable: ${String(error)}` },
    ];
  }
  const max = Math.max(before.maxObjectNumber, after.maxObjectNumber);
  const candidates = Array.from({ length: Math.max(0, max - 1) }, (_, i) => i + 1);
  return [...changes, ...compareRevisions(before, after, candidates)];
}

function streamsOf(dss: PdfDict, key: string, resolve: (o: PdfRef) => unknown): Uint8Array[] {
  const raw = dss.get(key);
  const arr = raw instanceof PdfRef ? resolve(raw) : raw;
  if (!(arr instanceof PdfArray)) return [];
  return arr
    .toArray()
    .map((item) => (item instanceof PdfRef ? resolve(item) : item))
    .filter((s): s is PdfStream => s instanceof PdfStream)
    .map((s) => s.getDecodedData());
}

/** The whole file parsed in memory by libpdf: signatures, DSS, and the change analysis by libpdf too. */
async function view(bytes: Uint8Array, maxBytes: number): Promise<DocumentView> {
  checkPdfBytes(bytes, { maxBytes });
  const pdf = await loadPdf(bytes, { maxBytes });
  const registry = pdf.context.registry;
  const resolve = (ref: PdfRef) => registry.resolve(ref);
  const dssRaw = pdf.getCatalog().get('DSS');
  const dss = dssRaw instanceof PdfRef ? resolve(dssRaw) : dssRaw;
  const signatures: SignatureEntry[] = [];
  for (const field of (pdf.getForm()?.getSignatureFields() ?? []).filter((f) => f.isSigned())) {
    const sig = field.getSignatureDict();
    if (sig) signatures.push({ fieldName: field.name, sig });
  }
  return {
    signatures,
    dssCerts: dss instanceof PdfDict ? streamsOf(dss, 'Certs', resolve) : [],
    dssCrls: dss instanceof PdfDict ? streamsOf(dss, 'CRLs', resolve) : [],
    changesAfter: (revisionEnd) => changesAfter(bytes, revisionEnd),
  };
}

/** libpdf's whole-file parse, for `verifyPdf(…, { wholeFile: wholeFileParser })`. */
export const wholeFileParser: WholeFileParser = { view, changesAfter };

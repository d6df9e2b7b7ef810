import { open, readFile, rm, writeFile } from 'node:fs/promises';
import { PDF, PdfArray, PdfDict, PdfName, PdfNumber, type PdfObject, PdfRef, PdfString } from '@libpdf/core';
import * as z from 'zod';
import { createSignedData, type TimestampProvider } from '../cms/signed-data';
import { DomainError } from '../errors';
import { bytesEqual, sha256 } from '../pki/asn1';
import type { DigestSigner } from '../ports/signer';
import { buildAppearance, fontSetFor, resolvePlacement, WidgetSchema } from './appearance';
import { type AppearanceFonts, defaultAppearanceFonts } from './fonts';
import {
  APPEARANCE_KEY,
  appendSignatureStreamed,
  planSignatureUpdate,
  type StreamedSlot,
  type UpdatePlan,
} from './incremental';
import {
  allowIncrementalOnLinearized,
  checkPdfBytes,
  checkPdfEnds,
  DEFAULT_MAX_PDF_BYTES,
  loadPdf,
  withUpdate,
} from './input';
import { PdfStructureError } from './objects';
import { PdfFile } from './reader';
import { assertMaySign, type RevocationCheck } from './signing-checks';
import { bytesSource, fileSource } from './source';

export const SignatureKindSchema = z.enum(['personal', 'organisation', 'acknowledgement']);

export const PadesOptionsSchema = z.object({
  reason: z.string().min(1).max(500),
  location: z.string().max(200).optional(),
  /** The claimed signing time, written to /M (PAdES puts no signing-time in the CMS). */
  signingTime: z.date(),
  /** Signing capacity (D30 Art.13: "KT.", "TM.", "TL.", …), kept in the signature dictionary. */
  capacity: z.string().max(80).optional(),
  kind: SignatureKindSchema.default('personal'),
  fieldName: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/)
    .optional(),
  /** Where and how the signature shows on the page; absent: an invisible signature. */
  appearance: WidgetSchema.optional(),
  maxBytes: z.number().int().positive().optional(),
  /**
   * How the update is written. 'auto' (default): files of STREAMED_SIGNING_THRESHOLD bytes or more go
   * through the streamed writer (constant memory; falls back to libpdf for files it cannot follow),
   * smaller ones through libpdf; 'streamed' / 'libpdf' force one. Both write the same objects and the same
   * appearance (drawn by `buildAppearance`).
   */
  writer: z.enum(['auto', 'streamed', 'libpdf']).default('auto'),
});
export type PadesOptions = z.input<typeof PadesOptionsSchema>;

export interface PadesSignInput extends PadesOptions {
  readonly pdf: Uint8Array;
  readonly signer: DigestSigner;
  /** Signer's certificate first, then issuers up to (optionally) the root. */
  readonly certificateChain: readonly Uint8Array[];
  /** Makes the signature B-T (signature timestamp as unsigned attribute). */
  readonly timestamp?: TimestampProvider;
  readonly revocation: RevocationCheck;
  readonly fonts?: AppearanceFonts;
}

/** Custom signature dictionary entries (second-class names, ignored by other readers). */
export const DOCFLOW_CAPACITY_KEY = 'DocflowCapacity';
export const DOCFLOW_KIND_KEY = 'DocflowKind';

const BYTE_RANGE_PLACEHOLDER = 9_999_999_999;
const encoder = new TextEncoder();

/** PDF date in Vietnam time (UTC+7, no daylight saving): D:YYYYMMDDHHmmSS+07'00'. */
export function pdfDateVietnam(date: Date): string {
  const local = new Date(date.getTime() + 7 * 3600_000);
  const p = (v: number, width = 2) => String(v).padStart(width, '0');
  return `D:${p(local.getUTCFullYear(), 4)}${p(local.getUTCMonth() + 1)}${p(local.getUTCDate())}${p(
    local.getUTCHours(),
  )}${p(local.getUTCMinutes())}${p(local.getUTCSeconds())}+07'00'`;
}

function addToPageAnnots(pdf: PDF, pageDict: PdfDict, ref: PdfRef): void {
  const current = pageDict.get('Annots');
  if (current instanceof PdfRef) {
    const resolved = pdf.context.registry.resolve(current);
    if (resolved instanceof PdfArray) {
      resolved.push(ref);
      return;
    }
  }
  if (current instanceof PdfArray) {
    current.push(ref);
    return;
  }
  pageDict.set('Annots', new PdfArray([ref]));
}

/** From this size on, signatures are written by the streamed writer (see `writer`). */
export const STREAMED_SIGNING_THRESHOLD = 8 * 1024 * 1024;

interface SignatureSlot {
  readonly pdf: Uint8Array;
  readonly maxBytes: number | undefined;
  readonly writer: 'auto' | 'streamed' | 'libpdf';
  readonly fieldName: string;
  /** Entries of the signature dictionary besides ByteRange and Contents. */
  readonly entries: Record<string, PdfObject>;
  readonly appearance: z.output<typeof WidgetSchema> | undefined;
  readonly fonts: AppearanceFonts | undefined;
}

/** Builds the incremental update with ByteRange and Contents placeholders. */
async function prepare(slot: SignatureSlot, contentsBytes: number): Promise<Uint8Array> {
  const pdf = await loadPdf(slot.pdf, { maxBytes: slot.maxBytes });
  allowIncrementalOnLinearized(pdf);
  const blocker = pdf.canSaveIncrementally();
  if (blocker)
    throw new DomainError('pdf_damaged', 422, { detail: `cannot append to this file (${blocker})` });

  const registry = pdf.context.registry;
  const sigDict = PdfDict.of({
    ...slot.entries,
    ByteRange: new PdfArray(
      [0, BYTE_RANGE_PLACEHOLDER, BYTE_RANGE_PLACEHOLDER, BYTE_RANGE_PLACEHOLDER].map((v) => PdfNumber.of(v)),
    ),
    Contents: new PdfString(new Uint8Array(contentsBytes), 'hex'),
  });
  const sigRef = registry.register(sigDict);

  const form = pdf.getOrCreateForm();
  const existingNames = new Set(form.getFieldNames());
  let fieldName = slot.fieldName;
  for (let i = 2; existingNames.has(fieldName); i++) fieldName = `${slot.fieldName}-${i}`;
  const field = form.createSignatureField(fieldName);
  const fieldDict = field.getDict();
  const fieldRef = field.getRef();
  if (!fieldRef) throw new Error('libpdf created a signature field without a reference');
  fieldDict.set('V', sigRef);
  fieldDict.delete('Kids');

  // One widget, merged into the field dictionary: poppler (and Acrobat) treat each widget of a multi-widget
  // signature field as a separate, unsigned signature, so a signature has exactly one place on the page.
  const widget = slot.appearance;
  const pageIndex = widget?.placement.page ?? 0;
  const page = pdf.getPage(pageIndex);
  if (!page) throw new DomainError('pdf_page_not_found', 422, { page: pageIndex + 1 });
  const box = page.getMediaBox();
  let rect = [0, 0, 0, 0];
  if (widget) {
    const fontSet = fontSetFor(pdf, slot.fonts ?? (await defaultAppearanceFonts()));
    const placed = resolvePlacement(widget.placement, box.width, box.height);
    fieldDict.set('AP', PdfDict.of({ N: buildAppearance(pdf, fontSet, placed, widget.visual) }));
    rect = [
      box.x + placed.x,
      box.y + placed.y,
      box.x + placed.x + placed.width,
      box.y + placed.y + placed.height,
    ];
  }
  fieldDict.set('Type', PdfName.of('Annot'));
  fieldDict.set('Subtype', PdfName.of('Widget'));
  // Print + Locked: shown when printed, not movable by viewers.
  fieldDict.set('F', PdfNumber.of(132));
  fieldDict.set('P', page.ref);
  fieldDict.set('Rect', new PdfArray(rect.map((v) => PdfNumber.of(v))));
  addToPageAnnots(pdf, page.dict, fieldRef);

  const bytes = await pdf.save({ incremental: true, subsetFonts: true });
  // The update must append to the original bytes, or earlier signatures would break.
  if (bytes.length <= slot.pdf.length || !bytesEqual(bytes.subarray(0, slot.pdf.length), slot.pdf)) {
    throw new Error('libpdf did not write an incremental update');
  }
  return bytes;
}

function locatePlaceholders(
  bytes: Uint8Array,
  from: number,
  contentsBytes: number,
): { contentsStart: number; contentsEnd: number; byteRangeStart: number; byteRangeEnd: number } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const contentsNeedle = `<${'0'.repeat(contentsBytes * 2)}>`;
  const contentsStart = buf.indexOf(contentsNeedle, from, 'latin1');
  const marker = buf.indexOf(
    `${BYTE_RANGE_PLACEHOLDER} ${BYTE_RANGE_PLACEHOLDER} ${BYTE_RANGE_PLACEHOLDER}`,
    from,
    'latin1',
  );
  if (contentsStart < 0 || marker < 0) throw new Error('signature placeholders not found in the update');
  const byteRangeStart = buf.lastIndexOf('[', marker, 'latin1');
  const byteRangeEnd = buf.indexOf(']', marker, 'latin1') + 1;
  return { contentsStart, contentsEnd: contentsStart + contentsNeedle.length, byteRangeStart, byteRangeEnd };
}

function streamedWriterFor(writer: 'auto' | 'streamed' | 'libpdf', size: number): boolean {
  return writer === 'streamed' || (writer === 'auto' && size >= STREAMED_SIGNING_THRESHOLD);
}

/**
 * The slot for the streamed writer. A visible appearance is drawn by the same code as on the libpdf path,
 * into a one-page scratch PDF (fonts subset there), and the writer copies its objects into the update.
 */
function streamedSlot(
  slot: Pick<SignatureSlot, 'fieldName' | 'entries' | 'appearance' | 'fonts'>,
): StreamedSlot {
  const widget = slot.appearance;
  if (!widget) return { fieldName: slot.fieldName, entries: slot.entries, pageIndex: 0 };
  return {
    fieldName: slot.fieldName,
    entries: slot.entries,
    pageIndex: widget.placement.page ?? 0,
    appearance: async (box) => {
      const scratch = PDF.create();
      scratch.addPage({ width: box.width, height: box.height });
      const fontSet = fontSetFor(scratch, slot.fonts ?? (await defaultAppearanceFonts()));
      const placed = resolvePlacement(widget.placement, box.width, box.height);
      scratch.getCatalog().set(APPEARANCE_KEY, buildAppearance(scratch, fontSet, placed, widget.visual));
      return {
        pdf: await scratch.save({ subsetFonts: true }),
        rect: [
          box.x + placed.x,
          box.y + placed.y,
          box.x + placed.x + placed.width,
          box.y + placed.y + placed.height,
        ],
      };
    },
  };
}

/**
 * Writes the update, fixes the ByteRange, hashes the covered bytes (SHA-256) and fills /Contents with what
 * `contentsFor` makes of that digest (a CMS signature or a timestamp token). Grows the placeholder once if
 * the estimate was short.
 */
async function appendSignature(
  slot: SignatureSlot,
  estimate: number,
  contentsFor: (digest: Uint8Array) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  if (streamedWriterFor(slot.writer, slot.pdf.length)) {
    checkPdfBytes(slot.pdf, { maxBytes: slot.maxBytes });
    let plan: UpdatePlan | undefined;
    try {
      plan = await planSignatureUpdate(PdfFile.fromBytes(slot.pdf), streamedSlot(slot));
    } catch (error) {
      if (!(error instanceof PdfStructureError) || slot.writer === 'streamed') throw error;
    }
    if (plan) {
      const update = await appendSignatureStreamed({
        plan,
        original: bytesSource(slot.pdf),
        estimate,
        contentsFor,
      });
      return withUpdate(slot.pdf, update);
    }
  }
  let contentsBytes = estimate;
  for (let attempt = 0; attempt < 2; attempt++) {
    const bytes = await prepare(slot, contentsBytes);
    const located = locatePlaceholders(bytes, slot.pdf.length, contentsBytes);
    const { contentsStart, contentsEnd } = located;
    const rangeText = `[${[0, contentsStart, contentsEnd, bytes.length - contentsEnd].join(' ')}]`;
    const width = located.byteRangeEnd - located.byteRangeStart;
    if (rangeText.length > width) throw new Error('ByteRange placeholder too small');
    bytes.set(encoder.encode(`${rangeText.slice(0, -1).padEnd(width - 1, ' ')}]`), located.byteRangeStart);

    const contents = await contentsFor(sha256(bytes.subarray(0, contentsStart), bytes.subarray(contentsEnd)));
    if (contents.length > contentsBytes) {
      contentsBytes = contents.length + 2048;
      continue;
    }
    const hexContents = Buffer.from(contents)
      .toString('hex')
      .toUpperCase()
      .padEnd(contentsBytes * 2, '0');
    bytes.set(encoder.encode(hexContents), contentsStart + 1);
    return bytes;
  }
  throw new Error('the signature did not fit its placeholder');
}

/** What a PAdES signature writes, whatever the writer: dictionary entries, room and the CMS maker. */
async function padesParts(input: Omit<PadesSignInput, 'pdf'>) {
  const options = PadesOptionsSchema.parse(input);
  const leaf = await assertMaySign({
    signer: input.signer,
    certificateChain: input.certificateChain,
    signingTime: options.signingTime,
    revocation: input.revocation,
  });
  const entries: Record<string, PdfObject> = {
    Type: PdfName.of('Sig'),
    Filter: PdfName.of('Adobe.PPKLite'),
    SubFilter: PdfName.of('ETSI.CAdES.detached'),
    M: PdfString.fromString(pdfDateVietnam(options.signingTime)),
    Name: PdfString.fromString(leaf.subject.commonName),
    Reason: PdfString.fromString(options.reason),
    [DOCFLOW_KIND_KEY]: PdfName.of(options.kind),
  };
  if (options.location) entries.Location = PdfString.fromString(options.location);
  if (options.capacity) entries[DOCFLOW_CAPACITY_KEY] = PdfString.fromString(options.capacity);
  const chainBytes = input.certificateChain.reduce((sum, c) => sum + c.length, 0);
  return {
    options,
    entries,
    fieldName: options.fieldName ?? `docflow-${options.kind}`,
    // Room for the chain, the signer info and, for B-T, a token carrying the TSA's own chain.
    estimate: chainBytes + 3000 + (input.timestamp ? chainBytes + 6000 : 0),
    contentsFor: (digest: Uint8Array) =>
      createSignedData({
        signer: input.signer,
        certificateChain: input.certificateChain,
        contentDigest: digest,
        ...(input.timestamp ? { timestamp: input.timestamp } : {}),
      }),
  };
}

/**
 * Signs a PDF as PAdES (ETSI.CAdES.detached) in a new incremental update: B-B, or B-T with `timestamp`.
 * Earlier signatures stay valid. The certificate is checked (key, validity, revocation) before signing.
 */
export async function signPdf(input: PadesSignInput): Promise<Uint8Array> {
  const { options, entries, fieldName, estimate, contentsFor } = await padesParts(input);
  return appendSignature(
    {
      pdf: input.pdf,
      maxBytes: options.maxBytes,
      writer: options.writer,
      fieldName,
      entries,
      appearance: options.appearance,
      fonts: input.fonts,
    },
    estimate,
    contentsFor,
  );
}

export interface PadesFileSignInput extends Omit<PadesSignInput, 'pdf'> {
  /** Path of the PDF to sign. */
  readonly input: string;
  /** Where the signed PDF is written (replaced; removed again if signing fails). */
  readonly output: string;
}

/**
 * `signPdf` from a file to a file. From STREAMED_SIGNING_THRESHOLD bytes on (or with `writer: 'streamed'`)
 * the original is never held in memory: it is read once, 1 MiB at a time, hashed and copied to `output`,
 * and only the update is built in memory. Smaller files are signed in memory by `signPdf`.
 */
export async function signPdfFile(
  input: PadesFileSignInput,
): Promise<{ size: number; writer: 'streamed' | 'libpdf' }> {
  const { options, entries, fieldName, estimate, contentsFor } = await padesParts(input);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_PDF_BYTES;
  const source = await fileSource(input.input);
  try {
    if (source.size > maxBytes)
      throw new DomainError('file_too_large', 413, { size: source.size, limit: maxBytes });
    const readSync = source.readSync?.bind(source);
    if (readSync && streamedWriterFor(options.writer, source.size)) {
      checkPdfEnds(
        source.size,
        await source.read(0, 1024),
        await source.read(Math.max(0, source.size - 1024), 1024),
        { maxBytes },
      );
      let plan: UpdatePlan | undefined;
      try {
        plan = await planSignatureUpdate(
          new PdfFile({ size: source.size, readSync }),
          streamedSlot({ fieldName, entries, appearance: options.appearance, fonts: input.fonts }),
        );
      } catch (error) {
        if (!(error instanceof PdfStructureError) || options.writer === 'streamed') throw error;
      }
      if (plan) {
        const out = await open(input.output, 'w');
        try {
          const update = await appendSignatureStreamed({
            plan,
            original: source,
            estimate,
            contentsFor,
            sink: async (chunk) => {
              await out.write(chunk);
            },
          });
          await out.close();
          return { size: source.size + update.length, writer: 'streamed' };
        } catch (error) {
          await out.close();
          await rm(input.output, { force: true });
          throw error;
        }
      }
    }
  } finally {
    await source.close();
  }
  const { input: path, output, ...rest } = input;
  const signed = await signPdf({ ...rest, pdf: new Uint8Array(await readFile(path)), writer: 'libpdf' });
  await writeFile(output, signed);
  return { size: signed.length, writer: 'libpdf' };
}

/**
 * Adds a document timestamp (/DocTimeStamp, ETSI.RFC3161) over the whole file as it is: the archival step
 * of PAdES B-LTA, after validation data was added.
 */
export async function timestampPdf(input: {
  pdf: Uint8Array;
  timestamp: TimestampProvider;
  maxBytes?: number;
}): Promise<Uint8Array> {
  return appendSignature(
    {
      pdf: input.pdf,
      maxBytes: input.maxBytes,
      writer: 'auto',
      fieldName: 'docflow-timestamp',
      entries: {
        Type: PdfName.of('DocTimeStamp'),
        Filter: PdfName.of('Adobe.PPKLite'),
        SubFilter: PdfName.of('ETSI.RFC3161'),
      },
      appearance: undefined,
      fonts: undefined,
    },
    16_384,
    input.timestamp,
  );
}

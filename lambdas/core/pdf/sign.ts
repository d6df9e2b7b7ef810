import { PdfName, type PdfObject, PdfString } from '@libpdf/core';
import * as z from 'zod';
import { createSignedData, type TimestampProvider } from '../cms/signed-data';
import { bytesSource, fileSource, writeFileOrRemove } from '../io/source';
import { assertMaySign, type RevocationCheck } from '../pki/signing-checks';
import type { DigestSigner } from '../ports/signer';
import { AppearanceWriter, resolvePlacement, WidgetSchema } from './appearance';
import { type AppearanceFonts, defaultAppearanceFonts } from './fonts';
import {
  appendSignatureStreamed,
  type PageBox,
  planSignatureUpdate,
  type StreamedSlot,
  type WidgetAppearance,
} from './incremental';
import { checkPdfBytes, checkPdfSource, withUpdate } from './input';
import type { ObjectAllocator } from './new-objects';
import { orDamaged } from './objects';
import { PdfFile } from './reader';
import { DOCFLOW_CAPACITY_KEY, DOCFLOW_DELEGATION_KEY, DOCFLOW_KIND_KEY } from './signature-keys';

export const SignatureKindSchema = z.enum(['personal', 'organisation', 'acknowledgement']);

export const PadesOptionsSchema = z.object({
  reason: z.string().min(1).max(500),
  location: z.string().max(200).optional(),
  /** The claimed signing time, written to /M (PAdES puts no signing-time in the CMS). */
  signingTime: z.date(),
  /** Signing capacity (D30 Art.13: "KT.", "TM.", "TL.", …), kept in the signature dictionary. */
  capacity: z.string().max(80).optional(),
  /**
   * The TL./TUQ. delegation the capacity relies on, as JSON (core/pdf/verify.ts reads it back): who gave it,
   * to whom, on which basis, for how long. Kept in the signature dictionary, so the signature covers it.
   */
  delegation: z.string().max(2000).optional(),
  kind: SignatureKindSchema.default('personal'),
  fieldName: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/)
    .optional(),
  /** Where and how the signature shows on the page; absent: an invisible signature. */
  appearance: WidgetSchema.optional(),
  /**
   * More visible widgets of the same signature field (needs `appearance`): what docflow shows on a draft
   * that arrived signed (the issuing number and date), where a new text field would be a change the earlier
   * signature does not permit.
   */
  extraWidgets: z.array(WidgetSchema).max(4).optional(),
  maxBytes: z.number().int().positive().optional(),
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

export {
  delegationRecord,
  type SignatureDelegation,
  signatureDelegationSchema,
} from './signature-delegation';
export { DOCFLOW_CAPACITY_KEY, DOCFLOW_DELEGATION_KEY, DOCFLOW_KIND_KEY } from './signature-keys';

/** PDF date in Vietnam time (UTC+7, no daylight saving): D:YYYYMMDDHHmmSS+07'00'. */
export function pdfDateVietnam(date: Date): string {
  const local = new Date(date.getTime() + 7 * 3600_000);
  const p = (v: number, width = 2) => String(v).padStart(width, '0');
  return `D:${p(local.getUTCFullYear(), 4)}${p(local.getUTCMonth() + 1)}${p(local.getUTCDate())}${p(
    local.getUTCHours(),
  )}${p(local.getUTCMinutes())}${p(local.getUTCSeconds())}+07'00'`;
}

interface SignatureSlot {
  readonly pdf: Uint8Array;
  readonly maxBytes: number | undefined;
  readonly fieldName: string;
  /** Entries of the signature dictionary besides ByteRange and Contents. */
  readonly entries: Record<string, PdfObject>;
  readonly appearance: z.output<typeof WidgetSchema> | undefined;
  readonly extraWidgets?: readonly z.output<typeof WidgetSchema>[] | undefined;
  readonly fonts: AppearanceFonts | undefined;
}

/**
 * What the writer needs of a signature: its dictionary entries and, for a visible one, the appearance,
 * drawn as new objects of the update once the page's box is known.
 */
function streamedSlot(
  slot: Pick<SignatureSlot, 'fieldName' | 'entries' | 'appearance' | 'extraWidgets' | 'fonts'>,
): StreamedSlot {
  const widget = slot.appearance;
  if (!widget) return { fieldName: slot.fieldName, entries: slot.entries, pageIndex: 0 };
  const drawn =
    (spec: z.output<typeof WidgetSchema>) =>
    async (box: PageBox, objects: ObjectAllocator): Promise<WidgetAppearance> => {
      const writer = new AppearanceWriter(objects, slot.fonts ?? (await defaultAppearanceFonts()));
      const placed = resolvePlacement(spec.placement, box.width, box.height);
      const ref = writer.draw({ ...placed, rotate: box.rotate ?? 0 }, spec.visual);
      writer.finish();
      return {
        ref,
        rect: [
          box.x + placed.x,
          box.y + placed.y,
          box.x + placed.x + placed.width,
          box.y + placed.y + placed.height,
        ],
      };
    };
  return {
    fieldName: slot.fieldName,
    entries: slot.entries,
    pageIndex: widget.placement.page ?? 0,
    appearance: drawn(widget),
    ...(slot.extraWidgets?.length
      ? {
          extraWidgets: slot.extraWidgets.map((w) => ({
            pageIndex: w.placement.page ?? 0,
            appearance: drawn(w),
          })),
        }
      : {}),
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
  checkPdfBytes(slot.pdf, { maxBytes: slot.maxBytes });
  const plan = await orDamaged(() => planSignatureUpdate(PdfFile.fromBytes(slot.pdf), streamedSlot(slot)));
  const update = await appendSignatureStreamed({
    plan,
    original: bytesSource(slot.pdf),
    estimate,
    contentsFor,
  });
  return withUpdate(slot.pdf, update);
}

/** What a PAdES signature writes: dictionary entries, room and the CMS maker. */
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
  if (options.delegation) entries[DOCFLOW_DELEGATION_KEY] = PdfString.fromString(options.delegation);
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
      fieldName,
      entries,
      appearance: options.appearance,
      extraWidgets: options.extraWidgets,
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
 * `signPdf` from a file to a file, without holding the original in memory: it is read once, 1 MiB at a
 * time, hashed and copied to `output`, and only the update is built in memory.
 */
export async function signPdfFile(input: PadesFileSignInput): Promise<{ size: number }> {
  const { options, entries, fieldName, estimate, contentsFor } = await padesParts(input);
  const source = await fileSource(input.input);
  try {
    await checkPdfSource(source, { maxBytes: options.maxBytes });
    const plan = await orDamaged(() =>
      planSignatureUpdate(
        PdfFile.fromSource(source),
        streamedSlot({
          fieldName,
          entries,
          appearance: options.appearance,
          extraWidgets: options.extraWidgets,
          fonts: input.fonts,
        }),
      ),
    );
    return await writeFileOrRemove(input.output, async (out) => {
      const update = await appendSignatureStreamed({
        plan,
        original: source,
        estimate,
        contentsFor,
        sink: async (chunk) => {
          await out.write(chunk);
        },
      });
      return { size: source.size + update.length };
    });
  } finally {
    await source.close();
  }
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

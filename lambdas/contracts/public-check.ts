import * as z from 'zod';
import { DocumentIdSchema } from '../core/domain/common';
import { MAX_VERIFIED_PDF_BYTES } from '../core/limits';
import type { RouteContract } from './contract';
import { UploadTargetSchema } from './documents';

/*
 * The public check (use-cases/audit/public-check.ts): open routes, no sign-in. The answer names only what
 * the document itself shows and the register records of its issue: each signature's validity, signer,
 * capacity and time, and the issuing organisation with the number and date. Nothing of the circulation.
 */

export const PublicCheckIdSchema = z.uuid();

const PublicSignatureSchema = z.object({
  kind: z.enum(['personal', 'seal', 'acknowledgement', 'timestamp']),
  verdict: z.enum(['valid', 'modified', 'invalid']),
  /** Made with a certificate docflow's trust anchors vouch for. */
  trusted: z.boolean(),
  signer: z.string().nullable(),
  title: z.string().nullable(),
  organisation: z.string().nullable(),
  capacity: z.string().nullable(),
  signedAt: z.string(),
  timestamped: z.boolean(),
});

export const PublicCheckResultSchema = z
  .object({
    verdict: z.enum(['valid', 'modified', 'invalid', 'unsigned']),
    summary: z.object({ vi: z.string(), en: z.string() }),
    signatures: z.array(PublicSignatureSchema),
    /** The register's record of the issue, when a valid seal of the issuing organisation covers this file. */
    registered: z
      .object({
        documentId: z.string(),
        organisation: z.string(),
        number: z.int(),
        symbol: z.string().nullable(),
        issuedOn: z.string().nullable(),
        docType: z.string(),
      })
      .nullable(),
    /** With a document id (from a QR code): whether this file is that document as issued. */
    idCheck: z.enum(['matches', 'differs']).nullable(),
  })
  .meta({ id: 'PublicCheckResult' });
export type PublicCheckResult = z.infer<typeof PublicCheckResultSchema>;

export const publicCheckContracts = {
  'POST /api/public/checks': {
    summary: `Anyone: starts checking a PDF, returns where to PUT it (presigned, ≤ ${MAX_VERIFIED_PDF_BYTES / 2 ** 20} MiB)`,
    description: 'No sign-in; throttled. The file is deleted once checked (or by the intake lifecycle rule).',
    status: 201,
    body: z.object({}).strict(),
    response: z.object({ id: PublicCheckIdSchema, upload: UploadTargetSchema }),
  },
  'POST /api/public/checks/{id}': {
    summary: "Anyone: checks the PDF uploaded for this check and deletes it; answers only what's public",
    body: z.object({ documentId: DocumentIdSchema.optional() }).strict(),
    response: PublicCheckResultSchema,
  },
} as const satisfies Record<string, RouteContract>;

import * as z from 'zod';

/** An attachment in a file of its own, as a document's audit checked it (core/audit/attachments.ts). */
export const AttachmentAuditSchema = z.object({
  id: z.string(),
  title: z.string(),
  fileName: z.string(),
  format: z.enum(['pdf', 'file']),
  /** SHA-256 of the sealed file (a PDF with its seal, or the file itself). */
  sha256: z.string(),
  /** SHA-256 of the detached seal signature (.p7s) of a file other than a PDF. */
  signatureSha256: z.string().nullable(),
  file: z.enum(['ok', 'missing', 'altered']),
  verdict: z.enum(['valid', 'invalid']).nullable(),
  /** The seal's signer (the organisation's certificate), when it could be read. */
  signer: z.string().nullable(),
  signingTime: z.string().nullable(),
  problems: z.array(z.string()),
});
export type AttachmentAudit = z.infer<typeof AttachmentAuditSchema>;

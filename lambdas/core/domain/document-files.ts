import * as z from 'zod';
import { LineSchema, Sha256HexSchema, storable } from './common';

/*
 * What a document is made of besides its main PDF (D30 Art.8, Appendix I): attachments in files of their
 * own (phụ lục, văn bản kèm theo), each with its title, and the Word file a draft was converted from. And
 * what may not enter the system at all: documents containing state secrets.
 */

/** The classification the drafter declares (Law on the Protection of State Secrets 2018, Art.8). */
export const ClassificationSchema = z
  .enum(['none', 'secret', 'top-secret', 'most-secret'])
  .describe('none (không mật), secret (mật), top-secret (tối mật), most-secret (tuyệt mật)');
export type Classification = z.infer<typeof ClassificationSchema>;

/** At most this many attachments per document, each at most this large. */
export const MAX_ATTACHMENTS = 20;
export const MAX_ATTACHMENT_BYTES = 32 * 1024 * 1024;
/** A Word draft's largest size (the PDF it converts to is held to the draft limit). */
export const MAX_WORD_BYTES = 32 * 1024 * 1024;

/** `a1` … `a20`: the attachment's place in the list, stable through revisions. */
export const AttachmentIdSchema = z.string().regex(/^a([1-9]|1[0-9]|20)$/);

/** A file name as given (shown and used when the file is downloaded): no path, no control characters. */
export const FileNameSchema = storable(z.string().trim().min(1).max(200)).refine(
  (name) => !/[\\/"]/.test(name),
  { message: 'no / \\ or " in a file name' },
);

export const MediaTypeSchema = z
  .string()
  .max(200)
  .regex(/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i);

/** How an attachment is sealed: a PDF gets the stamp and a PAdES seal, any other file a detached .p7s. */
export const AttachmentFormatSchema = z.enum(['pdf', 'file']);
export type AttachmentFormat = z.infer<typeof AttachmentFormatSchema>;

export const attachmentFormatOf = (fileName: string, mediaType: string): AttachmentFormat =>
  mediaType === 'application/pdf' || /\.pdf$/i.test(fileName) ? 'pdf' : 'file';

export const AttachmentSchema = z.object({
  id: AttachmentIdSchema,
  /** The attachment's title as the main document's list names it (Phụ lục I: Danh sách …). */
  title: LineSchema(500),
  fileName: FileNameSchema,
  mediaType: MediaTypeSchema,
  format: AttachmentFormatSchema,
  /** SHA-256 of the file as drafted. */
  sha256: Sha256HexSchema,
  size: z.int().min(1),
  /** After issue: the sealed PDF (pdf), or the file itself, unchanged (file). */
  sealedSha256: Sha256HexSchema.optional(),
  /** After issue, for a file: SHA-256 of its detached seal signature (.p7s). */
  signatureSha256: Sha256HexSchema.optional(),
  certificateSha256: Sha256HexSchema.optional(),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

/**
 * What the issue recorded of each attachment it sealed: named in full, since recipients see the issue but
 * not the drafting steps.
 */
export const SealedAttachmentSchema = AttachmentSchema.pick({
  id: true,
  title: true,
  fileName: true,
  mediaType: true,
  format: true,
  sealedSha256: true,
  signatureSha256: true,
  certificateSha256: true,
}).required({ sealedSha256: true });
export type SealedAttachment = z.infer<typeof SealedAttachmentSchema>;

/** Word formats a draft may arrive in, converted to the PDF that is reviewed and signed. */
export const WordFormatSchema = z.enum(['docx', 'odt']);
export type WordFormat = z.infer<typeof WordFormatSchema>;
export const DraftFormatSchema = z.enum(['pdf', 'docx', 'odt']);
export type DraftFormat = z.infer<typeof DraftFormatSchema>;

export const WORD_MEDIA_TYPES: Readonly<Record<WordFormat, string>> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text',
};

/** The editable source a draft was converted from, kept beside the PDF. */
export const SourceFileSchema = z.object({
  format: WordFormatSchema,
  sha256: Sha256HexSchema,
  size: z.int().min(1),
  /** Fonts the file asks for that the converter did not have (a substitute was used). */
  missingFonts: z.array(z.string().max(200)).max(50),
});
export type SourceFile = z.infer<typeof SourceFileSchema>;

/** The attachments after an issue: each one's sealed file recorded. */
export function withSealed(
  attachments: readonly Attachment[],
  sealed: readonly SealedAttachment[],
): Attachment[] {
  return attachments.map((a) => {
    const s = sealed.find((x) => x.id === a.id);
    return s ? { ...a, ...s } : a;
  });
}

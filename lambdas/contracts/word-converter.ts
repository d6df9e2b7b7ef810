// Full zod, not zod/mini: `signing` (near its 1 MiB budget) carries full zod already, so this adds nothing.
import * as z from 'zod';

/*
 * What `signing` asks the Word converter (lambdas/handlers/word-converter.ts) through Lambda Invoke: convert
 * one uploaded draft, which stays in the intake bucket, and put the PDF beside it. Files never travel in
 * the payload (Lambda's 6 MB limit; a Word draft may be 32 MB).
 */

const uploadKey = z.string().regex(/^uploads\/[0-9a-f-]{36}\/draft\.(docx|odt)$/);

export const WordConversionCommandSchema = z.object({ uploadKey });
export type WordConversionCommand = z.infer<typeof WordConversionCommandSchema>;

/** Why a conversion is refused: message codes (lambdas/core/i18n/document-files.ts). */
export const WORD_CONVERSION_REFUSALS = ['word_conversion_failed', 'word_not_word'] as const;

export const WordConversionResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    /** Where the PDF is, in the intake bucket. */
    pdfKey: z.string().regex(/^uploads\/[0-9a-f-]{36}\/draft\.(docx|odt)\.pdf$/),
    /** Fonts the file asks for that the converter lacks (LibreOffice substituted them). */
    missingFonts: z.array(z.string().max(200)).max(50),
  }),
  z.object({
    ok: z.literal(false),
    code: z.enum(WORD_CONVERSION_REFUSALS),
    /** A technical detail (LibreOffice's or the zip reader's words), passed through as a value. */
    detail: z.string().max(500),
  }),
]);
export type WordConversionResult = z.infer<typeof WordConversionResultSchema>;

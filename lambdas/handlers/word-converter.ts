import { putUpload, readUpload } from '../adapters/file-store';
import { ConversionFailed, convertToPdf, NotWordFile } from '../adapters/libreoffice';
import { WordConversionCommandSchema, type WordConversionResult } from '../contracts/word-converter';
import { MAX_WORD_BYTES, type WordFormat } from '../core/domain/document-files';
import { logger } from '../observability/logger';

/**
 * The Word converter (issue #17): invoked by `signing` only, it converts one uploaded draft with LibreOffice
 * and leaves the PDF beside it in the intake bucket. No key, no route, no table: intake read and write only.
 * In AWS a container image with LibreOffice (ops/word-converter/Dockerfile); on a laptop `soffice`.
 */
export async function handler(event: unknown): Promise<WordConversionResult> {
  const { uploadKey } = WordConversionCommandSchema.parse(event);
  const format = uploadKey.endsWith('.odt') ? 'odt' : ('docx' satisfies WordFormat);
  const bytes = await readUpload(uploadKey, MAX_WORD_BYTES);
  try {
    const { pdf, missingFonts } = await convertToPdf(bytes, format);
    const pdfKey = `${uploadKey}.pdf`;
    await putUpload(pdfKey, pdf, 'application/pdf');
    if (missingFonts.length > 0) logger.warn('converted with substitute fonts', { uploadKey, missingFonts });
    return { ok: true, pdfKey, missingFonts };
  } catch (error) {
    if (error instanceof NotWordFile)
      return { ok: false, code: 'word_not_word', detail: error.message.slice(0, 500) };
    if (error instanceof ConversionFailed)
      return { ok: false, code: 'word_conversion_failed', detail: error.message.slice(0, 500) };
    throw error;
  }
}

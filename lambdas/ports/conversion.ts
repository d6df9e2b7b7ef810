import type { WordFormat } from '../core/domain/document-files';

/*
 * Word drafts to PDF (issue #17): LibreOffice in its own function (a container image in AWS, `soffice` on a
 * laptop), reached by `signing` through adapters/word-converter-client.ts.
 */
export interface WordConversion {
  /**
   * Converts the draft uploaded at `uploadKey`; the PDF is left in the intake bucket at `pdfKey`. Refuses a
   * file that is not one of `format` or that LibreOffice cannot convert (422); 503 when the converter is down.
   */
  toPdf(uploadKey: string, format: WordFormat): Promise<{ pdfKey: string; missingFonts: string[] }>;
}

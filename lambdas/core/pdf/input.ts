import { PDF } from '@libpdf/core';
import { DomainError } from '../errors';
import { messageText } from '../i18n/messages';
import { type RandomAccessSource, readSmall } from '../io/source';
import { MAX_SIGNED_PDF_BYTES } from '../limits';

const PDF_HEADER = new TextEncoder().encode('%PDF-');
const EOF_MARKER = '%%EOF';

export interface LoadLimits {
  /** Default: the signing limit (limits.ts); callers pass the limit of their step. */
  readonly maxBytes?: number;
}

/** Cheap checks on raw bytes before any parsing: size, header, closing %%EOF. */
export function checkPdfBytes(bytes: Uint8Array, limits: LoadLimits = {}): void {
  checkPdfEnds(
    bytes.length,
    bytes.subarray(0, 1024),
    bytes.subarray(Math.max(0, bytes.length - 1024)),
    limits,
  );
}

/** The same checks from the size and the first and last 1024 bytes (for files not read whole). */
export function checkPdfEnds(
  size: number,
  first: Uint8Array,
  last: Uint8Array,
  limits: LoadLimits = {},
): void {
  const max = limits.maxBytes ?? MAX_SIGNED_PDF_BYTES;
  if (size > max) throw new DomainError('file_too_large', 413, { size, limit: max });
  // ISO 32000-1 §7.5.2 allows junk before the header; readers accept it within the first 1024 bytes.
  const head = Buffer.from(first.subarray(0, 1024));
  if (head.indexOf(Buffer.from(PDF_HEADER)) === -1) throw new DomainError('pdf_not_a_pdf', 415);
  const tail = Buffer.from(last.subarray(Math.max(0, last.length - 1024))).toString('latin1');
  if (!tail.includes(EOF_MARKER)) throw new DomainError('pdf_truncated', 422);
}

/** The same checks on a source not read whole: its size, then its first and last 1024 bytes. */
export async function checkPdfSource(source: RandomAccessSource, limits: LoadLimits = {}): Promise<void> {
  checkPdfEnds(
    source.size,
    await readSmall(source, 0, 1024),
    await readSmall(source, Math.max(0, source.size - 1024), 1024),
    limits,
  );
}

/**
 * Parses a PDF for signing or verification. Encrypted files are refused (a signature over an encrypted
 * file binds ciphertext nobody reviewed), as are files libpdf could only open by brute-force recovery.
 */
export async function loadPdf(bytes: Uint8Array, limits: LoadLimits = {}): Promise<PDF> {
  checkPdfBytes(bytes, limits);
  let pdf: PDF;
  try {
    pdf = await PDF.load(bytes);
  } catch (error) {
    if (/encrypt|password/i.test(String(error))) throw new DomainError('pdf_encrypted', 422);
    throw new DomainError('pdf_damaged', 422, {
      detail: error instanceof Error ? error.message : String(error),
    });
  }
  if (pdf.isEncrypted) throw new DomainError('pdf_encrypted', 422);
  if (pdf.recoveredViaBruteForce) {
    throw new DomainError('pdf_damaged', 422, { detail: messageText('detail_pdf_xref_unreadable') });
  }
  if (pdf.getPageCount() === 0)
    throw new DomainError('pdf_damaged', 422, { detail: messageText('detail_pdf_no_pages') });
  return pdf;
}

/**
 * The original followed by an incremental update, in one new buffer: `new Uint8Array(Buffer.concat(…))`
 * would copy a large file a second time.
 */
export function withUpdate(original: Uint8Array, update: Uint8Array): Uint8Array {
  const joined = Buffer.concat([original, update]);
  return new Uint8Array(joined.buffer, joined.byteOffset, joined.byteLength);
}

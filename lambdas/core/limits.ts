/*
 * How large a PDF docflow takes at each step, in one place: the file store, the signing adapter, the
 * verifier, the audit and the auditors' CLI all read these, so that no step refuses what an earlier one
 * produced. Each limit is at least the one before it (test/unit/limits.test.ts):
 *
 *   upload  ≤  signed  =  verified (API, evidence packages)  ≤  verified offline (CLI)
 */

import { DomainError } from './errors';

const MiB = 1024 * 1024;

/** The largest draft (or file brought for verification) accepted: a long scanned document fits. */
export const MAX_UPLOAD_PDF_BYTES = 64 * MiB;

/**
 * The largest document signing reads or writes. Every signing step (issue fields, personal signatures,
 * number, seal, the DSS after each) appends an incremental update; together they add ~100-200 KB to a
 * scan, so doubling the upload limit leaves room for any number of signers. The signing adapter refuses a
 * step whose result would be larger (checkSignedSize), so nothing signed exceeds it.
 */
export const MAX_SIGNED_PDF_BYTES = 2 * MAX_UPLOAD_PDF_BYTES;

/** What a signing step produced, refused (`file_too_large`) if verification would refuse it. */
export function checkSignedSize(pdf: Uint8Array): Uint8Array {
  if (pdf.length > MAX_SIGNED_PDF_BYTES)
    throw new DomainError('file_too_large', 413, { size: pdf.length, limit: MAX_SIGNED_PDF_BYTES });
  return pdf;
}

/**
 * The largest document verified in AWS (the verification route, arrival, the audit, evidence packages):
 * exactly what signing can produce, so whatever docflow signed it also verifies.
 */
export const MAX_VERIFIED_PDF_BYTES = MAX_SIGNED_PDF_BYTES;

/**
 * The largest document `docflow verify` takes on an auditor's machine, where files from other systems may
 * be larger. The lazy reader's memory does not grow with the file (it hashes 1 MiB at a time); only a
 * damaged file, parsed whole by libpdf, is held in memory, which this bounds.
 */
export const MAX_OFFLINE_VERIFIED_PDF_BYTES = 1024 * MiB;

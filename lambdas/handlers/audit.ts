import { readDocument } from '../adapters/document-store';
import { accessOf, verifyStoredDocument } from '../audit/document-audit';
import { buildEvidence, storeEvidence } from '../audit/evidence';
import { searchDocuments } from '../audit/search';
import {
  consistencyBetween,
  currentTreeHead,
  ensureSequenced,
  inclusionProofFor,
} from '../audit/transparency-log';
import { startVerification, verifyUploaded } from '../audit/uploaded';
import { auditContracts as c, VerifyIdSchema } from '../contracts/audit';
import { type ApiResult, apiHandler } from '../http/api';
import { bodyOf, pathId } from '../http/document-route';
import { parseInput } from '../http/validation';
import { type Caller, callerOf } from '../workflow/documents';

/**
 * Audits: verification reports, evidence packages, the transparency log and the auditors' search.
 * Lambda answers at most 6 MB, base64 included for binary bodies: a ZIP up to 4 MiB is sent inline,
 * a larger one is written to S3 and answered with a redirect to a short-lived URL.
 */
const INLINE_ZIP_BYTES = 4 * 1024 * 1024;

export const handler = apiHandler({
  'GET /api/documents/{id}/verification': async (request) => ({
    status: 200,
    body: await verifyStoredDocument(await callerOf(request.userId), pathId(request)),
  }),
  'GET /api/documents/{id}/evidence': async (request): Promise<ApiResult> => {
    const { redirect } = parseInput(
      c['GET /api/documents/{id}/evidence'].query,
      request.query,
      request.language,
    );
    const pkg = await buildEvidence(await callerOf(request.userId), pathId(request));
    if (redirect !== 'false' && pkg.zip.length <= INLINE_ZIP_BYTES) {
      return {
        status: 200,
        headers: {
          'content-type': 'application/zip',
          'content-disposition': `attachment; filename="${pkg.fileName}"`,
          'x-docflow-sha256': pkg.sha256,
        },
        body: Buffer.from(pkg.zip),
        binary: true,
      };
    }
    const url = await storeEvidence(pathId(request), pkg);
    return redirect === 'false'
      ? { status: 200, body: { url, sha256: pkg.sha256, size: pkg.zip.length } }
      : { status: 302, headers: { location: url, 'x-docflow-sha256': pkg.sha256 } };
  },
  'POST /api/verify': async (request) => {
    bodyOf(c['POST /api/verify'].body, request);
    return { status: 201, body: await startVerification(await callerOf(request.userId)) };
  },
  'POST /api/verify/{id}': async (request) => {
    bodyOf(c['POST /api/verify/{id}'].body, request);
    const verification = parseInput(VerifyIdSchema, pathId(request), request.language);
    return { status: 200, body: await verifyUploaded(await callerOf(request.userId), verification) };
  },
  'GET /api/transparency/head': async (request) => {
    await callerOf(request.userId);
    return { status: 200, body: await currentTreeHead() };
  },
  'GET /api/transparency/proof': async (request) => {
    const caller = await callerOf(request.userId);
    const { documentId, seq } = parseInput(
      c['GET /api/transparency/proof'].query,
      request.query,
      request.language,
    );
    // Only someone who may see the document learns about its events (the audit rules decide).
    await verifyAccess(caller, documentId);
    return { status: 200, body: await inclusionProofFor(documentId, seq) };
  },
  'GET /api/transparency/consistency': async (request) => {
    await callerOf(request.userId);
    const { from, to } = parseInput(
      c['GET /api/transparency/consistency'].query,
      request.query,
      request.language,
    );
    return { status: 200, body: await consistencyBetween(from, to) };
  },
  'GET /api/audit/documents': async (request) => {
    const query = parseInput(c['GET /api/audit/documents'].query, request.query, request.language);
    return { status: 200, body: await searchDocuments(await callerOf(request.userId), query) };
  },
});

async function verifyAccess(caller: Caller, documentId: string): Promise<void> {
  const snapshot = await readDocument(documentId);
  accessOf(caller, snapshot);
  if (snapshot.head) await ensureSequenced(documentId, snapshot.head);
}

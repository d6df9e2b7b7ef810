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
import { auditContracts, VerifyIdSchema } from '../contracts/audit';
import type { Caller } from '../core/domain/caller';
import { type ApiResult, apiHandler, created, ok } from '../http/api';
import { parseInput } from '../http/validation';
import { readOptions } from './wiring';

/**
 * Audits: verification reports, evidence packages, the transparency log and the auditors' search.
 * Lambda answers at most 6 MB, base64 included for binary bodies: a ZIP up to 4 MiB is sent inline,
 * a larger one is written to S3 and answered with a redirect to a short-lived URL.
 */
const INLINE_ZIP_BYTES = 4 * 1024 * 1024;

async function verifyAccess(caller: Caller, documentId: string): Promise<void> {
  const snapshot = await readDocument(documentId);
  accessOf(caller, snapshot);
  if (snapshot.head) await ensureSequenced(documentId, snapshot.head);
}

export const handler = apiHandler(
  'audit',
  auditContracts,
  {
    'GET /api/documents/{id}/verification': async ({ caller, id }) =>
      ok(await verifyStoredDocument(caller, id)),
    'GET /api/documents/{id}/evidence': async ({ caller, id, query }): Promise<ApiResult> => {
      const pkg = await buildEvidence(caller, id);
      if (query.redirect !== 'false' && pkg.zip.length <= INLINE_ZIP_BYTES) {
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
      const url = await storeEvidence(id, pkg);
      return query.redirect === 'false'
        ? ok({ url, sha256: pkg.sha256, size: pkg.zip.length })
        : { status: 302, headers: { location: url, 'x-docflow-sha256': pkg.sha256 } };
    },
    'POST /api/verify': async ({ caller }) => created(await startVerification(caller)),
    'POST /api/verify/{id}': async ({ caller, id, language }) =>
      ok(await verifyUploaded(caller, parseInput(VerifyIdSchema, id, language))),
    'GET /api/transparency/head': async () => ok(await currentTreeHead()),
    'GET /api/transparency/proof': async ({ caller, query }) => {
      // Only someone who may see the document learns about its events (the audit rules decide).
      await verifyAccess(caller, query.documentId);
      return ok(await inclusionProofFor(query.documentId, query.seq));
    },
    'GET /api/transparency/consistency': async ({ query }) =>
      ok(await consistencyBetween(query.from, query.to)),
    'GET /api/audit/documents': async ({ caller, query }) => ok(await searchDocuments(caller, query)),
  },
  readOptions,
);

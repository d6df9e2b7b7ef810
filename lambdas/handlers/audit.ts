import { cityTrustMaterial, kmsTransparencyKey } from '../adapters/audit-pki';
import { dynamoDirectory } from '../adapters/directory-store';
import { readDocument, readRegister } from '../adapters/document-store';
import { s3EvidenceStore } from '../adapters/evidence-store';
import { s3AuditFiles } from '../adapters/file-store';
import { findIssued } from '../adapters/issued-files';
import { dynamoStoredLog } from '../adapters/stored-log';
import { dynamoTransparencyLog } from '../adapters/transparency-store';
import { auditContracts, VerifyIdSchema } from '../contracts/audit';
import { PublicCheckIdSchema } from '../contracts/public-check';
import { attachmentDisposition } from '../core/text/content-disposition';
import { type ApiResult, apiHandler, created, ok } from '../http/api';
import { parseInput } from '../http/validation';
import type { AuditPorts } from '../use-cases/audit/context';
import { buildEvidence, publishEvidence } from '../use-cases/audit/evidence';
import {
  completePublicCheck,
  type PublicCheckPorts,
  startPublicCheck,
} from '../use-cases/audit/public-check';
import { searchDocuments } from '../use-cases/audit/search';
import { consistencyBetween, currentTreeHead, eventProof } from '../use-cases/audit/transparency';
import { startVerification, verifyUploaded } from '../use-cases/audit/uploaded';
import { verifyStoredDocument } from '../use-cases/audit/verification';
import { readOptions } from './wiring';

/**
 * Audits: verification reports, evidence packages, the transparency log and the auditors' search.
 * Lambda answers at most 6 MB, base64 included for binary bodies: a ZIP up to 4 MiB is sent inline,
 * a larger one is written to S3 and answered with a redirect to a short-lived URL.
 */
const INLINE_ZIP_BYTES = 4 * 1024 * 1024;

/** Audits only read documents: just the reads they make, so this bundle carries no write path. */
const ports: AuditPorts = {
  documents: { read: readDocument, readRegister },
  log: dynamoStoredLog,
  files: s3AuditFiles,
  trust: cityTrustMaterial,
  transparency: dynamoTransparencyLog,
  transparencyKey: kmsTransparencyKey,
  evidence: s3EvidenceStore,
  now: () => new Date(),
};

const publicPorts: PublicCheckPorts = {
  files: s3AuditFiles,
  trust: cityTrustMaterial,
  documents: { read: readDocument, findIssued },
  directory: () => dynamoDirectory.loadDirectory(),
};

export const handler = apiHandler(
  'audit',
  auditContracts,
  {
    'GET /api/documents/{id}/verification': async ({ caller, id }) =>
      ok(await verifyStoredDocument(ports, caller, id)),
    'GET /api/documents/{id}/evidence': async ({ caller, id, query }): Promise<ApiResult> => {
      const pkg = await buildEvidence(ports, caller, id);
      if (query.redirect !== 'false' && pkg.zip.length <= INLINE_ZIP_BYTES) {
        return {
          status: 200,
          headers: {
            'content-type': 'application/zip',
            'content-disposition': attachmentDisposition(pkg.fileName),
            'x-docflow-sha256': pkg.sha256,
          },
          body: Buffer.from(pkg.zip),
          binary: true,
        };
      }
      const url = await publishEvidence(ports, id, pkg);
      return query.redirect === 'false'
        ? ok({ url, sha256: pkg.sha256, size: pkg.zip.length })
        : { status: 302, headers: { location: url, 'x-docflow-sha256': pkg.sha256 } };
    },
    'POST /api/verify': async ({ caller }) => created(await startVerification(ports, caller)),
    'POST /api/verify/{id}': async ({ caller, id, language }) =>
      ok(await verifyUploaded(ports, caller, parseInput(VerifyIdSchema, id, language))),
    'GET /api/transparency/head': async () => ok(await currentTreeHead(ports)),
    'GET /api/transparency/proof': async ({ caller, query }) =>
      ok(await eventProof(ports, caller, query.documentId, query.seq)),
    'GET /api/transparency/consistency': async ({ query }) =>
      ok(await consistencyBetween(ports, query.from, query.to)),
    'GET /api/audit/documents': async ({ caller, query }) => ok(await searchDocuments(ports, caller, query)),
    'POST /api/public/checks': async () => created(await startPublicCheck(publicPorts)),
    'POST /api/public/checks/{id}': async ({ id, body, language }) =>
      ok(await completePublicCheck(publicPorts, parseInput(PublicCheckIdSchema, id, language), body)),
  },
  readOptions,
);

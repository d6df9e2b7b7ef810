import * as z from 'zod';
import { DocumentAuditSchema } from '../core/audit/report';
import { DocumentIdSchema, LineSchema } from '../core/domain/common';
import { MAX_VERIFIED_PDF_BYTES } from '../core/limits';
import { verificationReportSchema } from '../core/pdf/verify';
import {
  ConsistencyProofSchema,
  InclusionProofSchema,
  SignedTreeHeadSchema,
} from '../core/transparency/tree-head';
import type { RouteContract } from './contract';
import { UploadTargetSchema } from './documents';
import { publicCheckContracts } from './public-check';

/*
 * Audit routes: verification of stored documents and of uploaded PDFs, evidence packages, the global
 * transparency log, and the auditors' search. All read-only, except that reading may sequence events the
 * transparency log had not recorded yet (idempotent).
 */

const DateParam = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const Size = z.coerce.number().int().min(0);

export const VerifyIdSchema = z.uuid();

/** An issued document found by the auditors' search (a row of an outgoing register). */
const AuditHitSchema = z.object({
  documentId: z.string(),
  orgId: z.string(),
  number: z.int(),
  symbol: z.string().nullable(),
  issuedOn: z.string().nullable(),
  docType: z.string().nullable(),
  subject: z.string().nullable(),
  signer: z.string().nullable(),
});
export type AuditHit = z.infer<typeof AuditHitSchema>;

export const auditContracts = {
  ...publicCheckContracts,
  'GET /api/documents/{id}/verification': {
    summary: 'Verifies a document: every signature of every version, the log chain, the transparency log',
    response: DocumentAuditSchema.meta({ id: 'DocumentAudit' }),
  },
  'GET /api/documents/{id}/evidence': {
    summary: 'Evidence package (ZIP): versions, log, certificates and CRLs, report, proofs, manifest',
    description:
      'Sender organisation and auditors. Up to 4 MiB the ZIP is the response body; larger packages are ' +
      'stored under evidence/ in the intake bucket and answered with a 302 to a 5-minute URL. ' +
      '?redirect=false always stores the package and answers {url, sha256, size}.',
    query: z.object({ redirect: z.enum(['true', 'false']).optional() }),
    response: z.object({ url: z.url(), sha256: z.string(), size: z.int() }),
  },
  'POST /api/verify': {
    summary: `Starts the verification of a PDF: returns where to PUT it (presigned, ≤ ${MAX_VERIFIED_PDF_BYTES / 2 ** 20} MiB)`,
    status: 201,
    body: z.object({}).strict(),
    response: z.object({ id: VerifyIdSchema, upload: UploadTargetSchema }),
  },
  'POST /api/verify/{id}': {
    summary: 'Verifies the PDF uploaded for this verification (every signature, against the trust anchors)',
    body: z.object({}).strict(),
    response: z.object({
      id: VerifyIdSchema,
      sha256: z.string(),
      report: verificationReportSchema().meta({ id: 'VerificationReport' }),
    }),
  },
  'GET /api/transparency/head': {
    summary: 'The signed tree head of the global transparency log (RFC 9162 style)',
    response: SignedTreeHeadSchema.meta({ id: 'SignedTreeHead' }),
  },
  'GET /api/transparency/proof': {
    summary: "Inclusion proof of a document's event in the global log, against the current signed head",
    query: z.object({ documentId: DocumentIdSchema, seq: z.coerce.number().int().min(1) }),
    response: InclusionProofSchema,
  },
  'GET /api/transparency/consistency': {
    summary: 'Consistency proof between two published tree heads (to: the current head when absent)',
    query: z.object({ from: Size, to: Size.optional() }),
    response: ConsistencyProofSchema,
  },
  'GET /api/audit/documents': {
    summary: 'Auditors: issued documents by organisation, issue date range, signer, number (read-only)',
    query: z.object({
      orgId: LineSchema(80).optional(),
      from: DateParam.optional(),
      to: DateParam.optional(),
      signer: LineSchema(200).optional(),
      number: LineSchema(80).optional(),
      limit: z.coerce.number().int().min(1).max(1000).optional(),
    }),
    response: z.object({
      items: z.array(AuditHitSchema),
      truncated: z.boolean(),
      years: z.array(z.int()),
      organisations: z.int(),
    }),
  },
} as const satisfies Record<string, RouteContract>;

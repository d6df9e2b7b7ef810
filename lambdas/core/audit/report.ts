import * as z from 'zod';
import { verificationReportSchema } from '../pdf/verify';
import { AuditAmendmentsSchema } from './amendments';
import { AttachmentAuditSchema } from './attachment-audit';

/*
 * What a document audit answers (GET /api/documents/{id}/verification, the evidence package's report, the
 * CLI): the log chain, each version of the file, the transparency log, and every problem found, in
 * Vietnamese and English.
 */

export const ProblemSchema = z.object({
  code: z.string(),
  vi: z.string(),
  en: z.string(),
});
export type Problem = z.infer<typeof ProblemSchema>;

export const RevisionAuditSchema = z.object({
  index: z.int(),
  sha256: z.string(),
  /**
   * What produced this version: the draft, a personal signature, the issue (number + seal), the archive's
   * document timestamp (PAdES B-LTA, on archiving or a renewal).
   */
  role: z.enum(['draft', 'signed', 'issued', 'archived', 'other']),
  /** The events that name this version. */
  seqs: z.array(z.int()),
  file: z.enum(['ok', 'missing', 'altered', 'unreadable']),
  actualSha256: z.string().nullable(),
  /** A signed version must begin with the bytes of the version before it (incremental update). */
  extendsPrevious: z.boolean().nullable(),
  /**
   * A version that is an exact prefix of the last one is not verified on its own: its signatures are the
   * last version's first ones, each verified there over exactly this version's bytes. Null otherwise.
   */
  verifiedWithin: z.int().nullable(),
  report: verificationReportSchema().nullable(),
});
export type RevisionAudit = z.infer<typeof RevisionAuditSchema>;
export type RevisionRole = RevisionAudit['role'];

/** A signature's authorization by its signer, as the audit checked it (core/audit/authorizations.ts). */
export const AuthorizationAuditSchema = z.object({
  /** The event that records the signature. */
  seq: z.int(),
  type: z.enum(['signed', 'issued']),
  holder: z.string(),
  factor: z.enum(['passkey', 'totp']),
  at: z.string(),
  digest: z.string(),
  batchSize: z.int(),
  namesDigest: z.boolean(),
  /** A signature of the file was made over exactly this digest. */
  signatureFound: z.boolean(),
  /** The passkey's assertion verifies offline; null for an authenticator code (checked by the server). */
  assertionValid: z.boolean().nullable(),
});
export type AuthorizationAudit = z.infer<typeof AuthorizationAuditSchema>;

export const DocumentAuditSchema = z.object({
  documentId: z.string(),
  checkedAt: z.string(),
  verdict: z.enum(['valid', 'invalid']),
  currentSha256: z.string().nullable(),
  chain: z.object({
    ok: z.boolean(),
    length: z.int(),
    head: z.object({ seq: z.int(), hash: z.string() }).nullable(),
    atSeq: z.int().nullable(),
    problem: z.string().nullable(),
    message: z.string().nullable(),
  }),
  revisions: z.array(RevisionAuditSchema),
  transparency: z
    .object({
      events: z.int(),
      included: z.int(),
      head: z.object({ treeSize: z.int(), rootHash: z.string(), timestamp: z.string() }).nullable(),
    })
    .nullable(),
  /**
   * Present when the audit covers one organisation's share of the log (core/domain/visibility.ts): the
   * events it sees, each checked against its hash and the transparency log, not the whole chain.
   */
  share: z.object({ orgId: z.string() }).optional(),
  /** The attachments in files of their own the issue sealed, each checked (core/audit/attachments.ts). */
  attachments: z.array(AttachmentAuditSchema).optional(),
  /** What the document replaces or corrects, and what replaced or corrected it (core/audit/amendments.ts). */
  amendments: AuditAmendmentsSchema.optional(),
  /** Each signature's authorization by its signer (docs/SECURITY.md); absent in reports made before. */
  authorizations: z.array(AuthorizationAuditSchema).optional(),
  problems: z.array(ProblemSchema),
  summary: z.object({ vi: z.string(), en: z.string() }),
});
export type DocumentAudit = z.infer<typeof DocumentAuditSchema>;

/** A hash as people read it in a problem: its first 12 hex digits. */
export const short = (hex: string) => `${hex.slice(0, 12)}…`;

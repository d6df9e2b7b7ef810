import * as z from 'zod';

/**
 * The evidence package (a ZIP), version 1:
 *
 * ```
 * manifest.json                    this manifest: SHA-256 and size of every other file
 * manifest.sig.json                signature over manifest.json by the transparency log key (+ its chain)
 * README.txt                       how to check the package (vi, en)
 * revisions/NN-<role>-<sha>.pdf    the draft and every signed version, in order
 * attachments/<id>-<sha>.pdf|.bin  each sealed attachment in a file of its own; .p7s its detached seal
 * log/events.json                  the circulation log: each event's stored canonical JSON, one per line
 * log/head.json                    the chain head kept with the document {seq, hash}; null in a share's package
 * pki/revision-NN/certificates.pem certificates carried by that signed version (DSS)
 * pki/revision-NN/crl-K.crl        CRLs carried by that signed version: as of its signing time
 * pki/trust-anchors.pem            the roots the deployment trusted when packaging (informational only:
 *                                  the checker trusts only the roots it is given)
 * pki/current.crl                  the CRL when packaging
 * verification/report.json|.html   the audit as computed when packaging
 * transparency/tree-head.json      a signed tree head of the global log
 * transparency/inclusion-proofs.json  each event's inclusion proof against that head
 * ```
 */

export const EVIDENCE_FORMAT = 'docflow-evidence/1';

export const ManifestSchema = z.object({
  format: z.literal(EVIDENCE_FORMAT),
  documentId: z.string(),
  createdAt: z.string(),
  document: z.object({
    symbol: z.string().nullable(),
    subject: z.string().nullable(),
    orgId: z.string().nullable(),
    state: z.string().nullable(),
  }),
  head: z.object({ seq: z.int(), hash: z.string() }).nullable(),
  /**
   * The package holds one organisation's share of the log (core/domain/visibility.ts): the events it
   * sees, each checked against its hash and its inclusion proof instead of the whole chain and its head.
   */
  share: z.object({ orgId: z.string() }).optional(),
  currentSha256: z.string().nullable(),
  revisions: z.array(
    z.object({
      index: z.int(),
      path: z.string().nullable(),
      sha256: z.string(),
      role: z.string(),
      seqs: z.array(z.int()),
    }),
  ),
  /** The attachments in files of their own the issue sealed (D30 Appendix I); absent: none. */
  attachments: z
    .array(
      z.object({
        id: z.string(),
        path: z.string().nullable(),
        sha256: z.string(),
        signaturePath: z.string().nullable(),
        signatureSha256: z.string().nullable(),
      }),
    )
    .optional(),
  files: z.array(z.object({ path: z.string(), sha256: z.string(), size: z.int() })),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export const ManifestSignatureSchema = z.object({
  algorithm: z.enum(['sha256WithRSAEncryption', 'ecdsa-with-SHA256']),
  /** Base64 signature over SHA-256 of the exact bytes of manifest.json. */
  value: z.string(),
  keyId: z.string(),
  certificates: z.array(z.string()).min(1),
});

export const PackagedProofSchema = z.object({
  seq: z.int(),
  eventHash: z.string(),
  leafIndex: z.int(),
  treeSize: z.int(),
  path: z.array(z.string()),
});
export type PackagedProof = z.infer<typeof PackagedProofSchema>;

export const PATHS = {
  manifest: 'manifest.json',
  manifestSignature: 'manifest.sig.json',
  readme: 'README.txt',
  events: 'log/events.json',
  head: 'log/head.json',
  trustAnchors: 'pki/trust-anchors.pem',
  currentCrl: 'pki/current.crl',
  reportJson: 'verification/report.json',
  reportHtml: 'verification/report.html',
  treeHead: 'transparency/tree-head.json',
  proofs: 'transparency/inclusion-proofs.json',
} as const;

export const README = `docflow – GÓI CHỨNG CỨ / EVIDENCE PACKAGE (${EVIDENCE_FORMAT})

Kiểm tra ngoại tuyến, chỉ cần gói này và chứng thư gốc (root.pem, GET /api/pki/roots):
Check offline with nothing but this package and the root certificate (root.pem, GET /api/pki/roots):

  npx docflow verify-evidence <package.zip> --trust root.pem [--lang en] [--json]

Việc kiểm tra gồm / what is checked:
- mã SHA-256 của mọi tệp trong manifest.json, và chữ ký của manifest / every file's SHA-256, and the manifest's signature;
- mọi phiên bản PDF: chữ ký, chuỗi chứng thư, thu hồi tại thời điểm ký, thay đổi sau khi ký /
  every PDF revision: signatures, certificate chains, revocation at signing time, changes after signing;
- mỗi phụ lục đã đóng dấu (attachments/): tệp đúng như nhật ký ghi, chữ ký số của cơ quan (PDF, hoặc .p7s kèm tệp) /
  each sealed attachment (attachments/): the file the log names, the organisation's seal (in the PDF, or its .p7s);
- mỗi phiên bản đã ký nối tiếp phiên bản trước / each signed revision extends the previous one;
- chuỗi băm của nhật ký luân chuyển, đến đầu chuỗi đã lưu / the circulation log's hash chain, up to the stored head;
  gói của một cơ quan nơi gửi hay nơi nhận (manifest.json "share") chỉ gồm phần nhật ký cơ quan đó được xem: mỗi
  sự kiện khớp mã băm của mình và có bằng chứng trong nhật ký minh bạch / a sending or receiving organisation's
  package (manifest.json "share") holds the part of the log it sees: each event matches its hash and has its proof;
- mỗi sự kiện nêu tên một phiên bản có trong gói; phiên bản cuối là phiên bản hiện hành /
  each event names a revision in the package; the last revision is the current one;
- mỗi sự kiện có trong nhật ký minh bạch toàn hệ thống (bằng chứng RFC 9162, đầu cây có chữ ký) /
  each event is in the system-wide transparency log (RFC 9162 inclusion proofs against a signed tree head).

log/events.json: mỗi dòng là JSON chuẩn tắc (RFC 8785) của một sự kiện, đúng như đã lưu; mã băm của sự kiện là
SHA-256 của JSON chuẩn tắc không có trường "hash" / each line is an event's canonical JSON exactly as stored; an
event's hash is the SHA-256 of its canonical JSON without "hash".
`;

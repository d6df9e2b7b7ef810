import { randomUUID } from 'node:crypto';
import type { Directory } from '../../core/domain/directory';
import { sha256Hex } from '../../core/io/hash';
import { MAX_VERIFIED_PDF_BYTES } from '../../core/limits';
import { type SignatureReport, type VerificationReport, verifyPdf } from '../../core/pdf/verify';
import { TrustStore } from '../../core/pki/trust';
import type { DocumentRepository, IssuedFiles } from '../../ports/documents';
import type { AuditFiles } from '../../ports/files';
import type { TrustMaterial } from '../../ports/pki';

/*
 * The public check: anyone, without signing in, brings a PDF and learns whether its signatures are valid,
 * who made them in which capacity and when, and whether the document was issued, as registered, by the
 * organisation whose seal it bears. Nothing else about the circulation is answered.
 *
 * The file goes to the intake bucket by presigned POST under a random key (as an auditor's upload does,
 * uploaded.ts, for the same 6 MB reason) and is deleted as soon as it has been read, whatever the outcome;
 * the bucket's lifecycle rule removes one never checked. The key is unguessable, so only whoever started a
 * check can complete it.
 *
 * Matching a file to the register: issuing writes an index item from the issued file's SHA-256 beside the
 * register entry (adapters/document-store.ts), so the issued revision inside the file brought is found
 * with one read per candidate revision (issuedAs). A document id (from the QR code of an issued document) is compared
 * too, and finds documents issued before the index existed: it matches only if that document's sealed file
 * is exactly the revision the seal covers, so an id reveals nothing about a file that is not its own.
 */

export interface PublicCheckPorts {
  readonly files: AuditFiles;
  readonly trust: TrustMaterial;
  readonly documents: Pick<DocumentRepository, 'read'> & IssuedFiles;
  readonly directory: () => Promise<Directory>;
}

const keyOf = (id: string) => `public-check/${id}.pdf`;

export async function startPublicCheck(ports: Pick<PublicCheckPorts, 'files'>) {
  const id = randomUUID();
  return { id, upload: await ports.files.presignUpload(keyOf(id), MAX_VERIFIED_PDF_BYTES) };
}

/** Reads one attribute from a certificate's display name (`CN=…, T=…, O=…, L=…, C=VN`, as core/pki/names.ts writes it). */
function attribute(display: string, name: string): string | null {
  for (const part of display.split(/, (?=[A-Za-z0-9.]+=)/)) {
    const at = part.indexOf('=');
    if (part.slice(0, at) === name) return part.slice(at + 1);
  }
  return null;
}

function publicSignature(signature: SignatureReport) {
  const trusted = signature.chainTrusted && signature.signer !== null;
  return {
    kind:
      signature.type === 'document-timestamp'
        ? ('timestamp' as const)
        : signature.kind === 'organisation'
          ? ('seal' as const)
          : signature.kind === 'acknowledgement'
            ? ('acknowledgement' as const)
            : ('personal' as const),
    verdict: signature.verdict,
    trusted: signature.chainTrusted,
    signer: signature.signer?.commonName ?? null,
    // A title and an organisation are read only from certificates docflow's CA vouches for.
    title: trusted && signature.signer ? attribute(signature.signer.subject, 'T') : null,
    organisation: trusted && signature.signer ? attribute(signature.signer.subject, 'O') : null,
    capacity: signature.capacity,
    signedAt: signature.validationTime,
    timestamped: signature.timestamp?.valid === true && signature.timestamp.trusted,
  };
}

export type PublicSignature = ReturnType<typeof publicSignature>;

export async function completePublicCheck(
  ports: PublicCheckPorts,
  id: string,
  request: { documentId?: string },
) {
  const key = keyOf(id);
  let bytes: Uint8Array;
  try {
    bytes = await ports.files.readUpload(key, MAX_VERIFIED_PDF_BYTES);
  } catch (error) {
    // Too large or unreadable: not kept either.
    await ports.files.deleteUpload(key).catch(() => undefined);
    throw error;
  }
  try {
    const report = await verifyPdf(bytes, {
      trust: TrustStore.fromPem(await ports.trust.trustAnchorsPem()),
      crls: [await ports.trust.currentCrl()],
      maxBytes: MAX_VERIFIED_PDF_BYTES,
    });
    // The last valid seal a trusted certificate made: the issue (later signatures are acknowledgements).
    const seal = report.signatures
      .filter((s) => s.kind === 'organisation' && s.verdict === 'valid' && s.chainTrusted && s.signer)
      .at(-1);
    const issue = seal ? await issuedAs(ports, bytes, report, seal, request.documentId) : undefined;
    return {
      verdict: report.verdict,
      summary: report.summary,
      signatures: report.signatures.map(publicSignature),
      registered: issue?.registered ?? null,
      idCheck: request.documentId === undefined ? null : issue?.idMatches ? 'matches' : 'differs',
    } as const;
  } finally {
    await ports.files.deleteUpload(key).catch(() => undefined);
  }
}

/**
 * The file as issued is the sealed revision plus the document timestamp docflow adds at once; a later
 * acknowledgement adds revisions. So each revision from the seal on that a valid signature or timestamp
 * covers, and the whole file, is a candidate for the issued file's hash: a few index reads at most.
 */
async function issuedAs(
  ports: PublicCheckPorts,
  bytes: Uint8Array,
  report: VerificationReport,
  seal: SignatureReport,
  documentId: string | undefined,
) {
  const ends = new Set([bytes.length]);
  for (const s of report.signatures)
    if (s.revisionEnd >= seal.revisionEnd && s.verdict === 'valid') ends.add(s.revisionEnd);
  const hashes = [...ends].map((end) => sha256Hex(bytes.subarray(0, end)));
  const indexed = (await Promise.all(hashes.map((h) => ports.documents.findIssued(h)))).filter(
    (found) => found !== undefined,
  );
  const candidates = [...new Set([...indexed.map((i) => i.documentId), documentId])].filter(
    (x) => x !== undefined,
  );
  const directory = await ports.directory();
  for (const candidate of candidates) {
    const doc = (await ports.documents.read(candidate)).document;
    // The index names the file issued; an id alone must be the document whose issued file this is.
    const issuedAsThis =
      indexed.some((i) => i.documentId === candidate) ||
      (doc !== undefined && hashes.includes(doc.documentSha256));
    if (!doc || doc.number === undefined || !issuedAsThis) continue;
    const org = directory.find(doc.orgId);
    // The seal must be the issuing organisation's own (its certificate names the organisation).
    if (!org || seal.signer?.commonName !== org.name) continue;
    return {
      idMatches: documentId === doc.id,
      registered: {
        documentId: doc.id,
        organisation: org.name,
        number: doc.number,
        symbol: doc.symbol ?? null,
        issuedOn: doc.issuedOn ?? null,
        docType: doc.typeId,
      },
    };
  }
  return { idMatches: false, registered: null };
}

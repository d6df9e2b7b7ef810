import { type PdfDict, PdfName, PdfNumber, PdfStream, PdfString } from '@libpdf/core';
import * as z from 'zod';
import {
  type DigestName,
  digest,
  type ParsedSignedData,
  parseSignedData,
  readTstInfo,
  signatureTimestampToken,
  signatureValue,
  type TimestampVerification,
  verifySigner,
  verifyTimestampToken,
} from '../cms/verify';
import { DomainError } from '../errors';
import { type MessageParam, messages, messageText } from '../i18n/messages';
import {
  bytesSource,
  fileSource,
  type RandomAccessSource,
  type RangeHashJob,
  readSmall,
  scanSource,
} from '../io/source';
import { MAX_VERIFIED_PDF_BYTES } from '../limits';
import { bytesEqual } from '../pki/asn1';
import { type CertificateInfo, parseCertificate } from '../pki/certificate';
import { evidenceHorizon, hanoiDateTime } from '../pki/evidence-horizon';
import { OID } from '../pki/oids';
import { type TrustStore, validatePath } from '../pki/trust';
import { ALLOWED_CHANGES, type Change, changesAfterStreamed, TRIM_WHITESPACE } from './changes';
import { checkPdfSource } from './input';
import { PdfStructureError } from './objects';
import { fieldType, PdfFile, Revision, terminalFields } from './reader';
import { type SignatureDelegation, signatureDelegationSchema } from './signature-delegation';
import { DOCFLOW_CAPACITY_KEY, DOCFLOW_DELEGATION_KEY, DOCFLOW_KIND_KEY } from './signature-keys';

/** The report's schemas, built on first use: verifying needs none of them (a CLI run loads no zod). */
function reportSchemas() {
  const CertificateSummarySchema = z.object({
    commonName: z.string(),
    subject: z.string(),
    issuer: z.string(),
    serial: z.string(),
    notBefore: z.string(),
    notAfter: z.string(),
  });

  const SignatureReportSchema = z.object({
    index: z.number().int(),
    fieldName: z.string(),
    type: z.enum(['signature', 'document-timestamp']),
    subFilter: z.string(),
    signer: CertificateSummarySchema.nullable(),
    kind: z.string().nullable(),
    capacity: z.string().nullable(),
    /**
     * The TL./TUQ. delegation the capacity relied on, as the signature recorded it (covered by the signature).
     * Absent from reports made before delegations were recorded.
     */
    delegation: signatureDelegationSchema().nullable().optional(),
    reason: z.string().nullable(),
    location: z.string().nullable(),
    claimedTime: z.string().nullable(),
    timestamp: z
      .object({
        time: z.string(),
        valid: z.boolean(),
        authority: z.string().nullable(),
        trusted: z.boolean(),
        problems: z.array(z.string()),
      })
      .nullable(),
    /** The moment validity and revocation were judged at: the timestamp if valid, else the claimed time. */
    validationTime: z.string(),
    byteRange: z.array(z.number()),
    coversWholeRevision: z.boolean(),
    revisionEnd: z.number(),
    coversWholeFile: z.boolean(),
    digestValid: z.boolean(),
    signatureValid: z.boolean(),
    signingCertificateMatches: z.boolean().nullable(),
    /**
     * SHA-256 (hex) of the CMS signed attributes: the digest the signer's key signed, which the signer's
     * authorization names (docs/SECURITY.md). Absent from reports made before it was recorded.
     */
    signedAttributesSha256: z.string().nullable().optional(),
    chainTrusted: z.boolean(),
    certificateValidAtSigningTime: z.boolean(),
    revocation: z.enum(['good', 'revoked', 'revoked-later', 'unknown']),
    revokedAt: z.string().nullable(),
    changesAfter: z.array(z.object({ category: z.string(), detail: z.string(), allowed: z.boolean() })),
    modifiedAfter: z.boolean(),
    verdict: z.enum(['valid', 'modified', 'invalid']),
    problems: z.array(z.string()),
    /**
     * A document timestamp's archive evidence (PAdES B-LTA): until when it holds (its TSA certificate's end
     * or its algorithm's horizon), the moment it was checked at (the next archive timestamp's time, or now
     * for the last), and whether it still held then. Absent for signatures and from older reports.
     */
    archive: z
      .object({
        holdsUntil: z.string(),
        checkedAt: z.string(),
        held: z.boolean(),
        problems: z.array(z.string()),
      })
      .nullable()
      .optional(),
  });

  /** The chain of archive timestamps: valid when each was renewed while the one before still held. */
  const ArchiveEvidenceSchema = z.object({
    timestamps: z.number().int(),
    valid: z.boolean(),
    /** The last archive timestamp's horizon: until when the evidence holds without a renewal. */
    holdsUntil: z.string(),
    problems: z.array(z.string()),
  });

  const VerificationReportSchema = z.object({
    fileSize: z.number(),
    revisions: z.number(),
    signatures: z.array(SignatureReportSchema),
    verdict: z.enum(['valid', 'modified', 'invalid', 'unsigned']),
    summary: z.object({ vi: z.string(), en: z.string() }),
    /** Archive timestamps (B-LTA), when the document has any. */
    archive: ArchiveEvidenceSchema.nullable().optional(),
  });
  return { CertificateSummarySchema, SignatureReportSchema, ArchiveEvidenceSchema, VerificationReportSchema };
}
type ReportSchemas = ReturnType<typeof reportSchemas>;
let schemas: ReportSchemas | undefined;
/** What verifyPdf returns, as a schema (the API's VerificationReport; the audit evidence). */
export function verificationReportSchema() {
  schemas ??= reportSchemas();
  return schemas.VerificationReportSchema;
}
export type SignatureReport = z.infer<ReportSchemas['SignatureReportSchema']>;
export type ArchiveEvidence = z.infer<ReportSchemas['ArchiveEvidenceSchema']>;
export type VerificationReport = z.infer<ReportSchemas['VerificationReportSchema']>;

export interface VerifyOptions {
  readonly trust: TrustStore;
  /** CRLs to judge revocation with (in addition to those in the document's DSS). */
  readonly crls?: readonly Uint8Array[];
  /** Default: what docflow signs (limits.ts MAX_VERIFIED_PDF_BYTES). */
  readonly maxBytes?: number;
  /**
   * How the structure is read. 'auto' (default): the lazy reader, falling back to `wholeFile` for files it
   * cannot follow (without `wholeFile`: DomainError `pdf_damaged`); 'streamed': no fallback (a
   * PdfStructureError instead); 'libpdf': `wholeFile` only, the whole file in memory (needs `wholeFile`).
   */
  readonly parser?: 'auto' | 'streamed' | 'libpdf';
  /**
   * libpdf's whole-file parse (`wholeFileParser` from `verify-whole-file.ts`), for files the lazy reader
   * cannot follow (damaged xref, page tree without /Count). Given by callers that can afford it (the
   * auditors' CLI); not imported here, so that Lambda bundles leave libpdf's PDF class out.
   */
  readonly wholeFile?: WholeFileParser;
  /** The moment "now" is for what must still hold today (the last archive timestamp); default the clock. */
  readonly at?: Date;
}

/** The document's structure read whole: verify-whole-file.ts's libpdf parse is the one implementation. */
export interface WholeFileParser {
  /** Signatures, DSS and change analysis from the whole file in memory. */
  view(bytes: Uint8Array, maxBytes: number): Promise<DocumentView>;
  /** The change analysis alone, for a file whose later revisions the lazy reader cannot follow. */
  changesAfter(bytes: Uint8Array, revisionEnd: number): Promise<Change[]>;
}

function text(dict: PdfDict, key: string): string | null {
  const v = dict.get(key);
  return v instanceof PdfString ? v.asString() : v instanceof PdfName ? v.value : null;
}

/** The delegation a signature dictionary records, or null (none, or not docflow's form). */
function delegationOf(dict: PdfDict): SignatureDelegation | null {
  const raw = text(dict, DOCFLOW_DELEGATION_KEY);
  if (!raw) return null;
  try {
    const parsed = signatureDelegationSchema().safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** PDF date (D:YYYYMMDDHHmmSSOHH'mm') to ISO 8601 UTC. */
export function parsePdfDate(value: string | null): Date | null {
  const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?/.exec(value ?? '');
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', sign, oh = '00', om = '00'] = m;
  const offset = sign === '+' || sign === '-' ? (sign === '+' ? 1 : -1) * (Number(oh) * 60 + Number(om)) : 0;
  const utc =
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offset * 60_000;
  return Number.isNaN(utc) ? null : new Date(utc);
}

function summary(cert: CertificateInfo): z.infer<ReportSchemas['CertificateSummarySchema']> {
  return {
    commonName: cert.subject.commonName,
    subject: cert.subject.display,
    issuer: cert.issuer.display,
    serial: cert.serial,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
  };
}

/** A signature field found in the document, with its signature dictionary. */
export interface SignatureEntry {
  readonly fieldName: string;
  readonly sig: PdfDict;
}

/** What the verifier needs from the document's structure, however it was read. */
export interface DocumentView {
  readonly signatures: readonly SignatureEntry[];
  readonly dssCerts: readonly Uint8Array[];
  readonly dssCrls: readonly Uint8Array[];
  changesAfter(revisionEnd: number, ends: readonly number[]): Promise<Change[]>;
}

/** Terminal signature fields with a value, named and ordered as libpdf's form reader does. */
function signatureFieldsOf(rev: Revision, catalog: PdfDict): SignatureEntry[] {
  return terminalFields(rev, catalog).flatMap(({ name, dict }) => {
    if (fieldType(rev, dict) !== 'Sig' || !dict.has('V')) return [];
    const sig = rev.dict(dict.get('V'));
    return sig ? [{ fieldName: name, sig }] : [];
  });
}

/**
 * The document read lazily from the trailer: the xref chain, the catalog, the form's signature fields and
 * the DSS, nothing else. Throws PdfStructureError for anything the reader cannot follow.
 */
function streamedView(
  file: PdfFile,
  source: RandomAccessSource,
  unfollowable: (error: unknown, revisionEnd: number, ends: readonly number[]) => Promise<Change[]>,
): DocumentView {
  const rev = Revision.open(file);
  if (rev.trailer.has('Encrypt')) throw new DomainError('pdf_encrypted', 422);
  const catalog = rev.catalog();
  const count = rev.resolve(rev.dict(catalog.get('Pages'))?.get('Count'));
  // Page trees without a usable /Count go to libpdf, which counts the pages itself.
  if (!(count instanceof PdfNumber) || count.value <= 0) throw new PdfStructureError('no page count');
  const dss = rev.dict(catalog.get('DSS'));
  const streams = (key: string) =>
    (rev.array(dss?.get(key))?.toArray() ?? [])
      .map((item) => rev.resolve(item))
      .filter((s): s is PdfStream => s instanceof PdfStream)
      .map((s) => rev.decoded(s));
  return {
    signatures: signatureFieldsOf(rev, catalog),
    dssCerts: dss ? streams('Certs') : [],
    dssCrls: dss ? streams('CRLs') : [],
    async changesAfter(revisionEnd, ends) {
      const lastEnd = ends[ends.length - 1] ?? 0;
      const tail = await trailingBytes(source, Math.max(lastEnd, revisionEnd));
      try {
        return changesAfterStreamed(file, revisionEnd, ends, tail);
      } catch (error) {
        return unfollowable(error, revisionEnd, ends);
      }
    },
  };
}

// Hex digits and TRIM_WHITESPACE, matched natively over the text: a byte loop over a signature's /Contents is
// slow before the JIT has compiled it.
const ONLY_HEX_OR_SPACE = /^[0-9A-Fa-f\t\n\v\f\r \xa0]*$/;

async function trailingBytes(
  source: RandomAccessSource,
  from: number,
): Promise<{ length: number; onlyWhitespace: boolean }> {
  const length = Math.max(0, source.size - from);
  for (let at = from; at < source.size; ) {
    const chunk = await readSmall(source, at, Math.min(1024 * 1024, source.size - at));
    if (chunk.length === 0) break;
    if (!chunk.every((b) => TRIM_WHITESPACE.has(b))) return { length, onlyWhitespace: false };
    at += chunk.length;
  }
  return { length, onlyWhitespace: true };
}

/** Whether [from, to) holds only hex digits and whitespace, read in 1 MiB pieces. */
async function onlyHex(source: RandomAccessSource, from: number, to: number): Promise<boolean> {
  for (let at = from; at < to; ) {
    const chunk = await readSmall(source, at, Math.min(1024 * 1024, to - at));
    if (chunk.length === 0) return false;
    if (
      !ONLY_HEX_OR_SPACE.test(
        Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1'),
      )
    )
      return false;
    at += chunk.length;
  }
  return true;
}

async function byteAt(source: RandomAccessSource, at: number): Promise<number | undefined> {
  return (await readSmall(source, at, 1))[0];
}

/** The imprint of a parsed RFC 3161 token: which hash of the data it carries. */
function timestampImprint(parsed: ParsedSignedData): {
  algorithm: DigestName | undefined;
  hashed: Uint8Array;
} {
  if (!parsed.eContent) throw new Error('not a timestamp token');
  const info = readTstInfo(parsed.eContent);
  return { algorithm: info.imprintAlgorithm, hashed: info.hashedMessage };
}

const NOT_COVERED = 'the timestamp does not cover this signature';

/**
 * A document timestamp checked against a digest of its byte ranges computed while streaming: the token is
 * verified by `verifyTimestampToken` (signature, TSA certificate), the imprint comparison is redone here.
 */
function documentTimestamp(
  hashed: Uint8Array,
  checked: TimestampVerification,
  imprintDigest: Uint8Array | undefined,
): TimestampVerification {
  const imprintMatches = imprintDigest !== undefined && bytesEqual(hashed, imprintDigest);
  const others = checked.problems.filter((p) => p !== NOT_COVERED);
  return { ...checked, imprintMatches, problems: imprintMatches ? others : [NOT_COVERED, ...others] };
}

/** A file the lazy reader cannot follow, when the caller has no whole-file parser to try instead. */
function damaged(error: PdfStructureError): DomainError {
  return new DomainError('pdf_damaged', 422, {
    detail: messageText('detail_pdf_needs_repair', { detail: error.message }),
  });
}

async function openView(
  source: RandomAccessSource,
  input: Uint8Array | string,
  maxBytes: number,
  parser: 'auto' | 'streamed' | 'libpdf',
  wholeFile: WholeFileParser | undefined,
): Promise<DocumentView> {
  let whole: Uint8Array | undefined;
  const bytes = async () => {
    whole ??= typeof input === 'string' ? await source.read(0, source.size) : input;
    return whole;
  };
  if (parser === 'libpdf') {
    if (!wholeFile) throw new Error("verifyPdf: parser 'libpdf' needs options.wholeFile");
    return wholeFile.view(await bytes(), maxBytes);
  }
  // A later revision the lazy reader cannot follow: libpdf's analysis if given, else the file is refused.
  const unfollowable = async (
    error: unknown,
    revisionEnd: number,
    ends: readonly number[],
  ): Promise<Change[]> => {
    if (!(error instanceof PdfStructureError) || parser === 'streamed') throw error;
    if (wholeFile) return wholeFile.changesAfter(await bytes(), revisionEnd);
    // A byte range that ends inside a revision (the signature is invalid already) is that signature's
    // problem, reported, not the file's.
    if (!ends.includes(revisionEnd)) {
      return [{ category: 'document-structure', detail: `signed revision unreadable: ${error.message}` }];
    }
    throw damaged(error);
  };
  try {
    const file = typeof input === 'string' ? PdfFile.fromSource(source) : PdfFile.fromBytes(input);
    return streamedView(file, source, unfollowable);
  } catch (error) {
    if (!(error instanceof PdfStructureError) || parser === 'streamed') throw error;
    if (!wholeFile) throw damaged(error);
    return wholeFile.view(await bytes(), maxBytes);
  }
}

/**
 * Verifies every signature of any PDF: integrity (byte ranges, digest, CMS signature), the signer's chain
 * to a configured trust anchor, validity and revocation at signing time (the timestamp's time when there
 * is a valid one), the signature timestamp, and what later updates changed. Never throws for a bad
 * signature (that is a report); throws DomainError for input that is not a readable PDF.
 *
 * Memory: the structure is read lazily from the trailer (only the xref sections, the form, the signature
 * dictionaries, the DSS and, for the change analysis, the objects whose xref entries differ between
 * revisions); all byte ranges are hashed in one sequential 1 MiB-chunked pass over the file, which also
 * finds the revisions. Files the lazy reader cannot follow are parsed whole by `options.wholeFile` (libpdf,
 * with the same checks) or, without it, refused as `pdf_damaged`.
 */
export async function verifyPdf(
  input: Uint8Array | string,
  options: VerifyOptions,
): Promise<VerificationReport> {
  const maxBytes = options.maxBytes ?? MAX_VERIFIED_PDF_BYTES;
  const source = typeof input === 'string' ? await fileSource(input) : bytesSource(input);
  try {
    await checkPdfSource(source, { maxBytes });
    const view = await openView(source, input, maxBytes, options.parser ?? 'auto', options.wholeFile);
    const crls = [...(options.crls ?? []), ...view.dssCrls];
    const extraCerts = view.dssCerts.flatMap((der) => {
      try {
        return [parseCertificate(der)];
      } catch {
        return [];
      }
    });

    // 1. Read each signature's dictionary and CMS; decide what its byte ranges must be hashed with.
    const prepared: Prepared[] = [];
    const jobs: RangeHashJob[] = [];
    for (const { fieldName, sig } of view.signatures) {
      prepared.push(await prepare(fieldName, sig, prepared.length + 1));
    }
    const now = options.at ?? new Date();
    // Each archive timestamp must still hold when the next one is made over it; the last one, now.
    const archiveTimes = prepared
      .filter((p) => p.type === 'document-timestamp' && p.genTime && p.rangesSane)
      .map((p) => ({ end: p.end, time: p.genTime as Date }))
      .sort((a, b) => a.end - b.end);
    const checkedAt = (p: Prepared): Date => archiveTimes.find((t) => t.end > p.end)?.time ?? now;
    for (const p of prepared) {
      if (p.hashWith && p.rangesSane) {
        p.job = jobs.length;
        jobs.push({
          algorithm: p.hashWith,
          ranges: [
            [0, p.l1],
            [p.o2, p.l2],
          ],
        });
      }
    }
    // 2. One pass over the file: every digest, and where each revision ends.
    const scan = await scanSource(source, jobs);
    const ends = scan.revisionEnds;
    // 3. Judge each signature.
    const reports: SignatureReport[] = [];
    for (const p of prepared)
      reports.push(await judge(p, p.job === undefined ? undefined : scan.digests[p.job]));
    reports.sort((a, b) => a.revisionEnd - b.revisionEnd);
    reports.forEach((r, i) => {
      r.index = i + 1;
    });
    return finish(source.size, ends.length, reports);

    async function prepare(fieldName: string, sig: PdfDict, index: number): Promise<Prepared> {
      const type = sig.getName('Type')?.value === 'DocTimeStamp' ? 'document-timestamp' : 'signature';
      const subFilter = sig.getName('SubFilter')?.value ?? '';
      const br = (sig.getArray('ByteRange')?.toArray() ?? []).map((v) =>
        v instanceof PdfNumber ? v.value : -1,
      );
      const contents = sig.get('Contents');
      const cms = contents instanceof PdfString ? contents.bytes : new Uint8Array();
      const [o1 = -1, l1 = -1, o2 = -1, l2 = -1] = br;
      const end = o2 + l2;
      const rangesSane = br.length === 4 && o1 === 0 && l1 > 0 && o2 > l1 && l2 >= 0 && end <= source.size;
      // The gap must be exactly the hex string of /Contents: nothing else may be left unsigned.
      const gapIsContents =
        rangesSane &&
        (await byteAt(source, l1)) === 0x3c &&
        (await byteAt(source, o2 - 1)) === 0x3e &&
        (await onlyHex(source, l1 + 1, o2 - 1));
      const p: Prepared = {
        fieldName,
        sig,
        index,
        type,
        subFilter,
        br,
        l1,
        o2,
        l2,
        end,
        rangesSane,
        gapIsContents,
        cms,
      };
      try {
        const parsed = parseSignedData(cms);
        p.parsed = parsed;
        if (subFilter === 'ETSI.RFC3161') {
          // A document timestamp: the token's imprint is the hash of the byte ranges.
          p.timestampCheck = verifyTimestampToken(parsed, new Uint8Array());
          p.imprint = timestampImprint(parsed);
          p.hashWith = p.imprint.algorithm;
          p.genTime = p.timestampCheck.genTime;
        } else {
          p.signer = parsed.signerCertificate;
          if (!parsed.digestAlgorithm) throw new Error('unsupported digest algorithm');
          p.hashWith = parsed.digestAlgorithm;
        }
      } catch (error) {
        p.failure = error;
      }
      return p;
    }

    async function judge(p: Prepared, rangeDigest: Uint8Array | undefined): Promise<SignatureReport> {
      const { sig, type, subFilter, br, end, rangesSane, gapIsContents } = p;
      const problems: string[] = [];
      const coversWholeRevision = gapIsContents && ends.includes(end);
      if (!rangesSane) problems.push('the byte range is malformed');
      else if (!gapIsContents) problems.push('the byte range leaves more than the signature value unsigned');
      else if (!coversWholeRevision) problems.push('the byte range does not end at the end of a revision');

      const base = {
        index: p.index,
        fieldName: p.fieldName,
        type,
        subFilter,
        kind: text(sig, DOCFLOW_KIND_KEY),
        capacity: text(sig, DOCFLOW_CAPACITY_KEY),
        delegation: delegationOf(sig),
        reason: text(sig, 'Reason'),
        location: text(sig, 'Location'),
        claimedTime: parsePdfDate(text(sig, 'M'))?.toISOString() ?? null,
        byteRange: br,
        coversWholeRevision,
        revisionEnd: rangesSane ? end : -1,
        coversWholeFile: rangesSane && end === source.size,
      } as const;

      let digestValid = false;
      let signatureValid = false;
      let signingCertificateMatches: boolean | null = null;
      let signedAttributesSha256: string | null = null;
      let signer: CertificateInfo | undefined = p.signer;
      const certificates: readonly CertificateInfo[] = p.parsed?.certificates ?? [];
      let tst: TimestampVerification | undefined;
      try {
        if (p.failure !== undefined) throw p.failure;
        const parsed = p.parsed;
        if (!parsed) throw new Error('no CMS');
        if (subFilter === 'ETSI.RFC3161') {
          if (!p.timestampCheck || !p.imprint) throw new Error('not a timestamp token');
          tst = documentTimestamp(p.imprint.hashed, p.timestampCheck, rangesSane ? rangeDigest : undefined);
          signer = tst.tsaCertificate;
          digestValid = tst.imprintMatches;
          signatureValid = tst.signatureValid;
          problems.push(...tst.problems);
        } else {
          const check = verifySigner(parsed, rangesSane && rangeDigest ? rangeDigest : new Uint8Array());
          digestValid = check.messageDigestMatches;
          signatureValid = check.signatureValid;
          signingCertificateMatches = check.signingCertificateMatches ?? null;
          const signedAttrs = parsed.signerInfo.signedAttrs;
          signedAttributesSha256 = signedAttrs
            ? Buffer.from(digest('sha256', signedAttrs)).toString('hex')
            : null;
          problems.push(...check.problems);
          if (subFilter === 'ETSI.CAdES.detached' && check.signingTimeAttribute) {
            problems.push('PAdES baseline forbids a CMS signing-time attribute (informational)');
          }
          const token = signatureTimestampToken(parsed);
          if (token) tst = verifyTimestampToken(token, signatureValue(parsed));
        }
      } catch (error) {
        problems.push(
          `the signature value cannot be read: ${error instanceof Error ? error.message : String(error)}`,
        );
      }

      let timestamp: SignatureReport['timestamp'] = null;
      let tstTrusted = false;
      if (tst) {
        const tsa = tst.tsaCertificate;
        const tsaPath = tsa
          ? validatePath({
              certificate: tsa,
              intermediates: [...tst.certificates, ...extraCerts],
              trust: options.trust,
              at: tst.genTime,
              crls,
            })
          : undefined;
        tstTrusted = tsaPath?.valid === true;
        const valid = tst.imprintMatches && tst.signatureValid;
        timestamp = {
          time: tst.genTime.toISOString(),
          valid,
          authority: tsa?.subject.display ?? null,
          trusted: tstTrusted,
          problems: [...tst.problems, ...(tsaPath?.problems ?? ['no TSA certificate'])],
        };
      }
      const claimed = base.claimedTime ? new Date(base.claimedTime) : undefined;
      const at = timestamp?.valid && tstTrusted && tst ? tst.genTime : (claimed ?? now);

      const path = signer
        ? validatePath({
            certificate: signer,
            intermediates: [...certificates, ...extraCerts],
            trust: options.trust,
            at,
            crls,
          })
        : undefined;
      if (path) problems.push(...path.problems);
      const leafRevocation = path?.revocation[0];
      const revoked = path?.revocation.find((r) => r.status === 'revoked');
      const certificateValidAtSigningTime =
        signer !== undefined && at >= signer.notBefore && at <= signer.notAfter && revoked === undefined;
      if (
        signer &&
        type === 'signature' &&
        signer.extKeyUsage &&
        !signer.extKeyUsage.some(
          (e) => e === OID.emailProtection || e === OID.documentSigning || e === '2.5.29.37.0',
        )
      ) {
        problems.push('the signer certificate is not meant for document signing');
      }

      const later = base.revisionEnd > 0 ? await view.changesAfter(base.revisionEnd, ends) : [];
      const changes = later.map((c) => ({ ...c, allowed: ALLOWED_CHANGES.has(c.category) }));
      const modifiedAfter = changes.some((c) => !c.allowed);
      const intact =
        digestValid && signatureValid && coversWholeRevision && signingCertificateMatches !== false;
      const trusted = path?.valid === true;
      let archive: SignatureReport['archive'] = null;
      if (type === 'document-timestamp' && signer) {
        const heldAt = checkedAt(p);
        const holdsUntil = evidenceHorizon(signer);
        const held = validatePath({
          certificate: signer,
          intermediates: [...certificates, ...extraCerts],
          trust: options.trust,
          at: heldAt,
          crls,
        });
        archive = archiveHeld(holdsUntil, heldAt, intact, held.problems);
      }
      return {
        ...base,
        signer: signer ? summary(signer) : null,
        timestamp,
        validationTime: at.toISOString(),
        digestValid,
        signatureValid,
        signingCertificateMatches,
        signedAttributesSha256,
        chainTrusted: path?.trusted === true,
        certificateValidAtSigningTime,
        revocation: leafRevocation?.status ?? 'unknown',
        revokedAt:
          leafRevocation && 'revokedAt' in leafRevocation ? leafRevocation.revokedAt.toISOString() : null,
        changesAfter: changes,
        modifiedAfter,
        verdict: !intact || !trusted ? 'invalid' : modifiedAfter ? 'modified' : 'valid',
        problems: [...new Set(problems)],
        archive,
      };
    }
  } finally {
    await source.close();
  }
}

/** A signature between reading its dictionary and judging it (after the hashing pass). */
interface Prepared {
  readonly fieldName: string;
  readonly sig: PdfDict;
  readonly index: number;
  readonly type: 'signature' | 'document-timestamp';
  readonly subFilter: string;
  readonly br: number[];
  readonly l1: number;
  readonly o2: number;
  readonly l2: number;
  readonly end: number;
  readonly rangesSane: boolean;
  readonly gapIsContents: boolean;
  readonly cms: Uint8Array;
  parsed?: ParsedSignedData;
  signer?: CertificateInfo;
  timestampCheck?: TimestampVerification;
  imprint?: { algorithm: DigestName | undefined; hashed: Uint8Array };
  /** A document timestamp's time, as its token says (checked when judged). */
  genTime?: Date;
  hashWith?: DigestName;
  failure?: unknown;
  job?: number;
}

function finish(fileSize: number, revisions: number, signatures: SignatureReport[]): VerificationReport {
  const verdict =
    signatures.length === 0
      ? 'unsigned'
      : signatures.some((s) => s.verdict === 'invalid')
        ? 'invalid'
        : signatures.some((s) => s.verdict === 'modified')
          ? 'modified'
          : 'valid';
  const line = (s: SignatureReport): MessageParam => {
    const who: MessageParam = s.signer?.commonName ?? messageText('label_unknown_signer');
    const signer = s.delegation
      ? messageText('report_signer_delegation', {
          signer: who,
          capacity: s.capacity ?? `${s.delegation.kind}.`,
          basis: s.delegation.basis,
        })
      : s.capacity
        ? messageText('report_signer_capacity', { signer: who, capacity: s.capacity })
        : who;
    const params = { index: s.index, signer, verdict: messageText(`report_verdict_${s.verdict}`) };
    if (s.type === 'document-timestamp' && s.timestamp)
      return messageText('report_document_timestamp', {
        ...params,
        signer: who,
        time: hanoiDateTime(s.timestamp.time),
      });
    if (s.timestamp?.valid)
      return messageText('report_signature_timestamped', { ...params, time: s.timestamp.time });
    if (s.claimedTime)
      return messageText('report_signature_claimed_time', { ...params, time: s.claimedTime });
    return messageText('report_signature_untimed', params);
  };
  const archive = archiveEvidence(signatures);
  const lines = signatures.map(line);
  if (archive)
    lines.push(
      messageText(archive.valid ? 'report_archive_holds_until' : 'report_archive_broken', {
        count: archive.timestamps,
        time: hanoiDateTime(archive.holdsUntil),
      }),
    );
  // Built to its type, not parsed again: every field is set above from checked values (the unit tests
  // hold reports to verificationReportSchema()), and a parse costs a CLI run or a cold Lambda a few ms.
  const report: VerificationReport = {
    fileSize,
    revisions,
    signatures,
    verdict,
    archive,
    summary:
      signatures.length === 0
        ? messages.both('report_no_signature')
        : {
            vi: lines.map((l) => messages.renderParam(l, 'vi')).join('\n'),
            en: lines.map((l) => messages.renderParam(l, 'en')).join('\n'),
          },
  };
  return report;
}

/**
 * The chain of archive timestamps, oldest first: it holds when every one was intact, trusted and still held
 * when the next was made over it (the last: now). Until when: the last one's horizon.
 */
function archiveEvidence(signatures: readonly SignatureReport[]): ArchiveEvidence | null {
  const chain = signatures.filter((s) => s.type === 'document-timestamp');
  const last = chain.at(-1);
  if (!last) return null;
  const problems: string[] = [];
  for (const s of chain) {
    if (s.verdict !== 'invalid' && s.archive?.held) continue;
    problems.push(`archive timestamp ${s.index} does not hold`);
    problems.push(...s.problems, ...(s.archive?.problems ?? []));
  }
  return {
    timestamps: chain.length,
    valid: problems.length === 0,
    holdsUntil: last.archive?.holdsUntil ?? last.validationTime,
    problems: [...new Set(problems)],
  };
}

/** Whether a document timestamp's evidence still held at `at` (the next archive timestamp's time, or now). */
function archiveHeld(
  holdsUntil: Date,
  at: Date,
  intact: boolean,
  pathProblems: readonly string[],
): NonNullable<SignatureReport['archive']> {
  const problems = [...pathProblems];
  if (at > holdsUntil)
    problems.push(`the archive evidence lapsed at ${holdsUntil.toISOString()}, before ${at.toISOString()}`);
  return {
    holdsUntil: holdsUntil.toISOString(),
    checkedAt: at.toISOString(),
    held: intact && problems.length === 0,
    problems: [...new Set(problems)],
  };
}

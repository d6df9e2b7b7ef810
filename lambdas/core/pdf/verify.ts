import { PdfArray, PdfDict, PdfName, PdfNumber, PdfRef, PdfStream, PdfString } from '@libpdf/core';
import { z } from 'zod';
import {
  parseSignedData,
  signatureTimestampToken,
  signatureValue,
  type TimestampVerification,
  verifySigner,
  verifyTimestampToken,
} from '../cms/verify';
import { DomainError } from '../errors';
import { type CertificateInfo, parseCertificate } from '../pki/certificate';
import { OID } from '../pki/oids';
import { type TrustStore, validatePath } from '../pki/trust';
import { ALLOWED_CHANGES, changesAfter, revisionEnds } from './changes';
import { checkPdfBytes, DEFAULT_MAX_PDF_BYTES, loadPdf } from './input';
import { DOCFLOW_CAPACITY_KEY, DOCFLOW_KIND_KEY } from './sign';
import { bytesSource, fileSource, hashRanges, type RandomAccessSource } from './source';

const CertificateSummarySchema = z.object({
  commonName: z.string(),
  subject: z.string(),
  issuer: z.string(),
  serial: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
});

export const SignatureReportSchema = z.object({
  index: z.number().int(),
  fieldName: z.string(),
  type: z.enum(['signature', 'document-timestamp']),
  subFilter: z.string(),
  signer: CertificateSummarySchema.nullable(),
  kind: z.string().nullable(),
  capacity: z.string().nullable(),
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
  chainTrusted: z.boolean(),
  certificateValidAtSigningTime: z.boolean(),
  revocation: z.enum(['good', 'revoked', 'revoked-later', 'unknown']),
  revokedAt: z.string().nullable(),
  changesAfter: z.array(z.object({ category: z.string(), detail: z.string(), allowed: z.boolean() })),
  modifiedAfter: z.boolean(),
  verdict: z.enum(['valid', 'modified', 'invalid']),
  problems: z.array(z.string()),
});
export type SignatureReport = z.infer<typeof SignatureReportSchema>;

export const VerificationReportSchema = z.object({
  fileSize: z.number(),
  revisions: z.number(),
  signatures: z.array(SignatureReportSchema),
  verdict: z.enum(['valid', 'modified', 'invalid', 'unsigned']),
  summary: z.object({ vi: z.string(), en: z.string() }),
});
export type VerificationReport = z.infer<typeof VerificationReportSchema>;

export interface VerifyOptions {
  readonly trust: TrustStore;
  /** CRLs to judge revocation with (in addition to those in the document's DSS). */
  readonly crls?: readonly Uint8Array[];
  readonly maxBytes?: number;
}

function text(dict: PdfDict, key: string): string | null {
  const v = dict.get(key);
  return v instanceof PdfString ? v.asString() : v instanceof PdfName ? v.value : null;
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

function summary(cert: CertificateInfo): z.infer<typeof CertificateSummarySchema> {
  return {
    commonName: cert.subject.commonName,
    subject: cert.subject.display,
    issuer: cert.issuer.display,
    serial: cert.serial,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
  };
}

function streamsOf(dss: PdfDict, key: string, resolve: (o: PdfRef) => unknown): Uint8Array[] {
  const raw = dss.get(key);
  const arr = raw instanceof PdfRef ? resolve(raw) : raw;
  if (!(arr instanceof PdfArray)) return [];
  return arr
    .toArray()
    .map((item) => (item instanceof PdfRef ? resolve(item) : item))
    .filter((s): s is PdfStream => s instanceof PdfStream)
    .map((s) => s.getDecodedData());
}

async function readAll(source: RandomAccessSource): Promise<Uint8Array> {
  return source.read(0, source.size);
}

/**
 * Verifies every signature of any PDF: integrity (byte ranges, digest, CMS signature), the signer's chain
 * to a configured trust anchor, validity and revocation at signing time (the timestamp's time when there
 * is a valid one), the signature timestamp, and what later updates changed. Never throws for a bad
 * signature (that is a report); throws DomainError for input that is not a readable PDF.
 */
export async function verifyPdf(
  input: Uint8Array | string,
  options: VerifyOptions,
): Promise<VerificationReport> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_PDF_BYTES;
  const source = typeof input === 'string' ? await fileSource(input) : bytesSource(input);
  try {
    if (source.size > maxBytes)
      throw new DomainError('file_too_large', 413, { size: source.size, limit: maxBytes });
    // Structure is parsed in memory (libpdf); byte ranges are hashed from the source in 1 MiB reads.
    const bytes = await readAll(source);
    checkPdfBytes(bytes, { maxBytes });
    const pdf = await loadPdf(bytes, { maxBytes });
    const registry = pdf.context.registry;
    const resolve = (ref: PdfRef) => registry.resolve(ref);
    const ends = revisionEnds(bytes);

    const dssRaw = pdf.getCatalog().get('DSS');
    const dss = dssRaw instanceof PdfRef ? resolve(dssRaw) : dssRaw;
    const dssCerts = dss instanceof PdfDict ? streamsOf(dss, 'Certs', resolve) : [];
    const dssCrls = dss instanceof PdfDict ? streamsOf(dss, 'CRLs', resolve) : [];
    const crls = [...(options.crls ?? []), ...dssCrls];
    const extraCerts = dssCerts.flatMap((der) => {
      try {
        return [parseCertificate(der)];
      } catch {
        return [];
      }
    });

    const fields = (pdf.getForm()?.getSignatureFields() ?? []).filter((f) => f.isSigned());
    const reports: SignatureReport[] = [];
    for (const field of fields) {
      const sig = field.getSignatureDict();
      if (!sig) continue;
      reports.push(await verifyOne(field.name, sig, reports.length + 1));
    }
    reports.sort((a, b) => a.revisionEnd - b.revisionEnd);
    reports.forEach((r, i) => {
      r.index = i + 1;
    });
    return finish(source.size, ends.length, reports);

    async function verifyOne(fieldName: string, sig: PdfDict, index: number): Promise<SignatureReport> {
      const problems: string[] = [];
      const type = sig.getName('Type')?.value === 'DocTimeStamp' ? 'document-timestamp' : 'signature';
      const subFilter = sig.getName('SubFilter')?.value ?? '';
      const br = (sig.getArray('ByteRange')?.toArray() ?? []).map((v) =>
        v instanceof PdfNumber ? v.value : -1,
      );
      const contents = sig.get('Contents');
      const cms = contents instanceof PdfString ? contents.bytes : new Uint8Array();
      const [o1 = -1, l1 = -1, o2 = -1, l2 = -1] = br;
      const end = o2 + l2;
      const rangesSane = br.length === 4 && o1 === 0 && l1 > 0 && o2 > l1 && l2 >= 0 && end <= bytes.length;
      // The gap must be exactly the hex string of /Contents: nothing else may be left unsigned.
      const gapIsContents =
        rangesSane &&
        bytes[l1] === 0x3c &&
        bytes[o2 - 1] === 0x3e &&
        /^[0-9A-Fa-f\s]*$/.test(Buffer.from(bytes.subarray(l1 + 1, o2 - 1)).toString('latin1'));
      const coversWholeRevision = gapIsContents && ends.includes(end);
      if (!rangesSane) problems.push('the byte range is malformed');
      else if (!gapIsContents) problems.push('the byte range leaves more than the signature value unsigned');
      else if (!coversWholeRevision) problems.push('the byte range does not end at the end of a revision');

      const base = {
        index,
        fieldName,
        type,
        subFilter,
        kind: text(sig, DOCFLOW_KIND_KEY),
        capacity: text(sig, DOCFLOW_CAPACITY_KEY),
        reason: text(sig, 'Reason'),
        location: text(sig, 'Location'),
        claimedTime: parsePdfDate(text(sig, 'M'))?.toISOString() ?? null,
        byteRange: br,
        coversWholeRevision,
        revisionEnd: rangesSane ? end : -1,
        coversWholeFile: rangesSane && end === bytes.length,
      } as const;

      let digestValid = false;
      let signatureValid = false;
      let signingCertificateMatches: boolean | null = null;
      let signer: CertificateInfo | undefined;
      let certificates: readonly CertificateInfo[] = [];
      let tst: TimestampVerification | undefined;
      try {
        const parsed = parseSignedData(cms);
        certificates = parsed.certificates;
        if (subFilter === 'ETSI.RFC3161') {
          // A document timestamp: the token's imprint is the hash of the byte ranges.
          const data = rangesSane
            ? Buffer.concat([bytes.subarray(0, l1), bytes.subarray(o2, end)])
            : new Uint8Array();
          tst = verifyTimestampToken(cms, data);
          signer = tst.tsaCertificate;
          digestValid = tst.imprintMatches;
          signatureValid = tst.signatureValid;
          problems.push(...tst.problems);
        } else {
          signer = parsed.signerCertificate;
          if (!parsed.digestAlgorithm) throw new Error('unsupported digest algorithm');
          const contentDigest = rangesSane
            ? await hashRanges(
                source,
                [
                  [0, l1],
                  [o2, l2],
                ],
                parsed.digestAlgorithm,
              )
            : new Uint8Array();
          const check = verifySigner(parsed, contentDigest);
          digestValid = check.messageDigestMatches;
          signatureValid = check.signatureValid;
          signingCertificateMatches = check.signingCertificateMatches ?? null;
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
      const at = timestamp?.valid && tstTrusted && tst ? tst.genTime : (claimed ?? new Date());

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

      const later = base.revisionEnd > 0 ? await changesAfter(bytes, base.revisionEnd) : [];
      const changes = later.map((c) => ({ ...c, allowed: ALLOWED_CHANGES.has(c.category) }));
      const modifiedAfter = changes.some((c) => !c.allowed);
      const intact =
        digestValid && signatureValid && coversWholeRevision && signingCertificateMatches !== false;
      const trusted = path?.valid === true;
      return {
        ...base,
        signer: signer ? summary(signer) : null,
        timestamp,
        validationTime: at.toISOString(),
        digestValid,
        signatureValid,
        signingCertificateMatches,
        chainTrusted: path?.trusted === true,
        certificateValidAtSigningTime,
        revocation: leafRevocation?.status ?? 'unknown',
        revokedAt:
          leafRevocation && 'revokedAt' in leafRevocation ? leafRevocation.revokedAt.toISOString() : null,
        changesAfter: changes,
        modifiedAfter,
        verdict: !intact || !trusted ? 'invalid' : modifiedAfter ? 'modified' : 'valid',
        problems: [...new Set(problems)],
      };
    }
  } finally {
    await source.close();
  }
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
  const label = {
    vi: { valid: 'hợp lệ', modified: 'hợp lệ nhưng tài liệu bị sửa đổi sau khi ký', invalid: 'KHÔNG hợp lệ' },
    en: {
      valid: 'valid',
      modified: 'valid, but the document was modified after signing',
      invalid: 'NOT valid',
    },
  } as const;
  const line = (lang: 'vi' | 'en', s: SignatureReport) => {
    const who = s.signer?.commonName ?? (lang === 'vi' ? 'không rõ người ký' : 'unknown signer');
    const cap = s.capacity ? ` (${s.capacity})` : '';
    const when = s.timestamp?.valid
      ? lang === 'vi'
        ? `, dấu thời gian ${s.timestamp.time}`
        : `, timestamped ${s.timestamp.time}`
      : s.claimedTime
        ? lang === 'vi'
          ? `, thời điểm ký khai báo ${s.claimedTime}`
          : `, claimed time ${s.claimedTime}`
        : '';
    const head = lang === 'vi' ? `Chữ ký ${s.index}` : `Signature ${s.index}`;
    return `${head}: ${who}${cap}${when}: ${label[lang][s.verdict]}.`;
  };
  const empty = { vi: 'Tài liệu không có chữ ký số.', en: 'The document has no digital signature.' };
  return VerificationReportSchema.parse({
    fileSize,
    revisions,
    signatures,
    verdict,
    summary:
      signatures.length === 0
        ? empty
        : {
            vi: signatures.map((s) => line('vi', s)).join('\n'),
            en: signatures.map((s) => line('en', s)).join('\n'),
          },
  });
}

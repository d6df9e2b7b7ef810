import * as z from 'zod';
import { DomainError } from '../errors';
import { messageText } from '../i18n/messages';
import { bytesSource, hashRanges, type RandomAccessSource } from '../io/source';
import { assertMaySign, type RevocationCheck } from '../pki/signing-checks';
import type { TrustStore } from '../pki/trust';
import { validatePath } from '../pki/trust';
import type { DigestSigner } from '../ports/signer';
import { createSignedData, type TimestampProvider } from './signed-data';
import {
  parseSignedData,
  signatureTimestampToken,
  signatureValue,
  verifySigner,
  verifyTimestampToken,
} from './verify';

export interface CadesSignInput {
  /** The attachment (any format): bytes, or a source read in 1 MiB ranges. */
  readonly content: Uint8Array | RandomAccessSource;
  readonly signer: DigestSigner;
  readonly certificateChain: readonly Uint8Array[];
  /** CAdES baseline B-B carries signing-time in the CMS (unlike PAdES, which uses /M). */
  readonly signingTime: Date;
  readonly timestamp?: TimestampProvider;
  readonly revocation: RevocationCheck;
}

/** A detached CAdES signature (.p7s, DER) with content-type, message-digest, signing-certificate-v2; B-T with a TSA. */
export async function signDetachedCades(input: CadesSignInput): Promise<Uint8Array> {
  await assertMaySign(input);
  const source = input.content instanceof Uint8Array ? bytesSource(input.content) : input.content;
  const contentDigest = await hashRanges(source, [[0, source.size]], 'sha256');
  return createSignedData({
    signer: input.signer,
    certificateChain: input.certificateChain,
    contentDigest,
    signingTime: input.signingTime,
    ...(input.timestamp ? { timestamp: input.timestamp } : {}),
  });
}

export const CadesReportSchema = z.object({
  signer: z.object({ commonName: z.string(), subject: z.string(), serial: z.string() }).nullable(),
  signingTime: z.string().nullable(),
  timestamp: z.object({ time: z.string(), valid: z.boolean(), trusted: z.boolean() }).nullable(),
  digestValid: z.boolean(),
  signatureValid: z.boolean(),
  signingCertificateMatches: z.boolean().nullable(),
  chainTrusted: z.boolean(),
  revocation: z.enum(['good', 'revoked', 'revoked-later', 'unknown']),
  verdict: z.enum(['valid', 'invalid']),
  problems: z.array(z.string()),
});
export type CadesReport = z.infer<typeof CadesReportSchema>;

/** Verifies a detached .p7s over its content, with the same rules as PDF signatures. */
export async function verifyDetachedCades(
  p7s: Uint8Array,
  content: Uint8Array | RandomAccessSource,
  options: { trust: TrustStore; crls?: readonly Uint8Array[] },
): Promise<CadesReport> {
  let parsed: ReturnType<typeof parseSignedData>;
  try {
    parsed = parseSignedData(p7s);
  } catch (error) {
    throw new DomainError('cms_malformed', 422, {
      detail: error instanceof Error ? error.message : String(error),
    });
  }
  const problems: string[] = [];
  const source = content instanceof Uint8Array ? bytesSource(content) : content;
  const algorithm = parsed.digestAlgorithm;
  if (!algorithm)
    throw new DomainError('cms_malformed', 422, { detail: messageText('detail_cms_unsupported_digest') });
  const check = verifySigner(parsed, await hashRanges(source, [[0, source.size]], algorithm));
  problems.push(...check.problems);
  const token = signatureTimestampToken(parsed);
  const tst = token ? verifyTimestampToken(token, signatureValue(parsed)) : undefined;
  const tsaPath =
    tst?.tsaCertificate &&
    validatePath({
      certificate: tst.tsaCertificate,
      intermediates: tst.certificates,
      trust: options.trust,
      at: tst.genTime,
      crls: options.crls ?? [],
    });
  const tstOk = tst?.imprintMatches === true && tst.signatureValid && tsaPath?.valid === true;
  const at = tstOk && tst ? tst.genTime : (check.signingTimeAttribute ?? new Date());
  const signer = parsed.signerCertificate;
  const path = signer
    ? validatePath({
        certificate: signer,
        intermediates: parsed.certificates,
        trust: options.trust,
        at,
        crls: options.crls ?? [],
      })
    : undefined;
  problems.push(...(path?.problems ?? []));
  const valid =
    check.messageDigestMatches &&
    check.signatureValid &&
    check.signingCertificateMatches !== false &&
    path?.valid === true;
  return CadesReportSchema.parse({
    signer: signer
      ? { commonName: signer.subject.commonName, subject: signer.subject.display, serial: signer.serial }
      : null,
    signingTime: check.signingTimeAttribute?.toISOString() ?? null,
    timestamp: tst
      ? {
          time: tst.genTime.toISOString(),
          valid: tst.imprintMatches && tst.signatureValid,
          trusted: tsaPath?.valid === true,
        }
      : null,
    digestValid: check.messageDigestMatches,
    signatureValid: check.signatureValid,
    signingCertificateMatches: check.signingCertificateMatches ?? null,
    chainTrusted: path?.trusted === true,
    revocation: path?.revocation[0]?.status ?? 'unknown',
    verdict: valid ? 'valid' : 'invalid',
    problems: [...new Set(problems)],
  });
}

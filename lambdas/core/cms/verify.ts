import { createHash } from 'node:crypto';
import * as pkijs from 'pkijs';
import { signatureOidFor, verifySignature } from '../pki/algorithms';
import { bytesEqual, parseDer } from '../pki/asn1';
import { type CertificateInfo, parseCertificate } from '../pki/certificate';
import { CLASS, Der, TAG } from '../pki/der';
import { DIGEST_BY_OID, OID } from '../pki/oids';

export type DigestName = 'sha256' | 'sha384' | 'sha512';

export function digest(name: DigestName, ...parts: Uint8Array[]): Uint8Array {
  const hash = createHash(name);
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

/** The parts of a SignerInfo the checks use, as received (RFC 5652 §5.3). */
export interface SignerInfoView {
  readonly digestAlgorithm: string;
  readonly signatureAlgorithm: string;
  readonly signature: Uint8Array;
  /** The signed attributes as received, re-tagged as SET (RFC 5652 §5.4): the bytes the signature covers. */
  readonly signedAttrs: Uint8Array | undefined;
  /** The first value of each signed and unsigned attribute, by type. */
  readonly signed: ReadonlyMap<string, Der>;
  readonly unsigned: ReadonlyMap<string, Der>;
}

/** A parsed CMS SignedData with its first SignerInfo (docflow and PAdES use exactly one signer). */
export interface ParsedSignedData {
  readonly signerInfo: SignerInfoView;
  readonly certificates: readonly CertificateInfo[];
  readonly signerCertificate: CertificateInfo | undefined;
  /** The digest the signer used for the content (from SignerInfo.digestAlgorithm). */
  readonly digestAlgorithm: DigestName | undefined;
  readonly eContentType: string;
  readonly eContent: Uint8Array | undefined;
}

/**
 * Reads a CMS SignedData (ContentInfo) in place with `Der`: the certificates go to `parseCertificate` as
 * the bytes received (each read once, then cached), the signed attributes stay as received, and nothing
 * is re-encoded.
 */
export function parseSignedData(der: Uint8Array): ParsedSignedData {
  // PDF /Contents is zero-padded after the DER; the reader takes the first element and ignores the rest.
  const [contentType, content] = Der.read(der, 'CMS').items('ContentInfo');
  if (contentType?.oid() !== OID.signedData || !content?.is(CLASS.context, 0))
    throw new Error('not a CMS SignedData');
  // version, digestAlgorithms, encapContentInfo, [0] certificates, [1] crls, signerInfos.
  const fields = content.child(0)?.items('SignedData') ?? [];
  const encap = fields[2]?.items('EncapsulatedContentInfo');
  const certificateSet = fields.find((f, i) => i > 2 && f.is(CLASS.context, 0) && f.constructed);
  const signerInfos = fields[fields.length - 1];
  if (!fields[0]?.isUniversal(TAG.integer) || !encap?.[0] || !signerInfos?.isUniversal(TAG.set))
    throw new Error('malformed CMS SignedData');
  const first = signerInfos.children()[0];
  if (!first) throw new Error('CMS SignedData without a SignerInfo');
  const signerInfo = readSignerInfo(first);
  // CertificateChoices: plain certificates are SEQUENCEs; the other choices are tagged and skipped.
  const certificates = (certificateSet?.children() ?? [])
    .filter((c) => c.isUniversal(TAG.sequence))
    .map((c) => parseCertificate(c.raw));
  const sid = first.child(1);
  const signerCertificate = sid ? certificates.find((c) => identifies(sid, c)) : undefined;
  const eContent = encap[1]?.is(CLASS.context, 0) ? encap[1].child(0)?.octets() : undefined;
  return {
    signerInfo,
    certificates,
    signerCertificate,
    digestAlgorithm: DIGEST_BY_OID[signerInfo.digestAlgorithm],
    eContentType: encap[0].oid(),
    eContent,
  };
}

/** version, sid, digestAlgorithm, [0] signedAttrs, signatureAlgorithm, signature, [1] unsignedAttrs. */
function readSignerInfo(info: Der): SignerInfoView {
  const fields = info.items('SignerInfo');
  let at = 2;
  const digestAlgorithm = fields[at++]?.items('AlgorithmIdentifier')[0]?.oid();
  const signedField = fields[at]?.is(CLASS.context, 0) ? fields[at++] : undefined;
  const signatureAlgorithm = fields[at++]?.items('AlgorithmIdentifier')[0]?.oid();
  const signature = fields[at++]?.octets();
  const unsignedField = fields[at]?.is(CLASS.context, 1) ? fields[at] : undefined;
  if (!digestAlgorithm || !signatureAlgorithm || !signature) throw new Error('malformed CMS SignerInfo');
  let signedAttrs: Uint8Array | undefined;
  if (signedField) {
    // A copy (not `slice`, which shares memory on a Buffer): the input must not change.
    signedAttrs = new Uint8Array(signedField.raw);
    signedAttrs[0] = 0x31;
  }
  return {
    digestAlgorithm,
    signatureAlgorithm,
    signature,
    signedAttrs,
    signed: attributes(signedField),
    unsigned: attributes(unsignedField),
  };
}

function attributes(field: Der | undefined): Map<string, Der> {
  const found = new Map<string, Der>();
  for (const attribute of field?.children() ?? []) {
    const [type, values] = attribute.items('Attribute');
    const value = values?.items('SET')[0];
    const oid = type?.oid();
    if (oid && value && !found.has(oid)) found.set(oid, value);
  }
  return found;
}

/** Whether a SignerIdentifier (issuer and serial, or [0] subject key identifier) names `cert`. */
function identifies(sid: Der, cert: CertificateInfo): boolean {
  if (sid.is(CLASS.context, 0) && !sid.constructed)
    return cert.subjectKeyId !== undefined && bytesEqual(cert.subjectKeyId, sid.content);
  const [issuer, serial] = sid.items('IssuerAndSerialNumber');
  if (!issuer || !serial || !bytesEqual(serial.integer(), cert.serialNumber)) return false;
  // Names normally repeat byte for byte; otherwise compare them as pkijs does (case and spaces folded).
  return bytesEqual(issuer.raw, cert.issuerDer) || sameName(issuer.raw, cert.issuerDer);
}

function sameName(a: Uint8Array, b: Uint8Array): boolean {
  try {
    const name = (der: Uint8Array) => new pkijs.RelativeDistinguishedNames({ schema: parseDer(der, 'name') });
    return name(a).isEqual(name(b));
  } catch {
    return false;
  }
}

export interface SignerVerification {
  readonly messageDigestMatches: boolean;
  readonly signatureValid: boolean;
  /** undefined: attribute absent. */
  readonly signingCertificateMatches: boolean | undefined;
  readonly signingTimeAttribute: Date | undefined;
  readonly contentTypeAttribute: string | undefined;
  readonly problems: readonly string[];
}

/**
 * Checks the SignerInfo against a content digest computed by the caller with `parsed.digestAlgorithm`
 * (so PDF byte ranges can be hashed as a stream): message-digest, signature over the signed attributes,
 * and ESS signing-certificate(-v2) against the signer's certificate.
 */
export function verifySigner(parsed: ParsedSignedData, contentDigest: Uint8Array): SignerVerification {
  const problems: string[] = [];
  const info = parsed.signerInfo;
  const cert = parsed.signerCertificate;
  if (!cert) problems.push('the signer certificate is not in the CMS');
  if (!parsed.digestAlgorithm) problems.push(`unsupported digest algorithm ${info.digestAlgorithm}`);
  if (!info.signedAttrs) problems.push('no signed attributes');

  const md = info.signed.get(OID.messageDigest);
  const messageDigestMatches =
    md?.isUniversal(TAG.octetString) === true && bytesEqual(md.octets(), contentDigest);
  if (!messageDigestMatches) problems.push('the message digest does not match the signed content');

  let signatureValid = false;
  if (cert && info.signedAttrs) {
    const oid = signatureOidFor(info.signatureAlgorithm, info.digestAlgorithm);
    signatureValid = verifySignature(cert.spki, oid, info.signedAttrs, info.signature);
    if (!signatureValid) problems.push('the signature value does not verify with the signer certificate');
  }

  let signingCertificateMatches: boolean | undefined;
  const scv2 = info.signed.get(OID.signingCertificateV2);
  if (scv2 && cert) {
    signingCertificateMatches = namesCertificate(scv2, cert);
    if (!signingCertificateMatches)
      problems.push('signing-certificate-v2 does not name the signer certificate');
  }

  const st = info.signed.get(OID.signingTime);
  const ct = info.signed.get(OID.contentType);
  return {
    messageDigestMatches,
    signatureValid,
    signingCertificateMatches,
    signingTimeAttribute: st ? timeOrUndefined(st) : undefined,
    contentTypeAttribute: ct?.isUniversal(TAG.oid) ? ct.oid() : undefined,
    problems,
  };
}

/** SigningCertificateV2 (RFC 5035): its first ESSCertIDv2's hash (SHA-256 unless stated) is the certificate's. */
function namesCertificate(value: Der, cert: CertificateInfo): boolean {
  try {
    const essCertId = value.items('SigningCertificateV2')[0]?.items('certs')[0];
    const fields = essCertId?.items('ESSCertIDv2') ?? [];
    const first = fields[0];
    const explicit = first?.isUniversal(TAG.sequence) === true;
    const hashOid = explicit ? first?.items('AlgorithmIdentifier')[0]?.oid() : OID.sha256;
    const hashField = explicit ? fields[1] : first;
    const hashName = hashOid ? DIGEST_BY_OID[hashOid] : undefined;
    return (
      hashName !== undefined &&
      hashField?.isUniversal(TAG.octetString) === true &&
      bytesEqual(hashField.octets(), digest(hashName, cert.der))
    );
  } catch {
    return false;
  }
}

function timeOrUndefined(value: Der): Date | undefined {
  if (!value.isUniversal(TAG.utcTime) && !value.isUniversal(TAG.generalizedTime)) return undefined;
  try {
    return value.time();
  } catch {
    return undefined;
  }
}

/** The signature value of the SignerInfo (what a signature timestamp covers). */
export function signatureValue(parsed: ParsedSignedData): Uint8Array {
  return parsed.signerInfo.signature;
}

/** The id-aa-signatureTimeStampToken of the SignerInfo, as received. */
export function signatureTimestampToken(parsed: ParsedSignedData): Uint8Array | undefined {
  return parsed.signerInfo.unsigned.get(OID.signatureTimeStampToken)?.raw;
}

/** What docflow reads from a TSTInfo (RFC 3161 §2.4.2). */
export interface TstInfo {
  /** The imprint's hash algorithm, when docflow supports it. */
  readonly imprintAlgorithm: DigestName | undefined;
  readonly hashedMessage: Uint8Array;
  readonly genTime: Date;
}

/** version, policy, messageImprint, serialNumber, genTime, … */
export function readTstInfo(der: Uint8Array): TstInfo {
  const [, , imprint, , genTime] = Der.read(der, 'TSTInfo').items('TSTInfo');
  const [algorithm, hashed] = imprint?.items('MessageImprint') ?? [];
  const oid = algorithm?.items('AlgorithmIdentifier')[0]?.oid();
  if (!oid || !hashed || !genTime) throw new Error('malformed DER in TSTInfo: missing fields');
  return { imprintAlgorithm: DIGEST_BY_OID[oid], hashedMessage: hashed.octets(), genTime: genTime.time() };
}

export interface TimestampVerification {
  readonly genTime: Date;
  readonly imprintMatches: boolean;
  readonly signatureValid: boolean;
  readonly tsaCertificate: CertificateInfo | undefined;
  readonly certificates: readonly CertificateInfo[];
  readonly problems: readonly string[];
}

/**
 * Verifies an RFC 3161 token (DER, or already parsed) over `data`, hashed with the token's own imprint
 * algorithm.
 */
export function verifyTimestampToken(
  token: Uint8Array | ParsedSignedData,
  data: Uint8Array,
): TimestampVerification {
  const parsed = token instanceof Uint8Array ? parseSignedData(token) : token;
  if (parsed.eContentType !== OID.tstInfo || !parsed.eContent) throw new Error('not a timestamp token');
  const tstInfo = readTstInfo(parsed.eContent);
  const problems: string[] = [];
  const imprintAlg = tstInfo.imprintAlgorithm;
  const imprintMatches =
    imprintAlg !== undefined && bytesEqual(tstInfo.hashedMessage, digest(imprintAlg, data));
  if (!imprintMatches) problems.push('the timestamp does not cover this signature');
  const signer = parsed.digestAlgorithm
    ? verifySigner(parsed, digest(parsed.digestAlgorithm, parsed.eContent))
    : undefined;
  const signatureValid =
    signer?.messageDigestMatches === true &&
    signer.signatureValid &&
    signer.signingCertificateMatches !== false;
  problems.push(...(signer?.problems ?? ['unsupported digest in the timestamp token']));
  if (parsed.signerCertificate && !parsed.signerCertificate.extKeyUsage?.includes(OID.timeStamping)) {
    problems.push('the timestamp was not signed by a time-stamping certificate');
  }
  return {
    genTime: tstInfo.genTime,
    imprintMatches,
    signatureValid,
    tsaCertificate: parsed.signerCertificate,
    certificates: parsed.certificates,
    problems,
  };
}

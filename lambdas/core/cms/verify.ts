import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { signatureOidFor, verifySignature } from '../pki/algorithms';
import { bytesEqual, derOf, parseDer } from '../pki/asn1';
import { type CertificateInfo, parseCertificate } from '../pki/certificate';
import { DIGEST_BY_OID, OID } from '../pki/oids';

export type DigestName = 'sha256' | 'sha384' | 'sha512';

export function digest(name: DigestName, ...parts: Uint8Array[]): Uint8Array {
  const hash = createHash(name);
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

/** A parsed CMS SignedData with its first SignerInfo (docflow and PAdES use exactly one signer). */
export interface ParsedSignedData {
  readonly signedData: pkijs.SignedData;
  readonly signerInfo: pkijs.SignerInfo;
  readonly certificates: readonly CertificateInfo[];
  readonly signerCertificate: CertificateInfo | undefined;
  /** The digest the signer used for the content (from SignerInfo.digestAlgorithm). */
  readonly digestAlgorithm: DigestName | undefined;
  readonly eContentType: string;
  readonly eContent: Uint8Array | undefined;
}

export function parseSignedData(der: Uint8Array): ParsedSignedData {
  // PDF /Contents is zero-padded after the DER; asn1js reads the first element and ignores the rest.
  const contentInfo = new pkijs.ContentInfo({ schema: parseDer(der, 'CMS') });
  if (contentInfo.contentType !== OID.signedData) throw new Error('not a CMS SignedData');
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo) throw new Error('CMS SignedData without a SignerInfo');
  const certificates = (signedData.certificates ?? [])
    .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
    .map((c) => parseCertificate(derOf(c.toSchema())));
  const signerCertificate = certificates.find((c) => {
    if (signerInfo.sid instanceof pkijs.IssuerAndSerialNumber) {
      return (
        c.pkijs.issuer.isEqual(signerInfo.sid.issuer) &&
        c.pkijs.serialNumber.isEqual(signerInfo.sid.serialNumber)
      );
    }
    const ski = signerInfo.sid instanceof asn1js.Constructed ? undefined : signerInfo.sid;
    return ski instanceof asn1js.OctetString && c.subjectKeyId !== undefined
      ? bytesEqual(c.subjectKeyId, new Uint8Array(ski.valueBlock.valueHexView))
      : false;
  });
  const eContent = signedData.encapContentInfo.eContent;
  return {
    signedData,
    signerInfo,
    certificates,
    signerCertificate,
    digestAlgorithm: DIGEST_BY_OID[signerInfo.digestAlgorithm.algorithmId],
    eContentType: signedData.encapContentInfo.eContentType,
    eContent: eContent ? octets(eContent) : undefined,
  };
}

/** The bytes of an OCTET STRING, also when BER-encoded in constructed chunks. */
function octets(value: asn1js.OctetString): Uint8Array {
  if (!value.idBlock.isConstructed) return new Uint8Array(value.valueBlock.valueHexView);
  const parts = (value.valueBlock.value as asn1js.OctetString[]).map((p) => octets(p));
  return new Uint8Array(Buffer.concat(parts));
}

function attributeValue(info: pkijs.SignerInfo, type: string, unsigned = false): asn1js.AsnType | undefined {
  const attrs = unsigned ? info.unsignedAttrs : info.signedAttrs;
  return attrs?.attributes.find((a) => a.type === type)?.values[0];
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
  if (!parsed.digestAlgorithm)
    problems.push(`unsupported digest algorithm ${info.digestAlgorithm.algorithmId}`);
  if (!info.signedAttrs) problems.push('no signed attributes');

  const md = attributeValue(info, OID.messageDigest);
  const messageDigestMatches =
    md instanceof asn1js.OctetString && bytesEqual(new Uint8Array(md.valueBlock.valueHexView), contentDigest);
  if (!messageDigestMatches) problems.push('the message digest does not match the signed content');

  let signatureValid = false;
  if (cert && info.signedAttrs) {
    // encodedValue keeps the attributes as received, re-tagged as SET (RFC 5652 §5.4).
    const signedBytes = new Uint8Array(info.signedAttrs.encodedValue);
    const oid = signatureOidFor(info.signatureAlgorithm.algorithmId, info.digestAlgorithm.algorithmId);
    signatureValid = verifySignature(
      cert.spki,
      oid,
      signedBytes,
      new Uint8Array(info.signature.valueBlock.valueHexView),
    );
    if (!signatureValid) problems.push('the signature value does not verify with the signer certificate');
  }

  let signingCertificateMatches: boolean | undefined;
  const scv2 = attributeValue(info, OID.signingCertificateV2);
  if (scv2 instanceof asn1js.Sequence && cert) {
    const essCertId = (scv2.valueBlock.value[0] as asn1js.Sequence | undefined)?.valueBlock.value[0];
    const fields = essCertId instanceof asn1js.Sequence ? essCertId.valueBlock.value : [];
    const first = fields[0];
    const hashOid =
      first instanceof asn1js.Sequence
        ? (first.valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString()
        : OID.sha256;
    const hashField = first instanceof asn1js.Sequence ? fields[1] : first;
    const hashName = DIGEST_BY_OID[hashOid];
    signingCertificateMatches =
      hashName !== undefined &&
      hashField instanceof asn1js.OctetString &&
      bytesEqual(new Uint8Array(hashField.valueBlock.valueHexView), digest(hashName, cert.der));
    if (!signingCertificateMatches)
      problems.push('signing-certificate-v2 does not name the signer certificate');
  }

  const st = attributeValue(info, OID.signingTime);
  const signingTimeAttribute =
    st instanceof asn1js.UTCTime || st instanceof asn1js.GeneralizedTime ? st.toDate() : undefined;
  const ct = attributeValue(info, OID.contentType);
  return {
    messageDigestMatches,
    signatureValid,
    signingCertificateMatches,
    signingTimeAttribute,
    contentTypeAttribute: ct instanceof asn1js.ObjectIdentifier ? ct.valueBlock.toString() : undefined,
    problems,
  };
}

/** The signature value of the SignerInfo (what a signature timestamp covers). */
export function signatureValue(parsed: ParsedSignedData): Uint8Array {
  return new Uint8Array(parsed.signerInfo.signature.valueBlock.valueHexView);
}

export function signatureTimestampToken(parsed: ParsedSignedData): Uint8Array | undefined {
  const token = attributeValue(parsed.signerInfo, OID.signatureTimeStampToken, true);
  return token ? new Uint8Array(token.toBER(false)) : undefined;
}

export interface TimestampVerification {
  readonly genTime: Date;
  readonly imprintMatches: boolean;
  readonly signatureValid: boolean;
  readonly tsaCertificate: CertificateInfo | undefined;
  readonly certificates: readonly CertificateInfo[];
  readonly problems: readonly string[];
}

/** Verifies an RFC 3161 token over `data` (hashed with the token's own imprint algorithm). */
export function verifyTimestampToken(token: Uint8Array, data: Uint8Array): TimestampVerification {
  const parsed = parseSignedData(token);
  if (parsed.eContentType !== OID.tstInfo || !parsed.eContent) throw new Error('not a timestamp token');
  const tstInfo = new pkijs.TSTInfo({ schema: parseDer(parsed.eContent, 'TSTInfo') });
  const problems: string[] = [];
  const imprintAlg = DIGEST_BY_OID[tstInfo.messageImprint.hashAlgorithm.algorithmId];
  const imprintMatches =
    imprintAlg !== undefined &&
    bytesEqual(
      new Uint8Array(tstInfo.messageImprint.hashedMessage.valueBlock.valueHexView),
      digest(imprintAlg, data),
    );
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

import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { verifySignature } from './algorithms';
import { bytesEqual, derOf, parseDer, pemDecodeAll, serialHex, toArrayBuffer } from './asn1';
import { type DistinguishedName, decodeName, nameDer } from './names';
import { OID } from './oids';

export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign';

export const KEY_USAGE_BITS: readonly KeyUsageName[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
];

/** What the rest of docflow needs to know about a certificate, decoded once. */
export interface CertificateInfo {
  readonly der: Uint8Array;
  readonly pkijs: pkijs.Certificate;
  readonly serial: string;
  readonly subject: DistinguishedName & { display: string };
  readonly issuer: DistinguishedName & { display: string };
  readonly subjectDer: Uint8Array;
  readonly issuerDer: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly spki: Uint8Array;
  readonly keyAlgorithm: 'RSA' | 'EC' | 'other';
  readonly isCa: boolean;
  readonly pathLength: number | undefined;
  readonly keyUsage: readonly KeyUsageName[] | undefined;
  readonly extKeyUsage: readonly string[] | undefined;
  readonly crlUrls: readonly string[];
  readonly subjectKeyId: Uint8Array | undefined;
  readonly sha256: string;
}

export function parseCertificate(der: Uint8Array): CertificateInfo {
  const cert = new pkijs.Certificate({ schema: parseDer(der, 'certificate') });
  const ext = (oid: string) => cert.extensions?.find((e) => e.extnID === oid);
  const basic = ext(OID.basicConstraints)?.parsedValue as pkijs.BasicConstraints | undefined;
  const ku = ext(OID.keyUsage)?.parsedValue as asn1js.BitString | undefined;
  const eku = ext(OID.extKeyUsage)?.parsedValue as pkijs.ExtKeyUsage | undefined;
  const cdp = ext(OID.cRLDistributionPoints)?.parsedValue as pkijs.CRLDistributionPoints | undefined;
  const ski = ext(OID.subjectKeyIdentifier)?.parsedValue as asn1js.OctetString | undefined;
  const spki = derOf(cert.subjectPublicKeyInfo.toSchema());
  const keyOid = cert.subjectPublicKeyInfo.algorithm.algorithmId;
  return {
    der,
    pkijs: cert,
    serial: serialHex(cert.serialNumber),
    subject: decodeName(cert.subject),
    issuer: decodeName(cert.issuer),
    subjectDer: nameDer(cert.subject),
    issuerDer: nameDer(cert.issuer),
    notBefore: cert.notBefore.value,
    notAfter: cert.notAfter.value,
    spki,
    keyAlgorithm: keyOid === OID.rsaEncryption ? 'RSA' : keyOid === OID.ecPublicKey ? 'EC' : 'other',
    isCa: basic?.cA === true,
    pathLength: typeof basic?.pathLenConstraint === 'number' ? basic.pathLenConstraint : undefined,
    keyUsage: ku ? decodeKeyUsage(ku) : undefined,
    extKeyUsage: eku?.keyPurposes,
    crlUrls: (cdp?.distributionPoints ?? []).flatMap((dp) =>
      Array.isArray(dp.distributionPoint)
        ? dp.distributionPoint.filter((n) => n.type === 6).map((n) => String(n.value))
        : [],
    ),
    subjectKeyId: ski ? new Uint8Array(ski.valueBlock.valueHexView) : undefined,
    sha256: createHash('sha256').update(der).digest('hex'),
  };
}

/** Accepts DER or PEM (one certificate). */
export function certificateFromInput(input: Uint8Array | string): CertificateInfo {
  if (typeof input === 'string') {
    const [der] = pemDecodeAll(input, 'CERTIFICATE');
    if (!der) throw new Error('no PEM certificate found');
    return parseCertificate(der);
  }
  return parseCertificate(input);
}

export function encodeKeyUsage(usages: readonly KeyUsageName[]): asn1js.BitString {
  // DER named bit list: drop trailing zero bits and count the unused ones (X.690 §11.2.2).
  let bits = 0;
  for (const u of usages) bits |= 1 << (7 - KEY_USAGE_BITS.indexOf(u));
  const byte = bits & 0xff;
  let unused = 0;
  while (unused < 8 && byte !== 0 && ((byte >> unused) & 1) === 0) unused++;
  return new asn1js.BitString({ valueHex: toArrayBuffer(new Uint8Array([byte])), unusedBits: unused });
}

function decodeKeyUsage(bits: asn1js.BitString): KeyUsageName[] {
  const bytes = new Uint8Array(bits.valueBlock.valueHexView);
  return KEY_USAGE_BITS.filter((_, i) => ((bytes[i >> 3] ?? 0) >> (7 - (i % 8))) & 1);
}

/** True when `issuer` signed `subject` (names chain and the signature verifies with the issuer's key). */
export function isIssuedBy(subject: CertificateInfo, issuer: CertificateInfo): boolean {
  if (!bytesEqual(subject.issuerDer, issuer.subjectDer)) return false;
  return verifySignature(
    issuer.spki,
    subject.pkijs.signatureAlgorithm.algorithmId,
    new Uint8Array(subject.pkijs.tbsView),
    new Uint8Array(subject.pkijs.signatureValue.valueBlock.valueHexView),
  );
}

export function isSelfSigned(cert: CertificateInfo): boolean {
  return isIssuedBy(cert, cert);
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING value (an identifier, not security). */
export function keyIdentifier(spkiDer: Uint8Array): Uint8Array {
  const spki = new pkijs.PublicKeyInfo({ schema: parseDer(spkiDer, 'public key') });
  return new Uint8Array(
    createHash('sha1').update(new Uint8Array(spki.subjectPublicKey.valueBlock.valueHexView)).digest(),
  );
}

export function describeCertificate(cert: CertificateInfo): string {
  return `${cert.subject.display} (serial ${cert.serial}, issuer ${cert.issuer.display})`;
}

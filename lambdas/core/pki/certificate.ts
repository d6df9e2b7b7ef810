import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { verifySignature } from './algorithms';
import { bytesEqual, parseDer, pemDecodeAll, serialHex, toArrayBuffer } from './asn1';
import { CLASS, Der, TAG } from './der';
import { LruCache } from './lru';
import { type DistinguishedName, decodeName } from './names';
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
  /** pkijs's reading, made on first use: building certificates, CRLs and CMS needs it, verifying does not. */
  readonly pkijs: pkijs.Certificate;
  readonly serial: string;
  /** The serial number's INTEGER content octets as encoded (issuer/serial references compare these). */
  readonly serialNumber: Uint8Array;
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
  /** The to-be-signed part as received, the issuer's signature algorithm and the signature bits. */
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: string;
  readonly signatureValue: Uint8Array;
}

/*
 * Parsed certificates by SHA-256, least recently used first. The same CA and TSA certificates come with
 * every signature and every timestamp, and a warm Lambda sees the same signers again; the entries are
 * immutable, so sharing them is safe. Bounded so that a stream of distinct certificates cannot grow it.
 */
const parsed = new LruCache<CertificateInfo>(512);

/** Reads a DER certificate (trailing bytes after it are ignored); the same bytes give the same object. */
export function parseCertificate(der: Uint8Array): CertificateInfo {
  const sha256 = createHash('sha256').update(der).digest('hex');
  const hit = parsed.get(sha256);
  if (hit) return hit;
  // A copy (not `slice`, which shares memory on a Buffer): the input is often a view into a whole CMS or a
  // PDF chunk, which the cache must not keep alive.
  const info = decodeCertificate(new Uint8Array(der), sha256);
  parsed.set(sha256, info);
  return info;
}

function decodeCertificate(der: Uint8Array, sha256: string): CertificateInfo {
  const [tbsDer, algorithm, signature] = Der.read(der, 'certificate').items('Certificate');
  if (!tbsDer || !algorithm || !signature) throw new Error('malformed DER in certificate: missing fields');
  const fields = [...tbsDer.items('TBSCertificate')];
  // version [0] EXPLICIT is absent for v1 certificates.
  if (fields[0]?.is(CLASS.context, 0)) fields.shift();
  const [serial, , issuerName, validity, subjectName, spki, ...rest] = fields;
  if (!serial || !issuerName || !validity || !subjectName || !spki)
    throw new Error('malformed DER in certificate: missing TBSCertificate fields');
  const [notBefore, notAfter] = validity.items('Validity');
  if (!notBefore || !notAfter) throw new Error('malformed DER in certificate: incomplete validity');
  const keyOid = spki.items('SubjectPublicKeyInfo')[0]?.items('AlgorithmIdentifier')[0]?.oid();
  const extensions = new Map<string, Der>();
  for (const ext of rest
    .find((f) => f.is(CLASS.context, 3))
    ?.child(0)
    ?.items('Extensions') ?? []) {
    const parts = ext.items('Extension');
    const value = parts[parts.length - 1];
    if (parts[0] && value) extensions.set(parts[0].oid(), value);
  }
  // Like pkijs, an extension whose value cannot be read counts as absent rather than failing the certificate.
  const ext = <T>(oid: string, read: (value: Der) => T): T | undefined => {
    const value = extensions.get(oid);
    if (!value) return undefined;
    try {
      return read(Der.read(value.octets(), 'extension'));
    } catch {
      return undefined;
    }
  };
  const basic = ext(OID.basicConstraints, (v) => {
    const items = v.items('BasicConstraints');
    const cA = items[0]?.isUniversal(TAG.boolean) ? items[0].boolean() : false;
    const len = items.find((i) => i.isUniversal(TAG.integer));
    return { cA, pathLength: len ? len.smallInteger() : undefined };
  });
  let pkijsCertificate: pkijs.Certificate | undefined;
  const serialNumber = serial.integer();
  return {
    der,
    get pkijs() {
      pkijsCertificate ??= new pkijs.Certificate({ schema: parseDer(der, 'certificate') });
      return pkijsCertificate;
    },
    serial: serialHex(serialNumber),
    serialNumber,
    subject: decodeName(subjectName),
    issuer: decodeName(issuerName),
    subjectDer: subjectName.raw,
    issuerDer: issuerName.raw,
    notBefore: notBefore.time(),
    notAfter: notAfter.time(),
    spki: spki.raw,
    keyAlgorithm: keyOid === OID.rsaEncryption ? 'RSA' : keyOid === OID.ecPublicKey ? 'EC' : 'other',
    isCa: basic?.cA === true,
    pathLength: basic?.pathLength,
    keyUsage: ext(OID.keyUsage, (v) => decodeKeyUsage(v.bitString())),
    extKeyUsage: ext(OID.extKeyUsage, (v) => v.items('ExtKeyUsage').map((k) => k.oid())),
    crlUrls: ext(OID.cRLDistributionPoints, crlUrlsOf) ?? [],
    subjectKeyId: ext(OID.subjectKeyIdentifier, (v) => v.octets()),
    sha256,
    tbs: tbsDer.raw,
    signatureAlgorithm: algorithm.items('AlgorithmIdentifier')[0]?.oid() ?? '',
    signatureValue: signature.bitString(),
  };
}

/** URIs of the fullName of each distribution point (RFC 5280 §4.2.1.13). */
function crlUrlsOf(value: Der): string[] {
  return value.items('CRLDistributionPoints').flatMap((dp) => {
    // distributionPoint [0] holds a DistributionPointName CHOICE, of which fullName is [0] GeneralNames.
    const name = dp.items('DistributionPoint').find((f) => f.is(CLASS.context, 0));
    const fullName = name?.child(0);
    if (!fullName?.is(CLASS.context, 0)) return [];
    return fullName
      .children()
      .filter((n) => n.is(CLASS.context, 6) && !n.constructed)
      .map((n) => Buffer.from(n.content).toString('latin1'));
  });
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

function decodeKeyUsage(bytes: Uint8Array): KeyUsageName[] {
  return KEY_USAGE_BITS.filter((_, i) => ((bytes[i >> 3] ?? 0) >> (7 - (i % 8))) & 1);
}

/*
 * Signature checks already made, by certificate object: the answer depends only on the two certificates
 * (immutable, and shared through the parse cache), and chain building asks again for every signature.
 */
const issuedBy = new WeakMap<CertificateInfo, WeakMap<CertificateInfo, boolean>>();

/** True when `issuer` signed `subject` (names chain and the signature verifies with the issuer's key). */
export function isIssuedBy(subject: CertificateInfo, issuer: CertificateInfo): boolean {
  if (!bytesEqual(subject.issuerDer, issuer.subjectDer)) return false;
  let known = issuedBy.get(subject);
  const answer = known?.get(issuer);
  if (answer !== undefined) return answer;
  const verified = verifySignature(
    issuer.spki,
    subject.signatureAlgorithm,
    subject.tbs,
    subject.signatureValue,
  );
  if (!known) {
    known = new WeakMap();
    issuedBy.set(subject, known);
  }
  known.set(issuer, verified);
  return verified;
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

import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { DigestSigner } from '../ports/signer';
import { bitString, signatureAlgorithmFor, signBytes, verifySignature } from './algorithms';
import { bytesEqual, derOf, serialHex, tbsOf, toArrayBuffer, utcOrGeneralized, wholeSeconds } from './asn1';
import { type CertificateInfo, keyIdentifier } from './certificate';
import { CLASS, Der, TAG } from './der';
import { LruCache } from './lru';
import { decodeName } from './names';
import { OID } from './oids';
import { REVOCATION_REASON_CODES, type RevocationEntry, reasonFromCode } from './revocation';

export interface CrlInput {
  readonly issuer: CertificateInfo;
  readonly signer: DigestSigner;
  readonly entries: readonly RevocationEntry[];
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  /** Monotonic per issuer (RFC 5280 §5.2.3). */
  readonly crlNumber: bigint;
}

function integerFromBigint(value: bigint): asn1js.Integer {
  let hexValue = value.toString(16);
  if (hexValue.length % 2) hexValue = `0${hexValue}`;
  if (Number.parseInt(hexValue.slice(0, 2), 16) & 0x80) hexValue = `00${hexValue}`;
  return new asn1js.Integer({ valueHex: toArrayBuffer(Buffer.from(hexValue, 'hex')) });
}

/** Builds an X.509 v2 CRL and signs it through the CA's port. */
export async function createCrl(input: CrlInput): Promise<Uint8Array> {
  const sigAlg = signatureAlgorithmFor(input.signer);
  const crl = new pkijs.CertificateRevocationList({
    version: 1,
    signature: sigAlg,
    issuer: input.issuer.pkijs.subject,
    thisUpdate: utcOrGeneralized(wholeSeconds(input.thisUpdate)),
    nextUpdate: utcOrGeneralized(wholeSeconds(input.nextUpdate)),
    crlExtensions: new pkijs.Extensions({
      extensions: [
        new pkijs.Extension({
          extnID: OID.authorityKeyIdentifier,
          critical: false,
          extnValue: new pkijs.AuthorityKeyIdentifier({
            keyIdentifier: new asn1js.OctetString({
              valueHex: toArrayBuffer(keyIdentifier(input.issuer.spki)),
            }),
          })
            .toSchema()
            .toBER(false),
        }),
        new pkijs.Extension({
          extnID: OID.cRLNumber,
          critical: false,
          extnValue: integerFromBigint(input.crlNumber).toBER(false),
        }),
      ],
    }),
    signatureAlgorithm: sigAlg,
  });
  // RFC 5280 §5.1.2.6: with no revocations the list is absent, not empty.
  if (input.entries.length > 0) {
    crl.revokedCertificates = input.entries.map(
      (e) =>
        new pkijs.RevokedCertificate({
          userCertificate: new asn1js.Integer({ valueHex: toArrayBuffer(Buffer.from(e.serial, 'hex')) }),
          revocationDate: utcOrGeneralized(wholeSeconds(e.revokedAt)),
          crlEntryExtensions: new pkijs.Extensions({
            extensions: [
              new pkijs.Extension({
                extnID: OID.cRLReason,
                critical: false,
                extnValue: new asn1js.Enumerated({ value: REVOCATION_REASON_CODES[e.reason] }).toBER(false),
              }),
            ],
          }),
        }),
    );
  }
  crl.tbsView = tbsOf(crl.toSchema(true));
  crl.signatureValue = bitString(await signBytes(input.signer, crl.tbsView));
  return derOf(crl.toSchema());
}

export interface CrlInfo {
  readonly der: Uint8Array;
  readonly issuerDer: Uint8Array;
  readonly issuer: string;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  readonly crlNumber: bigint | undefined;
  readonly entries: readonly RevocationEntry[];
  /** Checks the CRL's signature with a candidate issuer certificate. */
  isSignedBy(issuer: CertificateInfo): boolean;
}

/*
 * Parsed CRLs by SHA-256: the same CRL (given by the caller, or in every document's DSS) judges every
 * signature, and a large one takes long to read. Bounded by count and by the bytes held.
 */
const parsedCrls = new LruCache<CrlInfo>(64, 32 * 1024 * 1024);

/** Universal tag of ENUMERATED (CRLReason). */
const ENUMERATED = 10;

/** Reads a DER CRL (read once, then cached: the same bytes give the same object). */
export function parseCrl(der: Uint8Array): CrlInfo {
  const sha256 = createHash('sha256').update(der).digest('hex');
  const hit = parsedCrls.get(sha256);
  if (hit) return hit;
  // A copy, as for certificates: the input may be a view into a larger buffer.
  const info = decodeCrl(new Uint8Array(der));
  parsedCrls.set(sha256, info, info.der.length);
  return info;
}

/** TBSCertList: version?, signature, issuer, thisUpdate, nextUpdate?, revokedCertificates?, [0] crlExtensions? */
function decodeCrl(der: Uint8Array): CrlInfo {
  const [tbs, algorithm, signature] = Der.read(der, 'CRL').items('CertificateList');
  if (!tbs || !algorithm || !signature) throw new Error('malformed DER in CRL: missing fields');
  const fields = tbs.items('TBSCertList');
  let at = fields[0]?.isUniversal(TAG.integer) ? 2 : 1;
  const issuerName = fields[at++];
  const thisUpdate = fields[at++];
  if (!issuerName || !thisUpdate) throw new Error('malformed DER in CRL: missing TBSCertList fields');
  const isTime = (d: Der | undefined) => d?.isUniversal(TAG.utcTime) || d?.isUniversal(TAG.generalizedTime);
  const nextUpdate = isTime(fields[at]) ? fields[at++] : undefined;
  const revoked = fields[at]?.isUniversal(TAG.sequence) ? fields[at++] : undefined;
  const crlExtensions = fields[at]?.is(CLASS.context, 0) ? fields[at]?.child(0) : undefined;
  const entries: RevocationEntry[] = (revoked?.children() ?? []).map((rc) => {
    const [serial, date, extensions] = rc.items('revokedCertificate');
    if (!serial || !date) throw new Error('malformed DER in CRL: incomplete entry');
    const reason = extensions && extensionValue(extensions, OID.cRLReason);
    return {
      serial: serialHex(serial.integer()),
      revokedAt: date.time(),
      reason: reasonFromCode(reason?.is(CLASS.universal, ENUMERATED) ? reason.smallInteger(ENUMERATED) : 0),
    };
  });
  const crlNumber = crlExtensions && extensionValue(crlExtensions, OID.cRLNumber);
  const issuerDer = issuerName.raw;
  const tbsBytes = tbs.raw;
  const signatureAlgorithm = algorithm.items('AlgorithmIdentifier')[0]?.oid() ?? '';
  const signatureBits = signature.bitString();
  // Signature checks already made, by issuer certificate object (immutable, shared through the caches).
  const checked = new WeakMap<CertificateInfo, boolean>();
  return {
    der,
    issuerDer,
    issuer: decodeName(issuerName).display,
    thisUpdate: thisUpdate.time(),
    nextUpdate: nextUpdate?.time(),
    crlNumber: crlNumber ? BigInt(`0x${Buffer.from(crlNumber.integer()).toString('hex') || '0'}`) : undefined,
    entries,
    isSignedBy(issuer: CertificateInfo): boolean {
      if (!bytesEqual(issuer.subjectDer, issuerDer)) return false;
      let verified = checked.get(issuer);
      if (verified === undefined) {
        verified = verifySignature(issuer.spki, signatureAlgorithm, tbsBytes, signatureBits);
        checked.set(issuer, verified);
      }
      return verified;
    },
  };
}

/** The decoded value of the extension `oid` in an Extensions SEQUENCE. */
function extensionValue(extensions: Der, oid: string): Der | undefined {
  for (const ext of extensions.items('Extensions')) {
    const parts = ext.items('Extension');
    const value = parts[parts.length - 1];
    if (parts[0]?.oid() === oid && value) return Der.read(value.octets(), 'CRL extension');
  }
  return undefined;
}

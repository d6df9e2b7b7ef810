import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { DigestSigner } from '../ports/signer';
import { bitString, signatureAlgorithmFor, signBytes, verifySignature } from './algorithms';
import { derOf, parseDer, serialHex, tbsOf, toArrayBuffer, utcOrGeneralized, wholeSeconds } from './asn1';
import { type CertificateInfo, keyIdentifier } from './certificate';
import { decodeName, nameDer } from './names';
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

export function parseCrl(der: Uint8Array): CrlInfo {
  const crl = new pkijs.CertificateRevocationList({ schema: parseDer(der, 'CRL') });
  const numberExt = crl.crlExtensions?.extensions.find((e) => e.extnID === OID.cRLNumber);
  const entries: RevocationEntry[] = (crl.revokedCertificates ?? []).map((rc) => {
    const reasonExt = rc.crlEntryExtensions?.extensions.find((e) => e.extnID === OID.cRLReason);
    const reasonCode = reasonExt
      ? Number(
          (
            parseDer(
              new Uint8Array(reasonExt.extnValue.valueBlock.valueHexView),
              'reason',
            ) as asn1js.Enumerated
          ).valueBlock.valueDec,
        )
      : 0;
    return {
      serial: serialHex(rc.userCertificate),
      revokedAt: rc.revocationDate.value,
      reason: reasonFromCode(reasonCode),
    };
  });
  const issuerDer = nameDer(crl.issuer);
  return {
    der,
    issuerDer,
    issuer: decodeName(crl.issuer).display,
    thisUpdate: crl.thisUpdate.value,
    nextUpdate: crl.nextUpdate?.value,
    crlNumber: numberExt
      ? BigInt(
          `0x${Buffer.from((parseDer(new Uint8Array(numberExt.extnValue.valueBlock.valueHexView), 'CRL number') as asn1js.Integer).valueBlock.valueHexView).toString('hex') || '0'}`,
        )
      : undefined,
    entries,
    isSignedBy(issuer: CertificateInfo): boolean {
      if (Buffer.compare(Buffer.from(issuer.subjectDer), Buffer.from(issuerDer)) !== 0) return false;
      return verifySignature(
        issuer.spki,
        crl.signatureAlgorithm.algorithmId,
        new Uint8Array(crl.tbsView),
        new Uint8Array(crl.signatureValue.valueBlock.valueHexView),
      );
    },
  };
}

import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { sha256AlgorithmIdentifier, signatureAlgorithmFor, signBytes } from '../pki/algorithms';
import { derOf, parseDer, sha256, toArrayBuffer } from '../pki/asn1';
import { parseCertificate } from '../pki/certificate';
import { OID } from '../pki/oids';
import type { DigestSigner } from '../ports/signer';

/**
 * Gets an RFC 3161 TimeStampToken (DER ContentInfo) for a SHA-256 message imprint. In-process it is the
 * city TSA; a remote TSA would sit behind the same function.
 */
export type TimestampProvider = (imprint: Uint8Array) => Promise<Uint8Array>;

export interface SignedDataInput {
  readonly signer: DigestSigner;
  /** Signer's certificate first, then its issuers (the root may be included). */
  readonly certificateChain: readonly Uint8Array[];
  /** SHA-256 of the content (detached) or of `encapsulatedContent`. */
  readonly contentDigest: Uint8Array;
  /** eContentType; id-data unless stated. */
  readonly contentType?: string;
  /** Embedded content (a TSTInfo for a timestamp token); absent for detached signatures. */
  readonly encapsulatedContent?: Uint8Array;
  /** CMS signing-time; PAdES baseline forbids it (the claimed time is /M), CAdES baseline requires it. */
  readonly signingTime?: Date;
  /** Adds id-aa-signatureTimeStampToken over the signature value (B-T). */
  readonly timestamp?: TimestampProvider;
}

function attribute(type: string, value: asn1js.AsnType): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

/** ESS signing-certificate-v2 (RFC 5035) naming the signer's certificate by SHA-256 hash and issuer/serial. */
export function signingCertificateV2(certificateDer: Uint8Array): pkijs.Attribute {
  const cert = parseCertificate(certificateDer).pkijs;
  const essCertIdV2 = new asn1js.Sequence({
    value: [
      // hashAlgorithm DEFAULT sha256 is omitted, as DER requires for a default value.
      new asn1js.OctetString({ valueHex: toArrayBuffer(sha256(certificateDer)) }),
      new pkijs.IssuerSerial({
        issuer: new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 4, value: cert.issuer })] }),
        serialNumber: cert.serialNumber,
      }).toSchema(),
    ],
  });
  return attribute(
    OID.signingCertificateV2,
    new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] }),
  );
}

/**
 * DER orders a SET OF by the encodings of its elements (X.690 §11.6). Validators such as OpenSSL re-encode
 * the signed attributes before checking the signature, so an unsorted set would not verify there.
 */
function derSortedAttributes(attrs: readonly pkijs.Attribute[]): pkijs.Attribute[] {
  return [...attrs]
    .map((a) => ({ a, der: Buffer.from(derOf(a.toSchema())) }))
    .sort((x, y) => Buffer.compare(x.der, y.der))
    .map((x) => x.a);
}

/** Builds a CMS SignedData (DER ContentInfo) with one signer, signing through the port. */
export async function createSignedData(input: SignedDataInput): Promise<Uint8Array> {
  const [signerCertDer] = input.certificateChain;
  if (!signerCertDer) throw new Error('the certificate chain is empty');
  const signerCert = parseCertificate(signerCertDer);
  const contentType = input.contentType ?? OID.data;

  const attrs = [
    attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: contentType })),
    attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: toArrayBuffer(input.contentDigest) })),
    signingCertificateV2(signerCertDer),
  ];
  if (input.signingTime)
    attrs.push(attribute(OID.signingTime, new asn1js.UTCTime({ valueDate: input.signingTime })));
  const sorted = derSortedAttributes(attrs);
  // The signature covers the attributes encoded as a SET (tag 0x31), not as the [0] field (RFC 5652 §5.4).
  const toSign = derOf(new asn1js.Set({ value: sorted.map((a) => a.toSchema()) }));
  const signature = await signBytes(input.signer, toSign);

  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({
      issuer: signerCert.pkijs.issuer,
      serialNumber: signerCert.pkijs.serialNumber,
    }),
    digestAlgorithm: sha256AlgorithmIdentifier(),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: sorted }),
    signatureAlgorithm: signatureAlgorithmFor(input.signer),
    signature: new asn1js.OctetString({ valueHex: toArrayBuffer(signature) }),
  });
  if (input.timestamp) {
    // ETSI EN 319 122-1 §5.3: the signature timestamp covers the SignerInfo's signature value.
    const token = await input.timestamp(sha256(signature));
    signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
      type: 1,
      attributes: [attribute(OID.signatureTimeStampToken, parseDer(token, 'timestamp token'))],
    });
  }

  const signedData = new pkijs.SignedData({
    // RFC 5652 §5.1: version 3 when the content is not id-data.
    version: contentType === OID.data ? 1 : 3,
    digestAlgorithms: [sha256AlgorithmIdentifier()],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: contentType,
      ...(input.encapsulatedContent
        ? { eContent: new asn1js.OctetString({ valueHex: toArrayBuffer(input.encapsulatedContent) }) }
        : {}),
    }),
    certificates: input.certificateChain.map((der) => parseCertificate(der).pkijs),
    signerInfos: [signerInfo],
  });
  return derOf(
    new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema() }).toSchema(),
  );
}

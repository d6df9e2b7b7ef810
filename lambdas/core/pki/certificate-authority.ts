import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import * as z from 'zod';
import type { DigestSigner } from '../ports/signer';
import { bitString, signatureAlgorithmFor, signBytes } from './algorithms';
import { derOf, parseDer, randomSerial, toArrayBuffer, utcOrGeneralized, wholeSeconds } from './asn1';
import {
  type CertificateInfo,
  encodeKeyUsage,
  type KeyUsageName,
  keyIdentifier,
  parseCertificate,
} from './certificate';
import { createCrl } from './crl';
import { type DistinguishedName, distinguishedNameSchema, encodeName } from './names';
import { OID } from './oids';
import type { RevocationRegistry } from './revocation';

/**
 * What a certificate is for. Document signers get emailProtection (what NSS, hence poppler, checks for a
 * CMS signer) plus id-kp-documentSigning (RFC 9336), the purpose that names PDF signing.
 */
export const CertificateProfileSchema = z.enum(['official', 'seal', 'tsa', 'issuing-ca']);
export type CertificateProfile = z.infer<typeof CertificateProfileSchema>;

export const ValiditySchema = z
  .object({ notBefore: z.date(), notAfter: z.date() })
  .refine((v) => v.notAfter > v.notBefore, 'notAfter must be after notBefore');
export type Validity = z.infer<typeof ValiditySchema>;

export const IssueRequestSchema = z.object({
  profile: CertificateProfileSchema,
  subject: distinguishedNameSchema(),
  /** DER SubjectPublicKeyInfo, as KMS GetPublicKey returns it. */
  subjectPublicKey: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected DER bytes'),
  validity: ValiditySchema,
});
export type IssueRequest = z.infer<typeof IssueRequestSchema>;

interface ProfileExtensions {
  readonly keyUsage: readonly KeyUsageName[];
  readonly extKeyUsage?: readonly string[];
  readonly extKeyUsageCritical?: boolean;
  readonly ca?: { readonly pathLength?: number };
}

const PROFILES: Record<CertificateProfile | 'root', ProfileExtensions> = {
  official: {
    keyUsage: ['digitalSignature', 'nonRepudiation'],
    extKeyUsage: [OID.emailProtection, OID.documentSigning],
  },
  seal: {
    keyUsage: ['digitalSignature', 'nonRepudiation'],
    extKeyUsage: [OID.emailProtection, OID.documentSigning],
  },
  // RFC 3161 §2.3: the TSA certificate has exactly one critical extKeyUsage, timeStamping.
  tsa: {
    keyUsage: ['digitalSignature', 'nonRepudiation'],
    extKeyUsage: [OID.timeStamping],
    extKeyUsageCritical: true,
  },
  'issuing-ca': { keyUsage: ['keyCertSign', 'cRLSign'], ca: { pathLength: 0 } },
  root: { keyUsage: ['keyCertSign', 'cRLSign'], ca: {} },
};

function extension(extnID: string, critical: boolean, value: asn1js.AsnType): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });
}

function buildExtensions(
  profile: ProfileExtensions,
  subjectSpki: Uint8Array,
  issuerSpki: Uint8Array,
  crlUrl: string | undefined,
): pkijs.Extension[] {
  const exts: pkijs.Extension[] = [];
  if (profile.ca) {
    exts.push(
      extension(
        OID.basicConstraints,
        true,
        new pkijs.BasicConstraints({
          cA: true,
          ...(profile.ca.pathLength !== undefined ? { pathLenConstraint: profile.ca.pathLength } : {}),
        }).toSchema(),
      ),
    );
  }
  exts.push(extension(OID.keyUsage, true, encodeKeyUsage(profile.keyUsage)));
  if (profile.extKeyUsage) {
    exts.push(
      extension(
        OID.extKeyUsage,
        profile.extKeyUsageCritical === true,
        new pkijs.ExtKeyUsage({ keyPurposes: [...profile.extKeyUsage] }).toSchema(),
      ),
    );
  }
  exts.push(
    extension(
      OID.subjectKeyIdentifier,
      false,
      new asn1js.OctetString({ valueHex: toArrayBuffer(keyIdentifier(subjectSpki)) }),
    ),
  );
  exts.push(
    extension(
      OID.authorityKeyIdentifier,
      false,
      new pkijs.AuthorityKeyIdentifier({
        keyIdentifier: new asn1js.OctetString({ valueHex: toArrayBuffer(keyIdentifier(issuerSpki)) }),
      }).toSchema(),
    ),
  );
  if (crlUrl) {
    exts.push(
      extension(
        OID.cRLDistributionPoints,
        false,
        new pkijs.CRLDistributionPoints({
          distributionPoints: [
            new pkijs.DistributionPoint({
              distributionPoint: [new pkijs.GeneralName({ type: 6, value: crlUrl })],
            }),
          ],
        }).toSchema(),
      ),
    );
  }
  return exts;
}

async function signCertificate(args: {
  issuerName: pkijs.RelativeDistinguishedNames;
  issuerSigner: DigestSigner;
  issuerSpki: Uint8Array;
  subjectName: pkijs.RelativeDistinguishedNames;
  subjectSpki: Uint8Array;
  validity: Validity;
  profile: ProfileExtensions;
  crlUrl: string | undefined;
}): Promise<Uint8Array> {
  const sigAlg = signatureAlgorithmFor(args.issuerSigner);
  const cert = new pkijs.Certificate({
    version: 2,
    serialNumber: randomSerial(),
    signature: sigAlg,
    issuer: args.issuerName,
    subject: args.subjectName,
    notBefore: utcOrGeneralized(wholeSeconds(args.validity.notBefore)),
    notAfter: utcOrGeneralized(wholeSeconds(args.validity.notAfter)),
    subjectPublicKeyInfo: new pkijs.PublicKeyInfo({
      schema: parseDer(args.subjectSpki, 'subject public key'),
    }),
    extensions: buildExtensions(args.profile, args.subjectSpki, args.issuerSpki, args.crlUrl),
    signatureAlgorithm: sigAlg,
  });
  cert.tbsView = new Uint8Array(cert.encodeTBS().toBER(false));
  cert.signatureValue = bitString(await signBytes(args.issuerSigner, cert.tbsView));
  return derOf(cert.toSchema());
}

/**
 * A certification authority whose key is a DigestSigner (KMS in production): the city root, or an issuing
 * CA under it. It issues, renews and publishes CRLs; revocations live in a RevocationRegistry it is given.
 */
export class CertificateAuthority {
  readonly info: CertificateInfo;

  constructor(
    readonly signer: DigestSigner,
    certificate: Uint8Array,
    /** Certificates above this CA up to and including the root ([] for the root itself). */
    readonly chainAbove: readonly Uint8Array[] = [],
    /** Put in issued certificates' CRL distribution point. */
    readonly crlUrl?: string,
  ) {
    this.info = parseCertificate(certificate);
  }

  get certificate(): Uint8Array {
    return this.info.der;
  }

  /** This CA's certificate followed by those above it: what a signer embeds after its own certificate. */
  get chain(): Uint8Array[] {
    return [this.info.der, ...this.chainAbove];
  }

  static async createRoot(args: {
    signer: DigestSigner;
    subject: DistinguishedName;
    validity: Validity;
    crlUrl?: string;
  }): Promise<CertificateAuthority> {
    const spki = await args.signer.publicKeySpki();
    const name = encodeName(args.subject);
    const der = await signCertificate({
      issuerName: name,
      issuerSigner: args.signer,
      issuerSpki: spki,
      subjectName: encodeName(args.subject),
      subjectSpki: spki,
      validity: ValiditySchema.parse(args.validity),
      profile: PROFILES.root,
      crlUrl: undefined,
    });
    return new CertificateAuthority(args.signer, der, [], args.crlUrl);
  }

  /** Creates a subordinate CA whose key is `signer`. */
  async createIssuingCa(args: {
    signer: DigestSigner;
    subject: DistinguishedName;
    validity: Validity;
    crlUrl?: string;
  }): Promise<CertificateAuthority> {
    const der = await this.issue({
      profile: 'issuing-ca',
      subject: args.subject,
      subjectPublicKey: await args.signer.publicKeySpki(),
      validity: args.validity,
    });
    return new CertificateAuthority(args.signer, der, this.chain, args.crlUrl);
  }

  async issue(request: IssueRequest): Promise<Uint8Array> {
    const req = IssueRequestSchema.parse(request);
    this.assertWithinOwnValidity(req.validity);
    return signCertificate({
      issuerName: this.info.pkijs.subject,
      issuerSigner: this.signer,
      issuerSpki: this.info.spki,
      subjectName: encodeName(req.subject),
      subjectSpki: req.subjectPublicKey,
      validity: req.validity,
      profile: PROFILES[req.profile],
      crlUrl: this.crlUrl,
    });
  }

  /**
   * A new certificate for the same subject and purpose with a new serial and validity; `subjectPublicKey`
   * re-keys (the usual case when a KMS key is rotated), otherwise the old key is kept.
   */
  async renew(existing: Uint8Array, validity: Validity, subjectPublicKey?: Uint8Array): Promise<Uint8Array> {
    const old = parseCertificate(existing);
    if (Buffer.compare(Buffer.from(old.issuerDer), Buffer.from(this.info.subjectDer)) !== 0) {
      throw new Error('this CA did not issue the certificate to renew');
    }
    this.assertWithinOwnValidity(ValiditySchema.parse(validity));
    return signCertificate({
      issuerName: this.info.pkijs.subject,
      issuerSigner: this.signer,
      issuerSpki: this.info.spki,
      subjectName: old.pkijs.subject,
      subjectSpki: subjectPublicKey ?? old.spki,
      validity,
      profile: profileOf(old),
      crlUrl: this.crlUrl,
    });
  }

  async createCrl(args: {
    registry: RevocationRegistry;
    thisUpdate: Date;
    nextUpdate: Date;
    crlNumber: bigint;
  }): Promise<Uint8Array> {
    return createCrl({
      issuer: this.info,
      signer: this.signer,
      entries: args.registry.effectiveAt(args.thisUpdate),
      thisUpdate: args.thisUpdate,
      nextUpdate: args.nextUpdate,
      crlNumber: args.crlNumber,
    });
  }

  private assertWithinOwnValidity(validity: Validity): void {
    // A certificate outliving its issuer fails chain validation at the end of its life (RFC 5280 §6.1.3).
    if (validity.notAfter > this.info.notAfter)
      throw new Error("validity ends after the CA's own certificate");
  }
}

/** Recovers the profile from an existing certificate's extensions (used when renewing). */
function profileOf(cert: CertificateInfo): ProfileExtensions {
  if (cert.isCa) return PROFILES['issuing-ca'];
  if (cert.extKeyUsage?.includes(OID.timeStamping)) return PROFILES.tsa;
  return {
    keyUsage: cert.keyUsage ?? PROFILES.official.keyUsage,
    ...(cert.extKeyUsage ? { extKeyUsage: cert.extKeyUsage } : {}),
  };
}

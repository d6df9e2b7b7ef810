import { InMemorySigner } from '../../lambdas/core/crypto/in-memory-signer';
import { CertificateAuthority } from '../../lambdas/core/pki/certificate-authority';
import { RevocationRegistry } from '../../lambdas/core/pki/revocation';
import { TrustStore } from '../../lambdas/core/pki/trust';
import { TimestampAuthority } from '../../lambdas/core/pki/tsa';
import type { SigningAlgorithm } from '../../lambdas/core/ports/signer';

const YEAR = 365 * 24 * 3600 * 1000;
export const CRL_URL = 'http://pki.hanoi.gov.vn.invalid/crl/issuing-ca.crl';

export interface Identity {
  readonly signer: InMemorySigner;
  readonly certificate: Uint8Array;
  /** The certificate followed by the issuing CA and the root. */
  readonly chain: Uint8Array[];
}

export interface CityPki {
  readonly root: CertificateAuthority;
  readonly issuing: CertificateAuthority;
  readonly trust: TrustStore;
  readonly tsa: TimestampAuthority;
  readonly officials: {
    readonly chairDeputy: Identity;
    readonly ecdsaOfficial: Identity;
    readonly cityPeoplesCommittee: Identity;
    readonly receivingDepartment: Identity;
  };
  issue(
    profile: 'official' | 'seal',
    commonName: string,
    algorithm?: SigningAlgorithm,
    validity?: { notBefore: Date; notAfter: Date },
  ): Promise<Identity>;
  emptyRegistry: RevocationRegistry;
}

let cached: Promise<CityPki> | undefined;

/** A city PKI made once per test file: root → issuing CA → officials, seals and the TSA. */
export function cityPki(): Promise<CityPki> {
  cached ??= buildCityPki();
  return cached;
}

async function buildCityPki(): Promise<CityPki> {
  const now = Date.now();
  const root = await CertificateAuthority.createRoot({
    signer: InMemorySigner.generate('root-ca'),
    subject: { commonName: 'Hà Nội Root CA (test)', organization: 'UBND thành phố Hà Nội', country: 'VN' },
    validity: { notBefore: new Date(now - 2 * YEAR), notAfter: new Date(now + 20 * YEAR) },
  });
  const issuing = await root.createIssuingCa({
    signer: InMemorySigner.generate('issuing-ca'),
    subject: {
      commonName: 'Hà Nội Issuing CA 1 (test)',
      organization: 'UBND thành phố Hà Nội',
      country: 'VN',
    },
    validity: { notBefore: new Date(now - 2 * YEAR), notAfter: new Date(now + 10 * YEAR) },
    crlUrl: CRL_URL,
  });
  const issue: CityPki['issue'] = async (
    profile,
    commonName,
    algorithm = 'RSASSA_PKCS1_V1_5_SHA_256',
    validity,
  ) => {
    const signer = InMemorySigner.generate(`${profile}-${commonName}`, algorithm);
    const certificate = await issuing.issue({
      profile,
      subject:
        profile === 'official'
          ? {
              commonName,
              title: 'Phó Chủ tịch',
              organization: 'UBND thành phố Hà Nội',
              locality: 'Hà Nội',
              country: 'VN',
            }
          : { commonName, organization: commonName, locality: 'Hà Nội', country: 'VN' },
      subjectPublicKey: await signer.publicKeySpki(),
      validity: validity ?? { notBefore: new Date(now - YEAR), notAfter: new Date(now + 3 * YEAR) },
    });
    return { signer, certificate, chain: [certificate, ...issuing.chain] };
  };
  const tsaSigner = InMemorySigner.generate('tsa');
  const tsaCert = await issuing.issue({
    profile: 'tsa',
    subject: { commonName: 'Hà Nội TSA (test)', organization: 'UBND thành phố Hà Nội', country: 'VN' },
    subjectPublicKey: await tsaSigner.publicKeySpki(),
    validity: { notBefore: new Date(now - YEAR), notAfter: new Date(now + 5 * YEAR) },
  });
  return {
    root,
    issuing,
    trust: new TrustStore([root.certificate]),
    tsa: new TimestampAuthority({ signer: tsaSigner, certificateChain: [tsaCert, ...issuing.chain] }),
    officials: {
      chairDeputy: await issue('official', 'Nguyễn Văn An'),
      ecdsaOfficial: await issue('official', 'Trần Thị Bình', 'ECDSA_SHA_256'),
      cityPeoplesCommittee: await issue('seal', 'Ủy ban nhân dân thành phố Hà Nội'),
      receivingDepartment: await issue('seal', 'Sở Tài chính thành phố Hà Nội'),
    },
    issue,
    emptyRegistry: RevocationRegistry.empty(),
  };
}

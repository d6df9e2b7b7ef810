import { describe, expect, it } from 'vitest';
import { InMemorySigner } from '../../lambdas/core/crypto/in-memory-signer';
import { pemEncode } from '../../lambdas/core/pki/asn1';
import { parseCertificate } from '../../lambdas/core/pki/certificate';
import { CertificateAuthority } from '../../lambdas/core/pki/certificate-authority';
import { RevocationRegistry } from '../../lambdas/core/pki/revocation';
import { TrustStore, validatePath } from '../../lambdas/core/pki/trust';
import { openssl, tempDir, writeTemp } from '../support/pdf-tools';

/*
 * The city's two levels (lambdas/adapters/city-pki-authority.ts): the root signs only the issuing CA's
 * certificates and its own CRL; the issuing CA signs officials, seals and the TSA and their CRL. A rotation
 * re-certifies the issuing CA's key under the same name: what it certified before keeps verifying through
 * either certificate, and its CRL covers both generations.
 */

const DAY = 24 * 3600 * 1000;
const YEAR = 365 * DAY;
const CITY = { organization: 'UBND thành phố Hà Nội', locality: 'Hà Nội', country: 'VN' };

async function twoLevels() {
  const now = Date.now();
  const root = await CertificateAuthority.createRoot({
    signer: InMemorySigner.generate('root'),
    subject: { ...CITY, commonName: 'docflow Hà Nội Root CA' },
    validity: { notBefore: new Date(now - YEAR), notAfter: new Date(now + 20 * YEAR) },
    crlUrl: 'http://127.0.0.1/api/pki/crl?issuer=root',
  });
  const issuingSigner = InMemorySigner.generate('issuing');
  const issuing = await root.createIssuingCa({
    signer: issuingSigner,
    subject: { ...CITY, commonName: 'docflow Hà Nội Issuing CA' },
    validity: { notBefore: new Date(now - YEAR), notAfter: new Date(now + 3 * YEAR) },
    crlUrl: 'http://127.0.0.1/api/pki/crl',
  });
  const official = async (ca: CertificateAuthority, commonName: string) =>
    ca.issue({
      profile: 'official',
      subject: { ...CITY, commonName, title: 'Phó Chủ tịch' },
      subjectPublicKey: await InMemorySigner.generate(commonName).publicKeySpki(),
      validity: { notBefore: new Date(now - DAY), notAfter: new Date(now + YEAR) },
    });
  return { root, issuing, issuingSigner, official, trust: new TrustStore([root.certificate]) };
}

const path = (
  leaf: Uint8Array,
  intermediates: Uint8Array[],
  trust: TrustStore,
  at = new Date(),
  crls: Uint8Array[] = [],
) =>
  validatePath({
    certificate: parseCertificate(leaf),
    intermediates: intermediates.map((c) => parseCertificate(c)),
    trust,
    at,
    crls,
  });

function opensslVerify(root: Uint8Array, intermediates: Uint8Array[], leaf: Uint8Array) {
  const dir = tempDir();
  return openssl([
    'verify',
    '-CAfile',
    writeTemp(dir, 'root.pem', pemEncode('CERTIFICATE', root)),
    '-untrusted',
    writeTemp(dir, 'chain.pem', intermediates.map((c) => pemEncode('CERTIFICATE', c)).join('')),
    '-purpose',
    'smimesign',
    writeTemp(dir, 'leaf.pem', pemEncode('CERTIFICATE', leaf)),
  ]);
}

describe('the two-level city PKI', () => {
  it('an official’s chain is official → issuing CA → root, valid with the root alone trusted (docflow and openssl)', async () => {
    const { root, issuing, official, trust } = await twoLevels();
    const leaf = await official(issuing, 'Nguyễn Văn An');
    const result = path(leaf, [issuing.certificate], trust);
    expect(result.problems).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.chain.map((c) => c.subject.commonName)).toEqual([
      'Nguyễn Văn An',
      'docflow Hà Nội Issuing CA',
      'docflow Hà Nội Root CA',
    ]);
    expect(issuing.chain.map((c) => parseCertificate(c).subject.commonName)).toEqual([
      'docflow Hà Nội Issuing CA',
      'docflow Hà Nội Root CA',
    ]);
    const verify = opensslVerify(root.certificate, [issuing.certificate], leaf);
    expect(verify.status, verify.output).toBe(0);
    // Without the issuing CA's certificate nothing reaches the root.
    expect(path(leaf, [], trust).valid).toBe(false);
    expect(opensslVerify(root.certificate, [], leaf).status).not.toBe(0);
  });

  it('the issuing CA may certify end entities only (path length 0), and only certificates and CRLs', async () => {
    const { issuing, trust } = await twoLevels();
    const info = parseCertificate(issuing.certificate);
    expect(info.isCa).toBe(true);
    expect(info.pathLength).toBe(0);
    expect(info.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
    const sub = await issuing.createIssuingCa({
      signer: InMemorySigner.generate('sub'),
      subject: { ...CITY, commonName: 'a CA below the issuing CA' },
      validity: { notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + YEAR) },
    });
    const below = await sub.issue({
      profile: 'official',
      subject: { ...CITY, commonName: 'Trần Văn B' },
      subjectPublicKey: await InMemorySigner.generate('b').publicKeySpki(),
      validity: { notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 100 * DAY) },
    });
    const result = path(below, [sub.certificate, issuing.certificate], trust);
    expect(result.valid).toBe(false);
    expect(result.problems.join('; ')).toContain('path length constraint');
  });

  it('a rotation re-certifies the issuing CA: earlier certificates still verify (through either), later ones chain to the new one, one CRL covers both', async () => {
    const { root, issuing, issuingSigner, official, trust } = await twoLevels();
    const before = await official(issuing, 'Lê Thị C');
    const renewed = await root.renew(issuing.certificate, {
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 10 * YEAR),
    });
    const rotated = new CertificateAuthority(issuingSigner, renewed, [root.certificate], issuing.crlUrl);
    expect(parseCertificate(renewed).serial).not.toBe(parseCertificate(issuing.certificate).serial);
    const after = await official(rotated, 'Phạm Văn D');

    // What a document signed before embeds (its own chain) verifies as it did; so do later ones.
    expect(path(before, [issuing.certificate], trust).valid).toBe(true);
    expect(path(before, [renewed], trust).valid).toBe(true);
    expect(path(after, [renewed], trust).valid).toBe(true);
    expect(opensslVerify(root.certificate, [issuing.certificate], before).status).toBe(0);
    expect(opensslVerify(root.certificate, [renewed], after).status).toBe(0);

    // The rotated CA's CRL revokes a certificate issued before the rotation.
    const serial = parseCertificate(before).serial;
    const revokedAt = new Date(Date.now() - 3600_000);
    const crl = await rotated.createCrl({
      registry: RevocationRegistry.empty().revoke(serial, revokedAt, 'keyCompromise'),
      thisUpdate: new Date(),
      nextUpdate: new Date(Date.now() + 7 * DAY),
      crlNumber: 2n,
    });
    const revoked = path(before, [issuing.certificate], trust, new Date(), [crl]);
    expect(revoked.valid).toBe(false);
    expect(revoked.revocation[0]).toMatchObject({ serial, status: 'revoked' });
    // …and a signature made before the revocation stays valid.
    expect(
      path(before, [issuing.certificate], trust, new Date(revokedAt.getTime() - 60_000), [crl]).valid,
    ).toBe(true);
  });

  it('the root’s CRL revokes an issuing CA certificate: what chains through it after that is invalid', async () => {
    const { root, issuing, official, trust } = await twoLevels();
    const leaf = await official(issuing, 'Hoàng Văn E');
    const revokedAt = new Date(Date.now() - 3600_000);
    const rootCrl = await root.createCrl({
      registry: RevocationRegistry.empty().revoke(
        parseCertificate(issuing.certificate).serial,
        revokedAt,
        'cACompromise',
      ),
      thisUpdate: new Date(),
      nextUpdate: new Date(Date.now() + 7 * DAY),
      crlNumber: 1n,
    });
    const now = path(leaf, [issuing.certificate], trust, new Date(), [rootCrl]);
    expect(now.valid).toBe(false);
    expect(now.problems.join('; ')).toContain('docflow Hà Nội Issuing CA');
    expect(
      path(leaf, [issuing.certificate], trust, new Date(revokedAt.getTime() - 60_000), [rootCrl]).valid,
    ).toBe(true);
  });
});

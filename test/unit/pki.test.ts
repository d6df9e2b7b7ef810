import { describe, expect, it } from 'vitest';
import { InMemorySigner } from '../../lambdas/core/crypto/in-memory-signer';
import { pemEncode } from '../../lambdas/core/pki/asn1';
import { parseCertificate } from '../../lambdas/core/pki/certificate';
import { CertificateAuthority } from '../../lambdas/core/pki/certificate-authority';
import { parseCrl } from '../../lambdas/core/pki/crl';
import { createCsr, importCertificate, verifyCsr } from '../../lambdas/core/pki/csr';
import { OID } from '../../lambdas/core/pki/oids';
import { RevocationRegistry } from '../../lambdas/core/pki/revocation';
import { TrustStore, validatePath } from '../../lambdas/core/pki/trust';
import { openssl, tempDir, writeTemp } from '../support/pdf-tools';
import { CRL_URL, cityPki } from '../support/pki-fixtures';

const DAY = 24 * 3600 * 1000;

function opensslText(der: Uint8Array, kind: 'x509' | 'crl' | 'req'): string {
  const dir = tempDir();
  const path = writeTemp(dir, `in.der`, der);
  const run = openssl([kind, '-inform', 'DER', '-in', path, '-noout', '-text']);
  expect(run.status, run.output).toBe(0);
  return run.output;
}

describe('city PKI', () => {
  it('issues an official certificate that openssl verifies up to the root, with the expected profile', async () => {
    const pki = await cityPki();
    const official = pki.officials.chairDeputy;
    const dir = tempDir();
    const root = writeTemp(dir, 'root.pem', pemEncode('CERTIFICATE', pki.root.certificate));
    const chain = writeTemp(dir, 'chain.pem', pemEncode('CERTIFICATE', pki.issuing.certificate));
    const leaf = writeTemp(dir, 'leaf.pem', pemEncode('CERTIFICATE', official.certificate));
    const verify = openssl(['verify', '-CAfile', root, '-untrusted', chain, '-purpose', 'smimesign', leaf]);
    expect(verify.output).toContain('OK');
    expect(verify.status).toBe(0);

    const text = opensslText(official.certificate, 'x509');
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Non Repudiation/);
    expect(text).toContain('E-mail Protection');
    expect(text).toContain(CRL_URL);
    expect(text).toContain('sha256WithRSAEncryption');

    const info = parseCertificate(official.certificate);
    expect(info.subject.commonName).toBe('Nguyễn Văn An');
    expect(info.subject.title).toBe('Phó Chủ tịch');
    expect(info.extKeyUsage).toEqual([OID.emailProtection, OID.documentSigning]);
    expect(info.serial).toMatch(/^[0-9a-f]{30,32}$/);
    expect(info.crlUrls).toEqual([CRL_URL]);
  });

  it('gives random positive 16-byte serials', async () => {
    const pki = await cityPki();
    const a = await pki.issue('seal', 'Sở A');
    const b = await pki.issue('seal', 'Sở B');
    const sa = parseCertificate(a.certificate).pkijs.serialNumber.valueBlock.valueHexView;
    expect(sa.length).toBe(16);
    expect((sa[0] ?? 0) & 0x80).toBe(0);
    expect(parseCertificate(a.certificate).serial).not.toBe(parseCertificate(b.certificate).serial);
  });

  it('issues P-256 subject keys and a TSA certificate with critical timeStamping', async () => {
    const pki = await cityPki();
    const ec = parseCertificate(pki.officials.ecdsaOfficial.certificate);
    expect(ec.keyAlgorithm).toBe('EC');
    expect(opensslText(pki.officials.ecdsaOfficial.certificate, 'x509')).toContain('prime256v1');
    const tsaText = opensslText(pki.tsa.certificate, 'x509');
    expect(tsaText).toMatch(/X509v3 Extended Key Usage: critical\s+Time Stamping/);
  });

  it('signs with an ECDSA root (DER signatures from the port go straight into X.509)', async () => {
    const root = await CertificateAuthority.createRoot({
      signer: InMemorySigner.generate('ec-root', 'ECDSA_SHA_256'),
      subject: { commonName: 'EC root', country: 'VN' },
      validity: { notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 365 * DAY) },
    });
    const leafSigner = InMemorySigner.generate('leaf');
    const leaf = await root.issue({
      profile: 'official',
      subject: { commonName: 'Lê Văn C' },
      subjectPublicKey: await leafSigner.publicKeySpki(),
      validity: { notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 30 * DAY) },
    });
    const dir = tempDir();
    const rootPath = writeTemp(dir, 'root.pem', pemEncode('CERTIFICATE', root.certificate));
    const leafPath = writeTemp(dir, 'leaf.pem', pemEncode('CERTIFICATE', leaf));
    const verify = openssl(['verify', '-CAfile', rootPath, leafPath]);
    expect(verify.status, verify.output).toBe(0);
  });

  it('publishes CRLs that openssl checks, and judges revocation at a given moment', async () => {
    const pki = await cityPki();
    const victim = await pki.issue('official', 'Phạm Văn D');
    const serial = parseCertificate(victim.certificate).serial;
    const revokedAt = new Date(Date.now() - DAY);
    const registry = RevocationRegistry.empty().revoke(serial, revokedAt, 'keyCompromise');
    const crl = await pki.issuing.createCrl({
      registry,
      thisUpdate: new Date(),
      nextUpdate: new Date(Date.now() + 7 * DAY),
      crlNumber: 42n,
    });
    const text = opensslText(crl, 'crl');
    expect(text).toContain('X509v3 CRL Number');
    expect(text).toMatch(/42/);
    expect(text.toLowerCase()).toContain(serial.toUpperCase().toLowerCase());
    expect(text).toContain('Key Compromise');

    const dir = tempDir();
    const caFile = writeTemp(
      dir,
      'ca.pem',
      pemEncode('CERTIFICATE', pki.root.certificate) + pemEncode('CERTIFICATE', pki.issuing.certificate),
    );
    const crlPath = writeTemp(dir, 'crl.der', crl);
    const crlPem = openssl(['crl', '-inform', 'DER', '-in', crlPath, '-out', `${dir}/crl.pem`]);
    expect(crlPem.status).toBe(0);
    const leafPath = writeTemp(dir, 'leaf.pem', pemEncode('CERTIFICATE', victim.certificate));
    const verify = openssl([
      'verify',
      '-crl_check',
      '-CAfile',
      caFile,
      '-CRLfile',
      `${dir}/crl.pem`,
      leafPath,
    ]);
    expect(verify.status).not.toBe(0);
    expect(verify.output).toContain('certificate revoked');

    const parsed = parseCrl(crl);
    expect(parsed.isSignedBy(pki.issuing.info)).toBe(true);
    expect(parsed.isSignedBy(pki.root.info)).toBe(false);
    expect(parsed.crlNumber).toBe(42n);

    const cert = parseCertificate(victim.certificate);
    const intermediates = [pki.issuing.info];
    const before = validatePath({
      certificate: cert,
      intermediates,
      trust: pki.trust,
      at: new Date(revokedAt.getTime() - 3600_000),
      crls: [crl],
    });
    expect(before.valid, before.problems.join('; ')).toBe(true);
    expect(before.revocation[0]?.status).toBe('revoked-later');
    const after = validatePath({
      certificate: cert,
      intermediates,
      trust: pki.trust,
      at: new Date(),
      crls: [crl],
    });
    expect(after.valid).toBe(false);
    expect(after.revocation[0]?.status).toBe('revoked');
  });

  it('an empty CRL omits the revoked list and openssl accepts it', async () => {
    const pki = await cityPki();
    const crl = await pki.issuing.createCrl({
      registry: RevocationRegistry.empty(),
      thisUpdate: new Date(),
      nextUpdate: new Date(Date.now() + DAY),
      crlNumber: 1n,
    });
    expect(opensslText(crl, 'crl')).toContain('No Revoked Certificates');
  });

  it('renews with a new serial, the same subject and profile, optionally re-keyed', async () => {
    const pki = await cityPki();
    const old = pki.officials.chairDeputy;
    const newKey = InMemorySigner.generate('rekeyed');
    const validity = { notBefore: new Date(), notAfter: new Date(Date.now() + 365 * DAY) };
    const renewed = parseCertificate(
      await pki.issuing.renew(old.certificate, validity, await newKey.publicKeySpki()),
    );
    const before = parseCertificate(old.certificate);
    expect(renewed.serial).not.toBe(before.serial);
    expect(renewed.subject.display).toBe(before.subject.display);
    expect(renewed.extKeyUsage).toEqual(before.extKeyUsage);
    expect(Buffer.from(renewed.spki).equals(Buffer.from(await newKey.publicKeySpki()))).toBe(true);
    await expect(pki.root.renew(old.certificate, validity)).rejects.toThrow(/did not issue/);
  });

  it('rejects chains to untrusted roots and expired certificates', async () => {
    const pki = await cityPki();
    const cert = parseCertificate(pki.officials.chairDeputy.certificate);
    const untrusted = validatePath({
      certificate: cert,
      intermediates: [pki.issuing.info, pki.root.info],
      trust: new TrustStore([]),
      at: new Date(),
    });
    expect(untrusted.valid).toBe(false);
    expect(untrusted.trusted).toBe(false);
    const late = validatePath({
      certificate: cert,
      intermediates: [pki.issuing.info],
      trust: pki.trust,
      at: new Date(Date.now() + 10 * 365 * DAY),
    });
    expect(late.valid).toBe(false);
    expect(late.problems.join()).toMatch(/not valid at/);
    const external = TrustStore.fromPem(pemEncode('CERTIFICATE', pki.root.certificate));
    expect(external.anchors).toHaveLength(1);
  });

  it('makes a CSR for a port key that openssl verifies, and imports only a matching certificate', async () => {
    const pki = await cityPki();
    for (const algorithm of ['RSASSA_PKCS1_V1_5_SHA_256', 'ECDSA_SHA_256'] as const) {
      const signer = InMemorySigner.generate(`csr-${algorithm}`, algorithm);
      const csr = await createCsr(signer, {
        commonName: 'Võ Thị E',
        organization: 'UBND phường Hoàn Kiếm',
        country: 'VN',
      });
      const dir = tempDir();
      const path = writeTemp(dir, 'req.der', csr);
      const check = openssl(['req', '-inform', 'DER', '-in', path, '-verify', '-noout', '-text']);
      expect(check.status, check.output).toBe(0);
      expect(check.output).toMatch(/verify OK|Certificate request self-signature verify OK/);
      const { subjectPublicKey, valid } = verifyCsr(csr);
      expect(valid).toBe(true);
      const cert = await pki.issuing.issue({
        profile: 'official',
        subject: { commonName: 'Võ Thị E' },
        subjectPublicKey,
        validity: { notBefore: new Date(), notAfter: new Date(Date.now() + DAY) },
      });
      const imported = await importCertificate(signer, pemEncode('CERTIFICATE', cert));
      expect(imported.subject.commonName).toBe('Võ Thị E');
      await expect(importCertificate(InMemorySigner.generate('other', algorithm), cert)).rejects.toThrow(
        /does not certify/,
      );
    }
  });

  it('refuses to issue beyond its own validity', async () => {
    const pki = await cityPki();
    await expect(
      pki.issuing.issue({
        profile: 'official',
        subject: { commonName: 'X' },
        subjectPublicKey: await InMemorySigner.generate('x').publicKeySpki(),
        validity: { notBefore: new Date(), notAfter: new Date(Date.now() + 50 * 365 * DAY) },
      }),
    ).rejects.toThrow(/after the CA/);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TimestampProvider } from '../../lambdas/core/cms/signed-data';
import { InMemorySigner } from '../../lambdas/core/crypto/in-memory-signer';
import { DomainError } from '../../lambdas/core/errors';
import { signPdf } from '../../lambdas/core/pdf/sign';
import { verifyPdf } from '../../lambdas/core/pdf/verify';
import { parseCertificate } from '../../lambdas/core/pki/certificate';
import { RevocationRegistry } from '../../lambdas/core/pki/revocation';
import { TimestampAuthority } from '../../lambdas/core/pki/tsa';
import { draftDecision } from '../fixtures/documents';
import {
  byteRanges,
  extractCms,
  importPopplerSigner,
  nssDbTrusting,
  opensslCmsVerify,
  pdfsig,
  popplerSign,
  qpdf,
  requireTool,
  signedBytes,
  tempDir,
  writeTemp,
} from '../support/pdf-tools';
import { type CityPki, cityPki, type Identity } from '../support/pki-fixtures';

const HOUR = 3600_000;

async function sign(
  pki: CityPki,
  pdf: Uint8Array,
  who: Identity,
  signingTime = new Date(),
  timestamp: TimestampProvider | null = pki.tsa.provider(),
): Promise<Uint8Array> {
  return signPdf({
    pdf,
    signer: who.signer,
    certificateChain: who.chain,
    revocation: 'checked-by-caller',
    ...(timestamp ? { timestamp } : {}),
    reason: 'Ký số',
    signingTime,
    appearance: {
      placement: { page: 0, x: 60, y: 60, width: 200, height: 40 },
      visual: {
        kind: 'text',
        lines: [{ text: `Đã ký: ${parseCertificate(who.certificate).subject.commonName}` }],
      },
    },
  });
}

function expectAllValid(
  pki: CityPki,
  pdf: Uint8Array,
  count: number,
  db = nssDbTrusting([pki.root.certificate]),
): void {
  const path = writeTemp(tempDir(), 'out.pdf', pdf);
  const poppler = pdfsig(path, db);
  expect(poppler.signatures, poppler.output).toHaveLength(count);
  for (const s of poppler.signatures) {
    expect(s.signatureValid, s.block).toBe(true);
    expect(s.certificateTrusted, s.block).toBe(true);
  }
}

describe('ECDSA P-256 signer', () => {
  it('DER ECDSA from the port is valid for pdfsig, openssl and our verifier', async () => {
    const pki = await cityPki();
    const signed = await sign(pki, await draftDecision(1), pki.officials.ecdsaOfficial);
    expectAllValid(pki, signed, 1);
    const [range] = byteRanges(signed);
    if (!range) throw new Error('no signature');
    expect(
      opensslCmsVerify(extractCms(signed, range), signedBytes(signed, range), [pki.root.certificate]).ok,
    ).toBe(true);
    const report = await verifyPdf(signed, { trust: pki.trust });
    expect(report.verdict).toBe('valid');
  });
});

describe('revocation', () => {
  it('a certificate revoked after a signature leaves it valid; a new signature with it is refused', async () => {
    const pki = await cityPki();
    const official = await pki.issue('official', 'Đỗ Văn Hùng');
    const signingTime = new Date(Date.now() - 2 * HOUR);
    // B-B: judged at the claimed time. B-T: judged at the timestamp, from a TSA whose clock says 2 h ago.
    const signed = await sign(pki, await draftDecision(1), official, signingTime, null);
    const tsaSigner = InMemorySigner.generate('past-tsa');
    const tsaCert = await pki.issuing.issue({
      profile: 'tsa',
      subject: { commonName: 'TSA with a past clock' },
      subjectPublicKey: await tsaSigner.publicKeySpki(),
      validity: { notBefore: new Date(Date.now() - 24 * HOUR), notAfter: new Date(Date.now() + 24 * HOUR) },
    });
    const pastTsa = new TimestampAuthority({
      signer: tsaSigner,
      certificateChain: [tsaCert, ...pki.issuing.chain],
      clock: () => new Date(Date.now() - 2 * HOUR),
    });
    const timestamped = await sign(pki, await draftDecision(1), official, signingTime, pastTsa.provider());
    const lateTimestamp = await sign(pki, await draftDecision(1), official, signingTime);
    const serial = parseCertificate(official.certificate).serial;
    const registry = RevocationRegistry.empty().revoke(
      serial,
      new Date(Date.now() - HOUR),
      'affiliationChanged',
    );
    const crl = await pki.issuing.createCrl({
      registry,
      thisUpdate: new Date(),
      nextUpdate: new Date(Date.now() + 24 * HOUR),
      crlNumber: 7n,
    });

    const report = await verifyPdf(signed, { trust: pki.trust, crls: [crl] });
    const [s] = report.signatures;
    expect(s?.revocation).toBe('revoked-later');
    expect(s?.verdict).toBe('valid');
    const viaTimestamp = (await verifyPdf(timestamped, { trust: pki.trust, crls: [crl] })).signatures[0];
    expect(viaTimestamp?.timestamp?.valid).toBe(true);
    expect(viaTimestamp?.revocation).toBe('revoked-later');
    expect(viaTimestamp?.verdict).toBe('valid');
    // A timestamp proving the signature came after the revocation overrides the (backdated) claimed time.
    const late = (await verifyPdf(lateTimestamp, { trust: pki.trust, crls: [crl] })).signatures[0];
    expect(late?.revocation).toBe('revoked');
    expect(late?.verdict).toBe('invalid');

    const attempt = signPdf({
      pdf: signed,
      signer: official.signer,
      certificateChain: official.chain,
      revocation: { crls: [crl] },
      reason: 'Ký lại',
      signingTime: new Date(),
    });
    await expect(attempt).rejects.toBeInstanceOf(DomainError);
    await expect(attempt).rejects.toMatchObject({ code: 'signing_certificate_revoked' });

    // Without a CRL from its issuer the signing function refuses too.
    await expect(
      signPdf({
        pdf: signed,
        signer: official.signer,
        certificateChain: official.chain,
        revocation: { crls: [] },
        reason: 'Ký lại',
        signingTime: new Date(),
      }),
    ).rejects.toMatchObject({ code: 'signing_revocation_unknown' });

    // A good certificate with a current CRL signs.
    const good = pki.officials.chairDeputy;
    const ok = await signPdf({
      pdf: signed,
      signer: good.signer,
      certificateChain: good.chain,
      revocation: { crls: [crl] },
      reason: 'Ký',
      signingTime: new Date(),
    });
    expect(ok.length).toBeGreaterThan(signed.length);
  });

  it('a signature made after its certificate was revoked is invalid', async () => {
    const pki = await cityPki();
    const official = await pki.issue('official', 'Bùi Thị Lan');
    const serial = parseCertificate(official.certificate).serial;
    const registry = RevocationRegistry.empty().revoke(
      serial,
      new Date(Date.now() - 3 * HOUR),
      'keyCompromise',
    );
    const crl = await pki.issuing.createCrl({
      registry,
      thisUpdate: new Date(),
      nextUpdate: new Date(Date.now() + HOUR),
      crlNumber: 8n,
    });
    // Forced past the check ('checked-by-caller') to produce such a file.
    const signed = await sign(pki, await draftDecision(1), official, new Date());
    const report = await verifyPdf(signed, { trust: pki.trust, crls: [crl] });
    expect(report.signatures[0]?.revocation).toBe('revoked');
    expect(report.signatures[0]?.verdict).toBe('invalid');
    expect(report.verdict).toBe('invalid');
  });

  it('refuses a key that does not match the certificate, and a certificate outside its validity', async () => {
    const pki = await cityPki();
    const a = pki.officials.chairDeputy;
    const b = pki.officials.cityPeoplesCommittee;
    const pdf = await draftDecision(1);
    await expect(
      signPdf({
        pdf,
        signer: b.signer,
        certificateChain: a.chain,
        revocation: 'checked-by-caller',
        reason: 'x',
        signingTime: new Date(),
      }),
    ).rejects.toMatchObject({ code: 'signing_key_mismatch' });
    await expect(
      signPdf({
        pdf,
        signer: a.signer,
        certificateChain: a.chain,
        revocation: 'checked-by-caller',
        reason: 'x',
        signingTime: new Date(Date.now() + 30 * 365 * 24 * HOUR),
      }),
    ).rejects.toMatchObject({ code: 'signing_certificate_not_valid' });
  });
});

describe('PDFs from other producers', () => {
  it('object streams + xref streams (qpdf) and linearized files: two docflow signatures stay valid', async () => {
    const pki = await cityPki();
    const dir = tempDir();
    const original = writeTemp(dir, 'in.pdf', await draftDecision(3));
    for (const flags of [
      ['--object-streams=generate'],
      ['--linearize'],
      ['--linearize', '--object-streams=generate'],
    ]) {
      const out = join(dir, `out-${flags.join('')}.pdf`);
      qpdf([...flags, original, out]);
      const input = new Uint8Array(readFileSync(out));
      const once = await sign(pki, input, pki.officials.chairDeputy);
      const twice = await sign(pki, once, pki.officials.cityPeoplesCommittee);
      expect(Buffer.from(twice.subarray(0, input.length)).equals(Buffer.from(input))).toBe(true);
      expectAllValid(pki, twice, 2);
      const report = await verifyPdf(twice, { trust: pki.trust });
      expect(report.verdict, JSON.stringify(report.signatures.map((s) => s.problems))).toBe('valid');
    }
  });

  it('a PDF already signed by poppler (pdfsig -add-signature, NSS key) keeps its signature valid', async () => {
    requireTool('certutil');
    const pki = await cityPki();
    const db = nssDbTrusting([pki.root.certificate]);
    const dir = tempDir();
    // A key made by another tool (openssl), certified by the city CA, imported into NSS for poppler.
    const nickname = await importPopplerSigner({
      nssDb: db,
      ca: pki.issuing,
      subject: { commonName: 'Poppler Signer', organization: 'Other Agency', country: 'VN' },
      validity: { notBefore: new Date(Date.now() - HOUR), notAfter: new Date(Date.now() + 24 * HOUR) },
    });
    const input = writeTemp(dir, 'in.pdf', await draftDecision(2));
    const byPoppler = join(dir, 'poppler.pdf');
    popplerSign({ nssDb: db, nickname, input, output: byPoppler, reason: 'Signed elsewhere' });
    const popplerSigned = new Uint8Array(readFileSync(byPoppler));
    expectAllValid(pki, popplerSigned, 1, db);
    const ours = await sign(pki, popplerSigned, pki.officials.chairDeputy);
    const again = await sign(pki, ours, pki.officials.receivingDepartment);
    expectAllValid(pki, again, 3, db);
    const report = await verifyPdf(again, { trust: pki.trust });
    expect(report.signatures).toHaveLength(3);
    expect(report.signatures[0]?.subFilter).toBe('adbe.pkcs7.detached');
    expect(report.signatures.map((s) => s.verdict)).toEqual(['valid', 'valid', 'valid']);
  });
});

import { describe, expect, it } from 'vitest';
import { InMemorySigner } from '../../lambdas/core/crypto/in-memory-signer';
import { archiveTimestampPdf } from '../../lambdas/core/pdf/archive';
import { verifyPdf } from '../../lambdas/core/pdf/verify';
import { parseCertificate } from '../../lambdas/core/pki/certificate';
import { algorithmHorizon } from '../../lambdas/core/pki/evidence-horizon';
import { RevocationRegistry } from '../../lambdas/core/pki/revocation';
import { TimestampAuthority } from '../../lambdas/core/pki/tsa';
import { signingChain } from '../fixtures/signing-flow';
import { nssDbTrusting, pdfsig, tempDir, writeTemp } from '../support/pdf-tools';
import { cityPki } from '../support/pki-fixtures';

const DAY = 24 * 3600_000;
const RSA_2048_HORIZON = '2030-12-31T16:59:59.000Z';

async function crlsOf(pki: Awaited<ReturnType<typeof cityPki>>, at: Date) {
  const args = {
    registry: RevocationRegistry.empty(),
    thisUpdate: at,
    nextUpdate: new Date(at.getTime() + DAY),
  };
  return [
    await pki.issuing.createCrl({ ...args, crlNumber: BigInt(at.getTime()) }),
    await pki.root.createCrl({ ...args, crlNumber: BigInt(at.getTime()) }),
  ];
}

describe('archive timestamps (PAdES B-LTA)', () => {
  it('archives, renews with the clock moved, and reports until when the evidence holds', async () => {
    const pki = await cityPki();
    const { acknowledged } = await signingChain(pki, 1);
    const now = new Date();
    const archived = await archiveTimestampPdf({
      pdf: acknowledged,
      timestamp: pki.tsa.provider(),
      crls: await crlsOf(pki, now),
      certificates: [pki.root.certificate],
    });
    // The file before is kept byte for byte: every earlier signature keeps its byte range.
    expect(Buffer.from(archived.pdf.subarray(0, acknowledged.length)).equals(Buffer.from(acknowledged))).toBe(
      true,
    );
    // The test TSA has an RSA-2048 key (horizon end of 2030) and a certificate to now + 5 years.
    expect(archived.archiveTimestamp.holdsUntil).toBe(RSA_2048_HORIZON);
    expect(Date.parse(archived.archiveTimestamp.renewBy)).toBe(Date.parse(RSA_2048_HORIZON) - 180 * DAY);

    const report = await verifyPdf(archived.pdf, { trust: pki.trust });
    expect(report.verdict, JSON.stringify(report.signatures.map((s) => s.problems))).toBe('valid');
    expect(report.archive).toMatchObject({ timestamps: 1, valid: true, holdsUntil: RSA_2048_HORIZON });
    expect(report.summary.vi).toContain('bằng chứng có giá trị đến 23:59 31/12/2030 (giờ Hà Nội)');
    expect(report.summary.en).toContain('the evidence holds until 23:59 31/12/2030 (Hanoi time)');

    // Checked after the horizon without a renewal: the evidence no longer holds, and the report says so.
    const lapsed = await verifyPdf(archived.pdf, { trust: pki.trust, at: new Date('2031-02-01T00:00:00Z') });
    expect(lapsed.archive?.valid).toBe(false);
    expect(lapsed.archive?.problems.join('\n')).toContain(
      'the archive evidence lapsed at 2030-12-31T16:59:59',
    );
    expect(lapsed.summary.vi).toContain('KHÔNG còn giá trị');

    // The renewal, run as the clock reaches renewBy: a new TSA key (ECDSA P-256, horizon end of 2035).
    const renewalTime = new Date(Date.parse(archived.archiveTimestamp.renewBy) + DAY);
    const signer = InMemorySigner.generate('tsa-2', 'ECDSA_SHA_256');
    const certificate = await pki.issuing.issue({
      profile: 'tsa',
      subject: { commonName: 'Hà Nội TSA 2 (test)', organization: 'UBND thành phố Hà Nội', country: 'VN' },
      subjectPublicKey: await signer.publicKeySpki(),
      validity: { notBefore: new Date(now.getTime() - DAY), notAfter: new Date('2036-06-01T00:00:00Z') },
    });
    expect(algorithmHorizon(parseCertificate(certificate)).toISOString()).toBe('2035-12-31T16:59:59.000Z');
    const tsa2 = new TimestampAuthority({
      signer,
      certificateChain: [certificate, ...pki.issuing.chain],
      clock: () => renewalTime,
    });
    const renewed = await archiveTimestampPdf({
      pdf: archived.pdf,
      timestamp: tsa2.provider(),
      crls: await crlsOf(pki, renewalTime),
    });
    expect(renewed.archiveTimestamp.time).toBe(renewalTime.toISOString());
    expect(renewed.archiveTimestamp.holdsUntil).toBe('2035-12-31T16:59:59.000Z');

    // Years later, past the first horizon: the chain holds through the second timestamp.
    const later = await verifyPdf(renewed.pdf, { trust: pki.trust, at: new Date('2033-03-01T00:00:00Z') });
    expect(later.archive, JSON.stringify(later.archive)).toMatchObject({ timestamps: 2, valid: true });
    expect(later.archive?.holdsUntil).toBe('2035-12-31T16:59:59.000Z');
    const [first, second] = later.signatures.filter((s) => s.type === 'document-timestamp');
    expect(first?.archive).toMatchObject({ held: true, checkedAt: renewalTime.toISOString() });
    expect(second?.archive).toMatchObject({ held: true, checkedAt: '2033-03-01T00:00:00.000Z' });
    expect(later.summary.vi).toContain('Chuỗi 2 dấu thời gian lưu trữ hợp lệ');
    expect(later.summary.vi).toContain('23:59 31/12/2035 (giờ Hà Nội)');

    // A renewal made after the evidence before it lapsed does not repair the chain.
    const tooLate = new TimestampAuthority({
      signer,
      certificateChain: [certificate, ...pki.issuing.chain],
      clock: () => new Date('2031-03-01T00:00:00Z'),
    });
    const late = await archiveTimestampPdf({
      pdf: archived.pdf,
      timestamp: tooLate.provider(),
      crls: await crlsOf(pki, now),
    });
    const broken = await verifyPdf(late.pdf, { trust: pki.trust, at: new Date('2033-03-01T00:00:00Z') });
    expect(broken.archive?.valid).toBe(false);
    // The first archive timestamp (the report's fourth entry, after three signatures) lapsed unrenewed.
    expect(broken.archive?.problems).toContain('archive timestamp 4 does not hold');
    expect(broken.archive?.problems.join('\n')).toContain(
      'lapsed at 2030-12-31T16:59:59.000Z, before 2031-03-01',
    );

    // poppler lists both document timestamps (it does not validate them) and keeps the signatures valid.
    const poppler = pdfsig(
      writeTemp(tempDir(), 'lta.pdf', renewed.pdf),
      nssDbTrusting([pki.root.certificate]),
    );
    const blocks = poppler.signatures.map((s) => s.block);
    expect(blocks.filter((b) => b.includes('TSA'))).toHaveLength(2);
    for (const s of poppler.signatures.filter((x) => !x.block.includes('TSA'))) {
      expect(s.signatureValid, s.block).toBe(true);
    }
  });
});

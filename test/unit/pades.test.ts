import { describe, expect, it } from 'vitest';
import { verifyPdf } from '../../lambdas/core/pdf/verify';
import { signingChain } from '../fixtures/signing-flow';
import {
  byteRanges,
  extractCms,
  nssDbTrusting,
  opensslCmsVerify,
  pdfsig,
  signedBytes,
  tempDir,
  writeTemp,
} from '../support/pdf-tools';
import { cityPki } from '../support/pki-fixtures';

describe.each([1, 40])('PAdES chain on a %i-page decision', (pages) => {
  it('personal (KT.) → number → seal → acknowledgement: pdfsig, openssl and our verifier all agree', async () => {
    const pki = await cityPki();
    const { acknowledged, draft } = await signingChain(pki, pages);
    const dir = tempDir();
    const path = writeTemp(dir, 'signed.pdf', acknowledged);
    const db = nssDbTrusting([pki.root.certificate]);

    const poppler = pdfsig(path, db);
    expect(poppler.signatures, poppler.output).toHaveLength(3);
    for (const s of poppler.signatures) {
      expect(s.signatureValid, s.block).toBe(true);
      expect(s.certificateTrusted, s.block).toBe(true);
    }
    expect(poppler.signatures.map((s) => s.signerName)).toEqual([
      'Nguyễn Văn An',
      'Ủy ban nhân dân thành phố Hà Nội',
      'Sở Tài chính thành phố Hà Nội',
    ]);
    expect(poppler.signatures[2]?.totalDocumentSigned).toBe(true);

    const ranges = byteRanges(acknowledged);
    expect(ranges).toHaveLength(3);
    for (const range of ranges) {
      const check = opensslCmsVerify(extractCms(acknowledged, range), signedBytes(acknowledged, range), [
        pki.root.certificate,
      ]);
      expect(check.ok, check.output).toBe(true);
    }

    const report = await verifyPdf(acknowledged, { trust: pki.trust });
    expect(report.verdict, JSON.stringify(report, null, 1)).toBe('valid');
    expect(report.signatures.map((s) => s.verdict)).toEqual(['valid', 'valid', 'valid']);
    const [personal, seal, ack] = report.signatures;
    expect(personal?.capacity).toBe('KT.');
    expect(personal?.kind).toBe('personal');
    expect(seal?.kind).toBe('organisation');
    expect(ack?.coversWholeFile).toBe(true);
    expect(personal?.coversWholeFile).toBe(false);
    for (const s of report.signatures) {
      expect(s.coversWholeRevision).toBe(true);
      expect(s.timestamp?.valid).toBe(true);
      expect(s.timestamp?.trusted).toBe(true);
      expect(s.signingCertificateMatches).toBe(true);
      expect(s.byteRange).toEqual(ranges[s.index - 1]);
    }
    // The leader's signature saw the number filled in, the seal and the acknowledgement: all allowed.
    const categories = new Set(personal?.changesAfter.map((c) => c.category));
    expect(categories).toContain('form-fill');
    expect(categories).toContain('signature');
    expect(personal?.changesAfter.every((c) => c.allowed)).toBe(true);
    expect(report.summary.vi).toContain('Chữ ký 1: Nguyễn Văn An (KT.)');
    expect(report.summary.en).toContain('valid');
    // Every signature appended to the previous file: the draft is a prefix of the result.
    expect(Buffer.from(acknowledged.subarray(0, draft.length)).equals(Buffer.from(draft))).toBe(true);
  });
});

describe('tampering', () => {
  it('a byte flipped inside the signed ranges invalidates every signature in pdfsig, openssl and our verifier', async () => {
    const pki = await cityPki();
    const { acknowledged } = await signingChain(pki, 1);
    const tampered = new Uint8Array(acknowledged);
    const text = Buffer.from(tampered).toString('latin1');
    // A byte inside the first page's content stream: the structure still parses, the content changed.
    const at = text.indexOf('stream', text.indexOf('/Contents')) + 40;
    const firstRange = byteRanges(acknowledged)[0] as number[];
    expect(at).toBeLessThan(firstRange[1] as number);
    tampered[at] = (tampered[at] ?? 0) ^ 0x01;
    const path = writeTemp(tempDir(), 'tampered.pdf', tampered);
    const poppler = pdfsig(path, nssDbTrusting([pki.root.certificate]));
    expect(poppler.signatures).toHaveLength(3);
    for (const s of poppler.signatures) expect(s.signatureValid, s.block).toBe(false);
    for (const range of byteRanges(tampered)) {
      expect(
        opensslCmsVerify(extractCms(tampered, range), signedBytes(tampered, range), [pki.root.certificate])
          .ok,
      ).toBe(false);
    }
    const report = await verifyPdf(tampered, { trust: pki.trust });
    expect(report.verdict).toBe('invalid');
    for (const s of report.signatures) {
      expect(s.digestValid).toBe(false);
      expect(s.verdict).toBe('invalid');
    }
  });

  it('bytes appended after the last signature are flagged as a modification', async () => {
    const pki = await cityPki();
    const { acknowledged } = await signingChain(pki, 1);
    const appended = new Uint8Array(
      Buffer.concat([acknowledged, Buffer.from('\n% appended by someone\n1 0 obj\n')]),
    );
    const report = await verifyPdf(appended, { trust: pki.trust });
    expect(report.verdict).toBe('modified');
    const last = report.signatures.at(-1);
    expect(last?.digestValid).toBe(true);
    expect(last?.modifiedAfter).toBe(true);
    expect(last?.changesAfter.map((c) => c.category)).toContain('unparsable-trailing-data');
  });
});

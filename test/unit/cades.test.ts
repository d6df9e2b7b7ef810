import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signDetachedCades, verifyDetachedCades } from '../../lambdas/core/cms/cades';
import { fileSource } from '../../lambdas/core/io/source';
import { openssl, opensslCmsVerify, tempDir, writeTemp } from '../support/pdf-tools';
import { cityPki } from '../support/pki-fixtures';

const attachment = new TextEncoder().encode(
  'Phụ lục: danh sách đơn vị nhận văn bản (bảng tính, không phải PDF)\n'.repeat(2000),
);

describe('detached CAdES (.p7s) for attachments', () => {
  it('openssl cms -verify accepts it; it carries signing-certificate-v2, signing-time and a timestamp', async () => {
    const pki = await cityPki();
    for (const who of [pki.officials.cityPeoplesCommittee, pki.officials.ecdsaOfficial]) {
      const p7s = await signDetachedCades({
        content: attachment,
        signer: who.signer,
        certificateChain: who.chain,
        signingTime: new Date(),
        timestamp: pki.tsa.provider(),
        revocation: 'checked-by-caller',
      });
      const check = opensslCmsVerify(p7s, attachment, [pki.root.certificate]);
      expect(check.ok, check.output).toBe(true);
      const dir = tempDir();
      const printed = openssl([
        'cms',
        '-cmsout',
        '-print',
        '-inform',
        'DER',
        '-in',
        writeTemp(dir, 'a.p7s', p7s),
      ]);
      expect(printed.output).toContain('id-smime-aa-signingCertificateV2');
      expect(printed.output).toContain('signingTime');
      expect(printed.output).toContain('id-smime-aa-timeStampToken');

      const report = await verifyDetachedCades(p7s, attachment, { trust: pki.trust });
      expect(report.verdict).toBe('valid');
      expect(report.timestamp?.valid).toBe(true);
      expect(report.timestamp?.trusted).toBe(true);
    }
  });

  it('a changed attachment fails in openssl and in our verifier; a file is hashed from disk', async () => {
    const pki = await cityPki();
    const who = pki.officials.cityPeoplesCommittee;
    const dir = tempDir();
    const path = writeTemp(dir, 'phu-luc.xlsx', attachment);
    const source = await fileSource(path);
    const p7s = await signDetachedCades({
      content: source,
      signer: who.signer,
      certificateChain: who.chain,
      signingTime: new Date(),
      revocation: 'checked-by-caller',
    });
    await source.close();
    expect(
      opensslCmsVerify(p7s, new Uint8Array(readFileSync(join(dir, 'phu-luc.xlsx'))), [pki.root.certificate])
        .ok,
    ).toBe(true);
    const changed = new Uint8Array(attachment);
    changed[100] = (changed[100] ?? 0) ^ 1;
    expect(opensslCmsVerify(p7s, changed, [pki.root.certificate]).ok).toBe(false);
    const report = await verifyDetachedCades(p7s, changed, { trust: pki.trust });
    expect(report.verdict).toBe('invalid');
    expect(report.digestValid).toBe(false);
    await expect(
      verifyDetachedCades(new Uint8Array([1, 2, 3]), attachment, { trust: pki.trust }),
    ).rejects.toMatchObject({
      code: 'cms_malformed',
    });
  });
});

import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeLargePdf } from '../../bench/large-pdf';
import { CLI_ENTRY } from '../../cli/bundle';
import {
  checkSignedSize,
  MAX_OFFLINE_VERIFIED_PDF_BYTES,
  MAX_SIGNED_PDF_BYTES,
  MAX_UPLOAD_PDF_BYTES,
  MAX_VERIFIED_PDF_BYTES,
} from '../../lambdas/core/limits';
import { sealPlacementOver } from '../../lambdas/core/pdf/appearance';
import { revisionEnds } from '../../lambdas/core/pdf/changes';
import { addValidationData } from '../../lambdas/core/pdf/ltv';
import { readPages } from '../../lambdas/core/pdf/pages';
import { signPdf } from '../../lambdas/core/pdf/sign';
import { addIssueFields, stampIssueNumber } from '../../lambdas/core/pdf/stamp';
import { verifyPdf } from '../../lambdas/core/pdf/verify';
import { pemEncode } from '../../lambdas/core/pki/asn1';
import { RevocationRegistry } from '../../lambdas/core/pki/revocation';
import { blueSignaturePng, DATE_BOX, NUMBER_BOX, SIGNATURE_BOX } from '../fixtures/documents';
import { tempDir } from '../support/pdf-tools';
import { cityPki } from '../support/pki-fixtures';

/*
 * Issue 15 item 11: a scan just under the upload limit was signed, sealed and issued, and then the
 * verifier refused the result as too large. The limits now come from core/limits.ts, ordered so that no
 * step refuses what an earlier one produced.
 */

describe('size limits', () => {
  it('never verify less than signing can produce, nor sign less than an upload', () => {
    expect(MAX_SIGNED_PDF_BYTES).toBeGreaterThan(MAX_UPLOAD_PDF_BYTES);
    expect(MAX_VERIFIED_PDF_BYTES).toBeGreaterThanOrEqual(MAX_SIGNED_PDF_BYTES);
    expect(MAX_OFFLINE_VERIFIED_PDF_BYTES).toBeGreaterThanOrEqual(MAX_VERIFIED_PDF_BYTES);
  });

  it('refuses a signing result the verifier would refuse', () => {
    const at = new Uint8Array(MAX_SIGNED_PDF_BYTES);
    expect(checkSignedSize(at)).toBe(at);
    expect(() => checkSignedSize(new Uint8Array(MAX_SIGNED_PDF_BYTES + 1))).toThrowError(
      expect.objectContaining({ code: 'file_too_large', status: 413 }),
    );
  });

  it('a draft at the upload limit, signed, numbered and sealed with B-LT updates, verifies in verifyPdf and in the CLI', async () => {
    const pki = await cityPki();
    const dir = tempDir();
    try {
      const scan = join(dir, 'scan.pdf');
      await writeLargePdf(scan, MAX_UPLOAD_PDF_BYTES, { exact: true });
      const upload = new Uint8Array(readFileSync(scan));
      expect(upload.length).toBe(MAX_UPLOAD_PDF_BYTES);
      const crl = await pki.issuing.createCrl({
        registry: RevocationRegistry.empty(),
        thisUpdate: new Date(Date.now() - 3600_000),
        nextUpdate: new Date(Date.now() + 24 * 3600_000),
        crlNumber: 1n,
      });
      const tsa = pki.tsa.provider();
      const signingTime = new Date(Date.now() - 600_000);

      // The steps of the signing adapter (lambdas/adapters/document-signing.ts), with its limits.
      await readPages(upload, { maxBytes: MAX_UPLOAD_PDF_BYTES });
      const draft = checkSignedSize(
        await addIssueFields(
          upload,
          { number: { page: 0, ...NUMBER_BOX }, date: { page: 0, ...DATE_BOX } },
          { maxBytes: MAX_UPLOAD_PDF_BYTES },
        ),
      );
      const official = pki.officials.chairDeputy;
      const personal = checkSignedSize(
        await addValidationData({
          pdf: await signPdf({
            pdf: draft,
            signer: official.signer,
            certificateChain: official.chain,
            timestamp: tsa,
            revocation: { crls: [crl] },
            reason: 'Ký ban hành Quyết định',
            signingTime,
            capacity: 'KT.',
            kind: 'personal',
            appearance: {
              placement: { page: 0, ...SIGNATURE_BOX },
              visual: {
                kind: 'personal',
                capacityLines: ['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'],
                name: 'Nguyễn Văn An',
                signatureImage: blueSignaturePng(),
              },
            },
            maxBytes: MAX_SIGNED_PDF_BYTES,
          }),
          crls: [crl],
          maxBytes: MAX_SIGNED_PDF_BYTES,
        }),
      );
      const stamped = await stampIssueNumber(
        personal,
        {
          number: { text: 'Số: 15/QĐ-UBND', align: 'center', size: 13 },
          date: { text: 'Hà Nội, ngày 05 tháng 01 năm 2026', style: 'italic', align: 'center', size: 13 },
        },
        { maxBytes: MAX_SIGNED_PDF_BYTES },
      );
      const seal = pki.officials.cityPeoplesCommittee;
      const issued = checkSignedSize(
        await addValidationData({
          pdf: await signPdf({
            pdf: stamped,
            signer: seal.signer,
            certificateChain: seal.chain,
            timestamp: tsa,
            revocation: { crls: [crl] },
            reason: 'Ban hành 15/QĐ-UBND',
            signingTime: new Date(signingTime.getTime() + 60_000),
            kind: 'organisation',
            appearance: {
              placement: sealPlacementOver({ page: 0, ...SIGNATURE_BOX }),
              visual: { kind: 'seal', organisationName: 'ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI' },
            },
            maxBytes: MAX_SIGNED_PDF_BYTES,
          }),
          crls: [crl],
          maxBytes: MAX_SIGNED_PDF_BYTES,
        }),
      );
      // Upload, issue fields, signature, DSS, number, seal, DSS: past the upload limit, as in the issue.
      expect(revisionEnds(issued)).toHaveLength(7);
      expect(issued.length).toBeGreaterThan(MAX_UPLOAD_PDF_BYTES);
      const path = join(dir, 'issued.pdf');
      writeFileSync(path, issued);
      rmSync(scan);

      // The API's verifier reads limits.ts by default; the arrival check passes its limit explicitly.
      for (const report of [
        await verifyPdf(path, { trust: pki.trust }),
        await verifyPdf(issued, { trust: pki.trust, maxBytes: MAX_VERIFIED_PDF_BYTES }),
      ]) {
        expect(report.verdict, report.summary.en).toBe('valid');
        expect(report.signatures.map((s) => s.kind)).toEqual(['personal', 'organisation']);
      }

      const root = join(dir, 'root.pem');
      writeFileSync(root, pemEncode('CERTIFICATE', pki.root.certificate));
      const cli = spawnSync(process.execPath, [CLI_ENTRY, 'verify', path, '--trust', root, '--lang', 'en'], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', HOME: dir },
      });
      expect(cli.status, `${cli.stdout}${cli.stderr}`).toBe(0);
      expect(cli.stdout).toContain(`(${statSync(path).size} bytes, 7 revisions)`);
      expect(cli.stdout).toContain('RESULT: every signature is valid.');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

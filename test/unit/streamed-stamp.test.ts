import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDF, PdfArray, PdfNumber, PdfString } from '@libpdf/core';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { LARGE_PDF_BYTES, writeLargePdf } from '../../bench/large-pdf';
import { sealPlacementOver } from '../../lambdas/core/pdf/appearance';
import { readPages } from '../../lambdas/core/pdf/pages';
import { signPdf } from '../../lambdas/core/pdf/sign';
import { addIssueFields, ISSUE_FIELDS, stampIssueNumber } from '../../lambdas/core/pdf/stamp';
import { verifyPdf } from '../../lambdas/core/pdf/verify';
import { DATE_BOX, draftDecision, NUMBER_BOX, SIGNATURE_BOX } from '../fixtures/documents';
import { nssDbTrusting, pdfsig, qpdf, requireTool, tempDir, writeTemp } from '../support/pdf-tools';
import { cityPki, type Identity } from '../support/pki-fixtures';

const HOUR = 3600_000;
const LAYOUT = { number: { page: 0, ...NUMBER_BOX }, date: { page: 0, ...DATE_BOX } };
const STAMP = {
  number: { text: 'Số: 15/QĐ-UBND', align: 'center' as const, size: 13 },
  date: {
    text: 'Hà Nội, ngày 05 tháng 01 năm 2026',
    style: 'italic' as const,
    align: 'center' as const,
    size: 13,
  },
};

function signing(who: Identity) {
  return {
    signer: who.signer,
    certificateChain: who.chain,
    revocation: 'checked-by-caller' as const,
    reason: 'Ký số',
    signingTime: new Date(Date.now() - HOUR),
    maxBytes: 256 * 1024 * 1024,
  };
}

/** Page `page` (1-based) rendered by poppler at 100 dpi: its RGB samples. */
function pixels(pdfPath: string, page: number): Buffer {
  requireTool('pdftoppm');
  const prefix = `${pdfPath}-p${page}`;
  execFileSync('pdftoppm', [
    '-png',
    '-r',
    '100',
    '-f',
    `${page}`,
    '-l',
    `${page}`,
    '-singlefile',
    pdfPath,
    prefix,
  ]);
  return PNG.sync.read(readFileSync(`${prefix}.png`)).data;
}

async function fieldValue(pdf: Uint8Array, name: string): Promise<string | undefined> {
  const value = (await PDF.load(pdf)).getForm()?.getField(name)?.getDict().get('V');
  return value instanceof PdfString ? value.asString() : undefined;
}

describe('issue fields, number stamp and page lookups without loading the file', () => {
  it('adds and fills the number fields: the number is drawn, pdfsig, qpdf and our verifier accept the signatures', async () => {
    const pki = await cityPki();
    const personal = {
      placement: { page: 1, ...SIGNATURE_BOX },
      visual: {
        kind: 'personal' as const,
        capacityLines: ['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'],
        name: 'Nguyễn Văn An',
      },
    };
    const seal = {
      placement: sealPlacementOver({ page: 1, ...SIGNATURE_BOX }),
      visual: { kind: 'seal' as const, organisationName: 'ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI' },
    };
    const draft = await draftDecision(2);
    const dir = tempDir();
    const db = nssDbTrusting([pki.root.certificate]);
    {
      const prepared = await addIssueFields(draft, LAYOUT);
      const signed = await signPdf({
        ...signing(pki.officials.chairDeputy),
        pdf: prepared,
        capacity: 'KT.',
        appearance: personal,
      });
      const stamped = await stampIssueNumber(signed, STAMP);
      expect(Buffer.from(stamped.subarray(0, signed.length)).equals(Buffer.from(signed))).toBe(true);
      expect(await fieldValue(stamped, ISSUE_FIELDS.number)).toBe('Số: 15/QĐ-UBND');
      expect(await fieldValue(stamped, ISSUE_FIELDS.date)).toBe('Hà Nội, ngày 05 tháng 01 năm 2026');
      const sealed = await signPdf({
        ...signing(pki.officials.cityPeoplesCommittee),
        pdf: stamped,
        kind: 'organisation',
        appearance: seal,
      });
      const path = writeTemp(dir, 'sealed.pdf', sealed);
      const poppler = pdfsig(path, db);
      expect(poppler.signatures, poppler.output).toHaveLength(2);
      for (const s of poppler.signatures) {
        expect(s.signatureValid, s.block).toBe(true);
        expect(s.certificateTrusted, s.block).toBe(true);
      }
      requireTool('qpdf');
      const check = spawnSync('qpdf', ['--check', path], { encoding: 'utf8' });
      expect(check.status, check.stdout).toBe(0);
      const report = await verifyPdf(path, { trust: pki.trust });
      expect(report.verdict).toBe('valid');
      // The leader's signature sees the number filled in (allowed), then the seal.
      expect(report.signatures[0]?.changesAfter.map((c) => c.category).sort()).toEqual([
        'form-fill',
        'form-fill',
        'signature',
        'signature',
      ]);
      // The number is drawn: the page differs from the draft's where the fields are.
      const draftPath = writeTemp(dir, 'draft.pdf', draft);
      expect(pixels(draftPath, 1).equals(pixels(path, 1))).toBe(false);
      expect(pixels(writeTemp(dir, 'signed.pdf', signed), 1).equals(pixels(path, 1))).toBe(false);
    }
  });

  it('works on large files the same way, deterministically, and refuses what it cannot do', async () => {
    const pki = await cityPki();
    const dir = tempDir();
    const path = join(dir, 'large.pdf');
    await writeLargePdf(path, LARGE_PDF_BYTES + 1024 * 1024);
    const large = new Uint8Array(readFileSync(path));
    const prepared = await addIssueFields(large, LAYOUT);
    expect(Buffer.from(prepared).equals(Buffer.from(await addIssueFields(large, LAYOUT)))).toBe(true);
    const signed = await signPdf({ ...signing(pki.officials.chairDeputy), pdf: prepared });
    const stamped = await stampIssueNumber(signed, STAMP);
    expect(Buffer.from(stamped).equals(Buffer.from(await stampIssueNumber(signed, STAMP)))).toBe(true);
    const report = await verifyPdf(stamped, { trust: pki.trust, maxBytes: 256 * 1024 * 1024 });
    expect(report.verdict).toBe('valid');
    expect(report.signatures[0]?.changesAfter.map((c) => c.category)).toEqual(['form-fill', 'form-fill']);

    // A signed file without the fields; an unsigned one gets them created and filled in one update.
    const unprepared = await signPdf({ ...signing(pki.officials.chairDeputy), pdf: large });
    await expect(stampIssueNumber(unprepared, STAMP)).rejects.toMatchObject({
      code: 'pdf_issue_fields_missing',
    });
    await expect(stampIssueNumber(large, STAMP)).rejects.toMatchObject({
      code: 'pdf_issue_fields_missing',
    });
    const direct = await stampIssueNumber(large, STAMP, { layout: LAYOUT });
    expect(await fieldValue(direct, ISSUE_FIELDS.number)).toBe('Số: 15/QĐ-UBND');
    await expect(addIssueFields(prepared, LAYOUT)).rejects.toThrow(/already exists/);
    await expect(
      addIssueFields(large, { ...LAYOUT, date: { ...LAYOUT.date, page: 9 } }),
    ).rejects.toMatchObject({ code: 'pdf_page_not_found' });
    const encrypted = join(dir, 'encrypted.pdf');
    qpdf(['--encrypt', '', 'owner-pw', '256', '--', path, encrypted]);
    const locked = new Uint8Array(readFileSync(encrypted));
    for (const attempt of [
      addIssueFields(locked, LAYOUT),
      stampIssueNumber(locked, STAMP),
      readPages(locked),
    ]) {
      await expect(attempt).rejects.toMatchObject({ code: 'pdf_encrypted' });
    }
  });

  it('reads page counts and sizes as viewers show them: rotated and cropped pages, object streams', async () => {
    const doc = PDF.create();
    doc.addPage({ width: 595.28, height: 841.89 });
    doc.addPage({ width: 595.28, height: 841.89 }).dict.set('Rotate', PdfNumber.of(90));
    doc
      .addPage({ width: 595.28, height: 841.89 })
      .dict.set('CropBox', new PdfArray([20, 20, 520, 720].map((v) => PdfNumber.of(v))));
    doc.addPage({ width: 841.89, height: 595.28 }).dict.set('Rotate', PdfNumber.of(-90));
    const plain = await doc.save();
    const dir = tempDir();
    const packed = join(dir, 'packed.pdf');
    qpdf(['--object-streams=generate', writeTemp(dir, 'plain.pdf', plain), packed]);
    const expected = [
      { width: 595.28, height: 841.89 },
      { width: 841.89, height: 595.28 },
      { width: 500, height: 700 },
      { width: 595.28, height: 841.89 },
      undefined,
    ];
    for (const bytes of [plain, new Uint8Array(readFileSync(packed))]) {
      const pages = await readPages(bytes);
      expect(pages.count).toBe((await PDF.load(bytes)).getPageCount());
      expect([0, 1, 2, 3, 4].map((i) => pages.size(i))).toEqual(expected);
    }
    const forty = await readPages(await draftDecision(40));
    expect(forty.count).toBe(40);
    expect(forty.size(39)).toEqual({ width: 595.28, height: 841.89 });
    await expect(readPages(new TextEncoder().encode('PK\u0003\u0004'))).rejects.toMatchObject({
      code: 'pdf_not_a_pdf',
    });
  });
});

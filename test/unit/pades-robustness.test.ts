import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lambdas/core/errors';
import { signPdf } from '../../lambdas/core/pdf/sign';
import { stampIssueNumber } from '../../lambdas/core/pdf/stamp';
import { verifyPdf } from '../../lambdas/core/pdf/verify';
import { wholeFileParser } from '../../lambdas/core/pdf/verify-whole-file';
import { draftDecision } from '../fixtures/documents';
import { qpdf, tempDir, writeTemp } from '../support/pdf-tools';
import { cityPki } from '../support/pki-fixtures';

async function inputs(): Promise<Record<string, { bytes: Uint8Array; code: string; maxBytes?: number }>> {
  const draft = await draftDecision(2);
  const dir = tempDir();
  const plain = writeTemp(dir, 'plain.pdf', draft);
  const encrypted = join(dir, 'encrypted.pdf');
  qpdf(['--encrypt', 'user-pw', 'owner-pw', '256', '--', plain, encrypted]);
  const ownerOnly = join(dir, 'owner-only.pdf');
  qpdf(['--encrypt', '', 'owner-pw', '256', '--', plain, ownerOnly]);
  return {
    'not a PDF': {
      bytes: new TextEncoder().encode('PK\u0003\u0004 this is a zip, not a PDF'),
      code: 'pdf_not_a_pdf',
    },
    'empty file': { bytes: new Uint8Array(), code: 'pdf_not_a_pdf' },
    truncated: { bytes: draft.subarray(0, Math.floor(draft.length * 0.6)), code: 'pdf_truncated' },
    'password-encrypted': { bytes: new Uint8Array(readFileSync(encrypted)), code: 'pdf_encrypted' },
    'encrypted, empty user password': {
      bytes: new Uint8Array(readFileSync(ownerOnly)),
      code: 'pdf_encrypted',
    },
    'structure unreadable': {
      bytes: new TextEncoder().encode(
        '%PDF-1.7\n1 0 obj\n<< /Type /Catalog garbage\nstartxref\n999999\n%%EOF\n',
      ),
      code: 'pdf_damaged',
    },
    oversized: { bytes: draft, code: 'file_too_large', maxBytes: 1024 },
  };
}

describe('robustness: bad input gives a typed error and nothing else', () => {
  it('signing, stamping and verifying refuse each bad input with its code', async () => {
    const pki = await cityPki();
    const who = pki.officials.chairDeputy;
    for (const [name, input] of Object.entries(await inputs())) {
      const sign = signPdf({
        pdf: input.bytes,
        signer: who.signer,
        certificateChain: who.chain,
        revocation: 'checked-by-caller',
        reason: 'Ký',
        signingTime: new Date(),
        ...(input.maxBytes ? { maxBytes: input.maxBytes } : {}),
      });
      await expect(sign, name).rejects.toBeInstanceOf(DomainError);
      await expect(sign, name).rejects.toMatchObject({ code: input.code });
      // The same code from the Lambdas' verifier (lazy reader only) and the CLI's (libpdf's as fallback).
      for (const wholeFile of [undefined, wholeFileParser]) {
        const verify = verifyPdf(input.bytes, {
          trust: pki.trust,
          wholeFile,
          ...(input.maxBytes ? { maxBytes: input.maxBytes } : {}),
        });
        await expect(verify, name).rejects.toMatchObject({ code: input.code });
      }
      if (!input.maxBytes) {
        const stamp = stampIssueNumber(input.bytes, {
          number: { text: 'Số: 1/QĐ-UBND' },
          date: { text: 'Hà Nội' },
        });
        await expect(stamp, name).rejects.toMatchObject({ code: input.code });
      }
    }
  });

  it('a file path larger than the limit is refused before it is read', async () => {
    const pki = await cityPki();
    const path = writeTemp(tempDir(), 'big.pdf', await draftDecision(1));
    await expect(verifyPdf(path, { trust: pki.trust, maxBytes: 100 })).rejects.toMatchObject({
      code: 'file_too_large',
      status: 413,
    });
  });

  it('text the font cannot show, and a page that does not exist, are refused', async () => {
    const pki = await cityPki();
    const who = pki.officials.chairDeputy;
    const base = {
      pdf: await draftDecision(1),
      signer: who.signer,
      certificateChain: who.chain,
      revocation: 'checked-by-caller' as const,
      reason: 'Ký',
      signingTime: new Date(),
    };
    await expect(
      signPdf({
        ...base,
        appearance: {
          placement: { page: 0, x: 0, y: 0, width: 100, height: 20 },
          visual: { kind: 'text', lines: [{ text: '签名 ✍' }] },
        },
      }),
    ).rejects.toMatchObject({ code: 'pdf_appearance_text_unsupported' });
    await expect(
      signPdf({
        ...base,
        appearance: {
          placement: { page: 5, x: 0, y: 0, width: 100, height: 20 },
          visual: { kind: 'text', lines: [{ text: 'x' }] },
        },
      }),
    ).rejects.toMatchObject({ code: 'pdf_page_not_found' });
  });

  it('stamping a signed document that has no number fields is refused', async () => {
    const pki = await cityPki();
    const who = pki.officials.chairDeputy;
    const signed = await signPdf({
      pdf: await draftDecision(1),
      signer: who.signer,
      certificateChain: who.chain,
      revocation: 'checked-by-caller',
      reason: 'Ký',
      signingTime: new Date(),
    });
    await expect(
      stampIssueNumber(signed, {
        number: { text: 'Số: 1/QĐ-UBND' },
        date: { text: 'Hà Nội, ngày 01 tháng 01 năm 2026' },
      }),
    ).rejects.toMatchObject({ code: 'pdf_issue_fields_missing' });
  });
});

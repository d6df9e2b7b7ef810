import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDF, PdfString } from '@libpdf/core';
import { describe, expect, it } from 'vitest';
import { LARGE_PDF_BYTES, writeLargePdf } from '../../bench/large-pdf';
import { revisionEnds } from '../../lambdas/core/pdf/changes';
import { ISSUE_FIELDS } from '../../lambdas/core/pdf/stamp';
import { verifyPdf } from '../../lambdas/core/pdf/verify';
import { pemDecodeAll } from '../../lambdas/core/pki/asn1';
import { TrustStore } from '../../lambdas/core/pki/trust';
import { api } from '../support/api';
import { CITY, draft, get, issueAs, post, signAs, type View } from '../support/flow';
import { nssDbTrusting, pdfsig, tempDir } from '../support/pdf-tools';

/**
 * A scanned decision above the streamed-writer threshold through the production signing adapter (KMS keys,
 * the city TSA, the DSS): every step appends its update without loading the file into libpdf, and poppler
 * accepts the result.
 */

const MiB = 1024 * 1024;

async function fileOf(id: string, userId: string): Promise<Uint8Array> {
  const { url } = await get(userId, `/api/documents/${id}/file?redirect=false`);
  return new Uint8Array(await (await fetch(url)).arrayBuffer());
}

describe('a large scanned decision', () => {
  it('is prepared, signed KT., numbered, sealed and delivered with the streamed writer; pdfsig accepts it', async () => {
    const dir = tempDir();
    const scan = join(dir, 'scan.pdf');
    await writeLargePdf(scan, LARGE_PDF_BYTES + 4 * MiB);
    const original = new Uint8Array(readFileSync(scan));

    const id = await draft({ drafter: CITY.drafter, docType: 'quyet-dinh', pdf: original });
    await post(CITY.drafter, `/api/documents/${id}/submit`);
    await post(CITY.approver, `/api/documents/${id}/approve`, { signerId: CITY.signer });
    const signed = await signAs(CITY.signer, id, CITY.capacity);
    expect(signed.state).toBe('SIGNED');
    const issued = await issueAs('city-clerk', id);
    expect(issued.state).toBe('ISSUED');
    const sent = await post('city-clerk', `/api/documents/${id}/send`, { recipients: ['so-noi-vu'] });
    // Arrival re-verifies every signature (the adapter's verify) before the department gets it.
    expect(sent.deliveries.map((d: View) => d.status)).toEqual(['arrived']);

    const pdf = await fileOf(id, 'city-clerk');
    expect(pdf.length).toBeGreaterThan(original.length);
    expect(Buffer.from(pdf.subarray(0, original.length)).equals(Buffer.from(original))).toBe(true);
    const field = async (name: string) => {
      const value = (await PDF.load(pdf)).getForm()?.getField(name)?.getDict().get('V');
      return value instanceof PdfString ? value.asString() : undefined;
    };
    expect(await field(ISSUE_FIELDS.number)).toBe(`Số: ${issued.symbol}`);

    // Upload, issue fields, personal signature, DSS, number, seal, DSS. libpdf writes a dictionary one
    // key per line ("<<\n/Type …"); the lazy writer one object per line: none of the updates is libpdf's.
    const ends = revisionEnds(pdf);
    expect(ends).toHaveLength(7);
    for (let i = 1; i < ends.length; i++) {
      const update = Buffer.from(pdf.subarray(ends[i - 1], ends[i])).toString('latin1');
      expect(update, `update ${i}`).not.toMatch(/<<\r?\n\//);
    }

    const roots = await api<string>('GET', '/api/pki/roots');
    const anchors = pemDecodeAll(roots.body, 'CERTIFICATE');
    const file = join(dir, 'issued.pdf');
    writeFileSync(file, pdf);
    const { signatures, output } = pdfsig(file, nssDbTrusting(anchors));
    expect(signatures, output).toHaveLength(2);
    for (const s of signatures) {
      expect(s.signatureValid, s.block).toBe(true);
      expect(s.certificateTrusted, s.block).toBe(true);
    }
    const report = await verifyPdf(file, { trust: new TrustStore(anchors), parser: 'streamed' });
    expect(report.verdict, report.summary.en).toBe('valid');
    expect(report.signatures.map((s) => s.kind)).toEqual(['personal', 'organisation']);
    expect(report.signatures.every((s) => s.timestamp?.trusted === true)).toBe(true);
  });
});

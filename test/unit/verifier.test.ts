import { PDF, PdfArray, PdfDict, PdfName, PdfNumber, PdfRef, PdfString } from '@libpdf/core';
import { describe, expect, it } from 'vitest';
import { InMemorySigner } from '../../lambdas/core/crypto/in-memory-signer';
import { signPdf } from '../../lambdas/core/pdf/sign';
import { addIssueFields } from '../../lambdas/core/pdf/stamp';
import { verificationReportSchema, verifyPdf } from '../../lambdas/core/pdf/verify';
import { CertificateAuthority } from '../../lambdas/core/pki/certificate-authority';
import { TrustStore } from '../../lambdas/core/pki/trust';
import { DATE_BOX, draftDecision, NUMBER_BOX } from '../fixtures/documents';
import { tempDir, writeTemp } from '../support/pdf-tools';
import { cityPki } from '../support/pki-fixtures';

const DAY = 24 * 3600_000;

async function signedOnce(): Promise<{ signed: Uint8Array; pki: Awaited<ReturnType<typeof cityPki>> }> {
  const pki = await cityPki();
  const who = pki.officials.chairDeputy;
  const signed = await signPdf({
    pdf: await draftDecision(2),
    signer: who.signer,
    certificateChain: who.chain,
    revocation: 'checked-by-caller',
    timestamp: pki.tsa.provider(),
    reason: 'Ký ban hành',
    signingTime: new Date(),
    capacity: 'TM.',
  });
  return { signed, pki };
}

describe('verifier', () => {
  it('reads a file path by ranges and reports the same as for bytes', async () => {
    const { signed, pki } = await signedOnce();
    const path = writeTemp(tempDir(), 'signed.pdf', signed);
    const fromFile = await verifyPdf(path, { trust: pki.trust });
    const fromBytes = await verifyPdf(signed, { trust: pki.trust });
    expect(fromFile).toEqual(fromBytes);
    expect(verificationReportSchema().parse(fromFile)).toEqual(fromFile);
    expect(fromFile.verdict).toBe('valid');
    expect(fromFile.signatures[0]?.capacity).toBe('TM.');
    expect(fromFile.signatures[0]?.claimedTime).not.toBeNull();
    expect(fromFile.summary.en).toMatch(/^Signature 1: Nguyễn Văn An \(TM\.\), timestamped .*: valid\.$/);
  });

  it('an unsigned PDF is "unsigned"', async () => {
    const pki = await cityPki();
    const report = await verifyPdf(await draftDecision(1), { trust: pki.trust });
    expect(report.verdict).toBe('unsigned');
    expect(report.summary.vi).toBe('Tài liệu không có chữ ký số.');
  });

  it('a chain to a root that is not configured is invalid; adding an external root makes it valid', async () => {
    const { signed, pki } = await signedOnce();
    const other = await CertificateAuthority.createRoot({
      signer: InMemorySigner.generate('other-root'),
      subject: { commonName: 'Ban Cơ yếu Chính phủ (test root)', country: 'VN' },
      validity: { notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 3650 * DAY) },
    });
    const untrusted = await verifyPdf(signed, { trust: new TrustStore([other.certificate]) });
    expect(untrusted.signatures[0]?.chainTrusted).toBe(false);
    expect(untrusted.signatures[0]?.digestValid).toBe(true);
    expect(untrusted.verdict).toBe('invalid');

    // A signer certified under the external root verifies when both roots are configured.
    const externalSigner = InMemorySigner.generate('external');
    const externalCert = await other.issue({
      profile: 'official',
      subject: { commonName: 'Cán bộ Bộ Nội vụ' },
      subjectPublicKey: await externalSigner.publicKeySpki(),
      validity: { notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + DAY) },
    });
    const both = await signPdf({
      pdf: signed,
      signer: externalSigner,
      certificateChain: [externalCert, other.certificate],
      revocation: 'checked-by-caller',
      reason: 'Ký',
      signingTime: new Date(),
    });
    const report = await verifyPdf(both, {
      trust: new TrustStore([pki.root.certificate, other.certificate]),
    });
    expect(report.signatures.map((s) => s.verdict)).toEqual(['valid', 'valid']);
    expect(report.signatures[1]?.timestamp).toBeNull();
  });

  it('flags page content changed after signing', async () => {
    const { signed, pki } = await signedOnce();
    const pdf = await PDF.load(signed);
    pdf.getPage(0)?.drawText('Sửa trái phép', { x: 100, y: 100, size: 20 });
    const edited = await pdf.save({ incremental: true });
    const report = await verifyPdf(edited, { trust: pki.trust });
    expect(report.verdict).toBe('modified');
    const s = report.signatures[0];
    expect(s?.digestValid).toBe(true);
    expect(s?.modifiedAfter).toBe(true);
    expect(s?.changesAfter.some((c) => c.category === 'page-content' && !c.allowed)).toBe(true);
  });

  it('flags an annotation added after signing', async () => {
    const { signed, pki } = await signedOnce();
    const pdf = await PDF.load(signed);
    const page = pdf.getPage(0);
    if (!page) throw new Error('no page');
    const note = pdf.context.registry.register(
      PdfDict.of({
        Type: PdfName.of('Annot'),
        Subtype: PdfName.of('FreeText'),
        Rect: new PdfArray([100, 100, 300, 130].map((v) => PdfNumber.of(v))),
        Contents: PdfString.fromString('Số: 99/QĐ-UBND'),
        DA: PdfString.fromString('/Helv 12 Tf 0 g'),
      }),
    );
    const annots = page.dict.get('Annots');
    const list = annots instanceof PdfRef ? pdf.context.registry.resolve(annots) : annots;
    if (list instanceof PdfArray) list.push(note);
    else page.dict.set('Annots', new PdfArray([note]));
    const edited = await pdf.save({ incremental: true });
    const report = await verifyPdf(edited, { trust: pki.trust });
    expect(report.verdict).toBe('modified');
    expect(report.signatures[0]?.changesAfter.map((c) => c.category)).toContain('annotation');
  });

  it('adding the number fields after the leader signed shows as a modification', async () => {
    const { signed, pki } = await signedOnce();
    const late = await addIssueFields(signed, {
      number: { page: 0, ...NUMBER_BOX },
      date: { page: 0, ...DATE_BOX },
    });
    const report = await verifyPdf(late, { trust: pki.trust });
    expect(report.verdict).toBe('modified');
  });
});

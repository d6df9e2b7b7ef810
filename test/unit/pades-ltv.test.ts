import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDF, PdfArray, PdfDict, PdfRef, PdfStream } from '@libpdf/core';
import { describe, expect, it } from 'vitest';
import { validationData } from '../../lambdas/core/audit/pdf-dss';
import { addValidationData } from '../../lambdas/core/pdf/ltv';
import { timestampPdf } from '../../lambdas/core/pdf/sign';
import { verifyPdf } from '../../lambdas/core/pdf/verify';
import { RevocationRegistry } from '../../lambdas/core/pki/revocation';
import { signingChain } from '../fixtures/signing-flow';
import { nssDbTrusting, pdfsig, qpdf, tempDir, writeTemp } from '../support/pdf-tools';
import { cityPki } from '../support/pki-fixtures';

const DAY = 24 * 3600_000;

/** The DSS as libpdf's whole-file parse reads it (how pdf-dss.ts read it before it used the lazy reader). */
async function dssByLibpdf(pdf: Uint8Array): Promise<{ certificates: Uint8Array[]; crls: Uint8Array[] }> {
  const doc = await PDF.load(pdf);
  const resolve = (o: unknown) => (o instanceof PdfRef ? doc.context.registry.resolve(o) : o);
  const dss = resolve(doc.getCatalog().get('DSS'));
  const streams = (key: string) => {
    const arr = dss instanceof PdfDict ? resolve(dss.get(key)) : undefined;
    return arr instanceof PdfArray
      ? arr
          .toArray()
          .map(resolve)
          .filter((s): s is PdfStream => s instanceof PdfStream)
          .map((s) => s.getDecodedData())
      : [];
  };
  return { certificates: streams('Certs'), crls: streams('CRLs') };
}

describe('PAdES B-LT and B-LTA', () => {
  it('a DSS with chains and CRLs, then a document timestamp, keeps every signature valid', async () => {
    const pki = await cityPki();
    const { acknowledged } = await signingChain(pki, 1);
    const crlArgs = {
      registry: RevocationRegistry.empty(),
      thisUpdate: new Date(),
      nextUpdate: new Date(Date.now() + DAY),
    };
    const issuingCrl = await pki.issuing.createCrl({ ...crlArgs, crlNumber: 1n });
    const rootCrl = await pki.root.createCrl({ ...crlArgs, crlNumber: 1n });

    // Without revocation data the verifier cannot say more than "unknown".
    const before = await verifyPdf(acknowledged, { trust: pki.trust });
    expect(before.signatures[0]?.revocation).toBe('unknown');

    const lt = await addValidationData({
      pdf: acknowledged,
      crls: [issuingCrl, rootCrl],
      certificates: [pki.root.certificate],
    });
    expect(Buffer.from(lt.subarray(0, acknowledged.length)).equals(Buffer.from(acknowledged))).toBe(true);
    const text = Buffer.from(lt.subarray(acknowledged.length)).toString('latin1');
    expect(text).toContain('/DSS');
    // Adding it twice adds nothing new but a (harmless) revision.
    const again = await addValidationData({ pdf: lt, crls: [issuingCrl] });
    expect(again.length - lt.length).toBeLessThan(2000);

    const lta = await timestampPdf({ pdf: lt, timestamp: pki.tsa.provider() });
    const path = writeTemp(tempDir(), 'lta.pdf', lta);
    const poppler = pdfsig(path, nssDbTrusting([pki.root.certificate]));
    // Poppler 22.12 lists a document timestamp but cannot validate one ("Signature Type: unknown").
    expect(poppler.signatures).toHaveLength(4);
    expect(poppler.signatures[3]?.block).toContain('Hà Nội TSA (test)');
    const regular = poppler.signatures.slice(0, 3);
    for (const s of regular) {
      expect(s.signatureValid, s.block).toBe(true);
      expect(s.certificateTrusted, s.block).toBe(true);
    }

    const report = await verifyPdf(lta, { trust: pki.trust });
    expect(report.verdict, JSON.stringify(report.signatures.map((s) => [s.verdict, s.problems]))).toBe(
      'valid',
    );
    expect(report.signatures).toHaveLength(4);
    const docTs = report.signatures[3];
    expect(docTs?.type).toBe('document-timestamp');
    expect(docTs?.coversWholeFile).toBe(true);
    expect(docTs?.digestValid).toBe(true);
    const first = report.signatures[0];
    expect(first?.revocation).toBe('good');
    const categories = new Set(first?.changesAfter.map((c) => c.category));
    expect(categories).toContain('validation-data');
    expect(categories, JSON.stringify(first?.changesAfter)).toContain('document-timestamp');
    expect(first?.modifiedAfter).toBe(false);
  });
});

describe("the audit's DSS reader (validationData)", () => {
  it('reads what libpdf reads, from docflow updates and from a file rewritten with object streams', async () => {
    const pki = await cityPki();
    const { acknowledged } = await signingChain(pki, 1);
    const crl = await pki.issuing.createCrl({
      registry: RevocationRegistry.empty(),
      thisUpdate: new Date(),
      nextUpdate: new Date(Date.now() + DAY),
      crlNumber: 1n,
    });
    expect(await validationData(acknowledged)).toEqual({ certificates: [], crls: [] });

    const lt = await addValidationData({
      pdf: acknowledged,
      crls: [crl],
      certificates: [pki.root.certificate],
    });
    const dir = tempDir();
    const rewritten = join(dir, 'object-streams.pdf');
    qpdf(['--object-streams=generate', writeTemp(dir, 'lt.pdf', lt), rewritten]);
    for (const pdf of [lt, new Uint8Array(readFileSync(rewritten))]) {
      const dss = await validationData(pdf);
      expect(dss).toEqual(await dssByLibpdf(pdf));
      expect(dss.crls).toEqual([crl]);
      expect(dss.certificates).toContainEqual(pki.root.certificate);
    }
  });

  it('refuses a file the lazy reader cannot follow as damaged', async () => {
    const pki = await cityPki();
    const { acknowledged } = await signingChain(pki, 1);
    const text = Buffer.from(acknowledged).toString('latin1');
    const at = text.lastIndexOf('startxref');
    const broken = new Uint8Array(Buffer.from(`${text.slice(0, at)}startxref\n12\n%%EOF\n`, 'latin1'));
    await expect(validationData(broken)).rejects.toMatchObject({ code: 'pdf_damaged', status: 422 });
    await expect(validationData(new TextEncoder().encode('not a PDF'))).rejects.toMatchObject({
      code: 'pdf_not_a_pdf',
    });
  });
});

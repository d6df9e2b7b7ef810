import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { LARGE_PDF_BYTES, writeLargePdf } from '../../bench/large-pdf';
import { DomainError } from '../../lambdas/core/errors';
import { sealPlacementOver } from '../../lambdas/core/pdf/appearance';
import { addValidationData, addValidationDataFile } from '../../lambdas/core/pdf/ltv';
import { signPdf, signPdfFile, timestampPdf } from '../../lambdas/core/pdf/sign';
import { verifyPdf } from '../../lambdas/core/pdf/verify';
import { RevocationRegistry } from '../../lambdas/core/pki/revocation';
import { blueSignaturePng, draftDecision, SIGNATURE_BOX } from '../fixtures/documents';
import { signingChain } from '../fixtures/signing-flow';
import {
  importPopplerSigner,
  nssDbTrusting,
  pdfsig,
  popplerSign,
  qpdf,
  requireTool,
  tempDir,
  writeTemp,
} from '../support/pdf-tools';
import { type CityPki, cityPki, type Identity } from '../support/pki-fixtures';

const HOUR = 3600_000;

function options(pki: CityPki, who: Identity = pki.officials.chairDeputy) {
  return {
    signer: who.signer,
    certificateChain: who.chain,
    revocation: 'checked-by-caller' as const,
    timestamp: pki.tsa.provider(),
    reason: 'Ký số',
    signingTime: new Date(Date.now() - HOUR),
    maxBytes: 256 * 1024 * 1024,
  };
}

function expectPdfsigValid(
  pki: CityPki,
  path: string,
  count: number,
  db = nssDbTrusting([pki.root.certificate]),
  lastCoversAll = true,
) {
  const poppler = pdfsig(path, db);
  expect(poppler.signatures, poppler.output).toHaveLength(count);
  for (const s of poppler.signatures) {
    expect(s.signatureValid, s.block).toBe(true);
    expect(s.certificateTrusted, s.block).toBe(true);
  }
  // After a DSS update the last signature no longer covers the whole file, by design.
  if (lastCoversAll) expect(poppler.signatures.at(-1)?.totalDocumentSigned).toBe(true);
}

/** Page `page` (1-based) rendered by poppler at 100 dpi, greyscale-free PNG; returns its path. */
function renderPage(pdfPath: string, page: number, prefix: string): string {
  requireTool('pdftoppm');
  execFileSync('pdftoppm', [
    '-png',
    '-r',
    '100',
    '-f',
    String(page),
    '-l',
    String(page),
    '-singlefile',
    pdfPath,
    prefix,
  ]);
  return `${prefix}.png`;
}

function qpdfCheck(path: string): void {
  requireTool('qpdf');
  const run = spawnSync('qpdf', ['--check', path], { encoding: 'utf8' });
  expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
}

describe('signing without loading the file (constant memory)', () => {
  it('signs a large generated PDF file to file, twice: pdfsig, qpdf and our verifier accept both signatures', async () => {
    const pki = await cityPki();
    const dir = tempDir();
    const input = join(dir, 'large.pdf');
    await writeLargePdf(input, LARGE_PDF_BYTES + 4 * 1024 * 1024);
    const once = join(dir, 'once.pdf');
    const twice = join(dir, 'twice.pdf');
    const first = await signPdfFile({ ...options(pki), input, output: once });
    const second = await signPdfFile({
      ...options(pki, pki.officials.cityPeoplesCommittee),
      kind: 'organisation',
      input: once,
      output: twice,
    });
    const original = readFileSync(input);
    const result = readFileSync(twice);
    expect(result.length).toBe(second.size);
    // Incremental: the original and the first signed file are unchanged prefixes.
    expect(result.subarray(0, original.length).equals(original)).toBe(true);
    expect(result.subarray(0, first.size).equals(readFileSync(once))).toBe(true);

    expectPdfsigValid(pki, twice, 2);
    qpdfCheck(twice);
    const report = await verifyPdf(twice, {
      trust: pki.trust,
      maxBytes: 256 * 1024 * 1024,
    });
    expect(report.verdict, JSON.stringify(report.signatures.map((s) => s.problems))).toBe('valid');
    expect(report.signatures.map((s) => s.kind)).toEqual(['personal', 'organisation']);
    expect(report.signatures[0]?.changesAfter.map((c) => c.category)).toEqual(['signature', 'signature']);
    expect(report.signatures.every((s) => s.timestamp?.valid && s.coversWholeRevision)).toBe(true);
  });

  it('keeps earlier signatures valid: a D30 chain with appearances, then another signature and a document timestamp', async () => {
    const pki = await cityPki();
    const { acknowledged } = await signingChain(pki, 2);
    // A signer not yet in the file: poppler 22.12 reports "Unknown issue with Certificate" for a certificate
    // that already signed earlier in the same file (tried).
    const archivist = await pki.issue('seal', 'Văn thư lưu trữ (test)');
    const streamed = await signPdf({ ...options(pki, archivist), pdf: acknowledged });
    expect(Buffer.from(streamed.subarray(0, acknowledged.length)).equals(Buffer.from(acknowledged))).toBe(
      true,
    );
    const dir = tempDir();
    const path = writeTemp(dir, 'four.pdf', streamed);
    expectPdfsigValid(pki, path, 4);
    const report = await verifyPdf(path, { trust: pki.trust });
    expect(report.signatures.map((s) => s.verdict)).toEqual(['valid', 'valid', 'valid', 'valid']);
    expect(report.signatures[3]?.fieldName).toBe('docflow-personal-2');

    // A document timestamp is written the same way.
    const lta = await timestampPdf({ pdf: streamed, timestamp: pki.tsa.provider() });
    const ltaReport = await verifyPdf(lta, { trust: pki.trust });
    expect(ltaReport.verdict).toBe('valid');
    expect(ltaReport.signatures.at(-1)?.type).toBe('document-timestamp');
  });

  it('signs files from other producers (xref and object streams, linearized, poppler-signed)', async () => {
    const pki = await cityPki();
    const db = nssDbTrusting([pki.root.certificate]);
    const dir = tempDir();
    const original = writeTemp(dir, 'in.pdf', await draftDecision(3));
    const inputs: Record<string, Uint8Array> = {};
    for (const flags of [
      ['--object-streams=generate'],
      ['--linearize'],
      ['--linearize', '--object-streams=generate'],
    ]) {
      const out = join(dir, `q${flags.join('')}.pdf`);
      qpdf([...flags, original, out]);
      inputs[flags.join(' ')] = new Uint8Array(readFileSync(out));
    }
    // Poppler's own signature (NSS key certified by the city CA) on a form-less draft.
    const nickname = await importPopplerSigner({
      nssDb: db,
      ca: pki.issuing,
      subject: { commonName: 'Poppler Signer', country: 'VN' },
      validity: { notBefore: new Date(Date.now() - HOUR), notAfter: new Date(Date.now() + 24 * HOUR) },
    });
    const byPoppler = join(dir, 'poppler.pdf');
    popplerSign({ nssDb: db, nickname, input: original, output: byPoppler });
    inputs.poppler = new Uint8Array(readFileSync(byPoppler));

    for (const [name, input] of Object.entries(inputs)) {
      const earlier = name === 'poppler' ? 1 : 0;
      const once = await signPdf({ ...options(pki), pdf: input });
      const twice = await signPdf({ ...options(pki, pki.officials.cityPeoplesCommittee), pdf: once });
      expect(Buffer.from(twice.subarray(0, input.length)).equals(Buffer.from(input)), name).toBe(true);
      const path = writeTemp(dir, `out-${name.replace(/\W+/g, '-')}.pdf`, twice);
      expectPdfsigValid(pki, path, earlier + 2, db);
      qpdfCheck(path);
      const report = await verifyPdf(path, { trust: pki.trust });
      expect(report.verdict, `${name}: ${JSON.stringify(report.signatures.map((s) => s.problems))}`).toBe(
        'valid',
      );
      expect(report.signatures).toHaveLength(earlier + 2);
    }
  });

  it('writes the same bytes from a file as from memory, visible appearances included (personal signature, then the seal over it)', async () => {
    const pki = await cityPki();
    // No timestamp: RSA PKCS#1 v1.5 is deterministic, so two runs give identical files.
    const { timestamp: _timestamp, ...fixed } = options(pki);
    const pdf = await draftDecision(2);
    const personal = {
      placement: { page: 1, ...SIGNATURE_BOX },
      visual: {
        kind: 'personal' as const,
        capacityLines: ['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'],
        name: 'Nguyễn Văn An',
        signatureImage: blueSignaturePng(),
      },
    };
    const seal = {
      placement: sealPlacementOver({ page: 1, ...SIGNATURE_BOX }),
      visual: { kind: 'seal' as const, organisationName: 'ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI' },
    };
    const sealOptions = {
      ...fixed,
      signer: pki.officials.cityPeoplesCommittee.signer,
      certificateChain: pki.officials.cityPeoplesCommittee.chain,
      kind: 'organisation' as const,
      appearance: seal,
    };
    const dir = tempDir();
    const input = writeTemp(dir, 'in.pdf', pdf);
    const once = join(dir, 'once.pdf');
    const twice = join(dir, 'twice.pdf');
    await signPdfFile({ ...fixed, input, output: once, appearance: personal, capacity: 'KT.' });
    await signPdfFile({ ...sealOptions, input: once, output: twice });
    const inMemory = await signPdf({
      ...sealOptions,
      pdf: await signPdf({ ...fixed, pdf, appearance: personal, capacity: 'KT.' }),
    });
    expect(Buffer.from(inMemory).equals(readFileSync(twice))).toBe(true);
    expectPdfsigValid(pki, twice, 2);
    qpdfCheck(twice);
    expect((await verifyPdf(twice, { trust: pki.trust })).verdict).toBe('valid');
    // Drawn where the signature is: dark and coloured pixels in the rendered page.
    const pixels = PNG.sync.read(readFileSync(renderPage(twice, 2, join(dir, 'page')))).data;
    expect(pixels.some((v) => v < 100)).toBe(true);
  });

  it('refuses bad input with clear codes, and removes a partial output file', async () => {
    const pki = await cityPki();
    const draft = await draftDecision(2);
    const dir = tempDir();
    const plain = writeTemp(dir, 'plain.pdf', draft);
    const encrypted = join(dir, 'encrypted.pdf');
    qpdf(['--encrypt', '', 'owner-pw', '256', '--', plain, encrypted]);
    const cases: [string, Uint8Array, string][] = [
      ['not a PDF', new TextEncoder().encode('PK\u0003\u0004 zip'), 'pdf_not_a_pdf'],
      ['truncated', draft.subarray(0, Math.floor(draft.length * 0.6)), 'pdf_truncated'],
      ['encrypted', new Uint8Array(readFileSync(encrypted)), 'pdf_encrypted'],
    ];
    for (const [name, bytes, code] of cases) {
      await expect(signPdf({ ...options(pki), pdf: bytes }), name).rejects.toMatchObject({
        code,
      });
      const output = join(dir, `${name}.out.pdf`);
      const fromFile = signPdfFile({
        ...options(pki),
        input: writeTemp(dir, `${name}.pdf`, bytes),
        output,
      });
      await expect(fromFile, name).rejects.toBeInstanceOf(DomainError);
      await expect(fromFile, name).rejects.toMatchObject({ code });
      expect(() => readFileSync(output)).toThrow();
    }
    const oversized = signPdfFile({
      ...options(pki),
      maxBytes: 1024,
      input: plain,
      output: join(dir, 'o.pdf'),
    });
    await expect(oversized).rejects.toMatchObject({ code: 'file_too_large' });
    // A key that fails half way (KMS down): the output file started on disk is removed.
    const who = pki.officials.chairDeputy;
    const failing = {
      keyId: who.signer.keyId,
      algorithm: who.signer.algorithm,
      publicKeySpki: () => who.signer.publicKeySpki(),
      signDigest: async () => {
        throw new Error('KMS unavailable');
      },
    };
    const partial = join(dir, 'partial.pdf');
    await expect(
      signPdfFile({ ...options(pki), signer: failing, input: plain, output: partial }),
    ).rejects.toThrow('KMS unavailable');
    expect(() => readFileSync(partial)).toThrow();
    // A cross-reference the reader cannot follow: the file is damaged, nothing is written.
    const broken = new TextEncoder().encode(
      '%PDF-1.7\n1 0 obj\n<< /Type /Catalog garbage\nstartxref\n999999\n%%EOF\n',
    );
    await expect(signPdf({ ...options(pki), pdf: broken })).rejects.toMatchObject({
      code: 'pdf_damaged',
      params: { detail: expect.stringMatching(/xref offset 999999 out of range/) },
    });
    const brokenOutput = join(dir, 'broken.out.pdf');
    await expect(
      signPdfFile({ ...options(pki), input: writeTemp(dir, 'broken.pdf', broken), output: brokenOutput }),
    ).rejects.toMatchObject({ code: 'pdf_damaged' });
    expect(() => readFileSync(brokenOutput)).toThrow();
  });

  it('adds validation data (B-LT) to a large file without loading it', async () => {
    const pki = await cityPki();
    const dir = tempDir();
    const input = join(dir, 'large.pdf');
    await writeLargePdf(input, LARGE_PDF_BYTES + 1024 * 1024);
    const signed = join(dir, 'signed.pdf');
    await signPdfFile({ ...options(pki), input, output: signed });
    const crl = await pki.issuing.createCrl({
      registry: RevocationRegistry.empty(),
      thisUpdate: new Date(),
      nextUpdate: new Date(Date.now() + 24 * HOUR),
      crlNumber: 11n,
    });
    const lt = join(dir, 'lt.pdf');
    const result = await addValidationDataFile({
      input: signed,
      output: lt,
      crls: [crl],
      certificates: [pki.root.certificate],
      maxBytes: 256 * 1024 * 1024,
    });
    expect(readFileSync(lt).subarray(0, readFileSync(signed).length).equals(readFileSync(signed))).toBe(true);
    // Nothing new the second time: the file is left as it is.
    const again = join(dir, 'again.pdf');
    const second = await addValidationDataFile({
      input: lt,
      output: again,
      crls: [crl],
      maxBytes: 256 * 1024 * 1024,
    });
    expect(second.size).toBe(result.size);
    expect(readFileSync(again).equals(readFileSync(lt))).toBe(true);

    expectPdfsigValid(pki, lt, 1, undefined, false);
    qpdfCheck(lt);
    const report = await verifyPdf(lt, { trust: pki.trust, maxBytes: 256 * 1024 * 1024 });
    expect(report.verdict).toBe('valid');
    expect(report.signatures[0]?.revocation).toBe('good');
    expect(report.signatures[0]?.changesAfter.every((c) => c.category === 'validation-data')).toBe(true);

    // The D30 chain: every signature stays valid, and the CRL in the DSS vouches for each.
    const { acknowledged } = await signingChain(pki, 1);
    const withDss = await verifyPdf(await addValidationData({ pdf: acknowledged, crls: [crl] }), {
      trust: pki.trust,
    });
    expect(withDss.signatures.map((sig) => [sig.verdict, sig.revocation])).toEqual([
      ['valid', 'good'],
      ['valid', 'good'],
      ['valid', 'good'],
    ]);
    expect(withDss.signatures.at(-1)?.changesAfter.map((c) => c.category)).toEqual(['validation-data']);
  });
});

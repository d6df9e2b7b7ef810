import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDF, PdfArray, PdfDict, PdfName, PdfNumber, PdfRef, PdfString } from '@libpdf/core';
import { describe, expect, it } from 'vitest';
import { writeLargePdf } from '../../bench/large-pdf';
import { DomainError } from '../../lambdas/core/errors';
import { renderError } from '../../lambdas/core/i18n/messages';
import { bytesSource, fileSource, scanSource } from '../../lambdas/core/io/source';
import { revisionEnds } from '../../lambdas/core/pdf/changes';
import { objectsUpdate } from '../../lambdas/core/pdf/incremental';
import { withUpdate } from '../../lambdas/core/pdf/input';
import { addValidationData } from '../../lambdas/core/pdf/ltv';
import { PdfStructureError } from '../../lambdas/core/pdf/objects';
import { PdfFile, Revision } from '../../lambdas/core/pdf/reader';
import { signPdf, timestampPdf } from '../../lambdas/core/pdf/sign';
import { addIssueFields } from '../../lambdas/core/pdf/stamp';
import { verifyPdf } from '../../lambdas/core/pdf/verify';
import { wholeFileParser } from '../../lambdas/core/pdf/verify-whole-file';
import { RevocationRegistry } from '../../lambdas/core/pki/revocation';
import { DATE_BOX, draftDecision, NUMBER_BOX } from '../fixtures/documents';
import { signingChain } from '../fixtures/signing-flow';
import {
  importPopplerSigner,
  nssDbTrusting,
  popplerSign,
  qpdf,
  tempDir,
  writeTemp,
} from '../support/pdf-tools';
import { type CityPki, cityPki, type Identity } from '../support/pki-fixtures';

const HOUR = 3600_000;

function sign(pki: CityPki, pdf: Uint8Array, who: Identity = pki.officials.chairDeputy): Promise<Uint8Array> {
  return signPdf({
    pdf,
    signer: who.signer,
    certificateChain: who.chain,
    revocation: 'checked-by-caller',
    timestamp: pki.tsa.provider(),
    reason: 'Ký',
    signingTime: new Date(Date.now() - HOUR),
  });
}

/** A file signed first by poppler (NSS key certified by the city CA), then by docflow. */
async function popplerThenDocflow(pki: CityPki): Promise<Uint8Array> {
  const db = nssDbTrusting([pki.root.certificate]);
  const dir = tempDir();
  const nickname = await importPopplerSigner({
    nssDb: db,
    ca: pki.issuing,
    subject: { commonName: 'Poppler Signer', country: 'VN' },
    validity: { notBefore: new Date(Date.now() - HOUR), notAfter: new Date(Date.now() + 24 * HOUR) },
  });
  const input = writeTemp(dir, 'in.pdf', await draftDecision(2));
  const out = join(dir, 'poppler.pdf');
  popplerSign({ nssDb: db, nickname, input, output: out });
  return sign(pki, new Uint8Array(readFileSync(out)));
}

async function corpus(pki: CityPki): Promise<Record<string, Uint8Array>> {
  const { acknowledged } = await signingChain(pki, 2);
  const crl = await pki.issuing.createCrl({
    registry: RevocationRegistry.empty(),
    thisUpdate: new Date(),
    nextUpdate: new Date(Date.now() + 24 * HOUR),
    crlNumber: 3n,
  });
  const lt = await addValidationData({ pdf: acknowledged, crls: [crl] });
  const lta = await timestampPdf({ pdf: lt, timestamp: pki.tsa.provider() });

  const dir = tempDir();
  const original = writeTemp(dir, 'in.pdf', await draftDecision(3));
  const producers: Record<string, Uint8Array> = {};
  for (const flags of [
    ['--object-streams=generate'],
    ['--linearize'],
    ['--linearize', '--object-streams=generate'],
  ]) {
    const out = join(dir, `out${flags.join('')}.pdf`);
    qpdf([...flags, original, out]);
    const once = await sign(pki, new Uint8Array(readFileSync(out)));
    producers[`qpdf ${flags.join(' ')}, signed twice`] = await sign(
      pki,
      once,
      pki.officials.cityPeoplesCommittee,
    );
  }

  const signed = await sign(pki, await draftDecision(2));
  const drawn = await PDF.load(signed);
  drawn.getPage(0)?.drawText('Sửa trái phép', { x: 100, y: 100, size: 20 });
  const annotated = await PDF.load(signed);
  const page = annotated.getPage(0);
  if (!page) throw new Error('no page');
  const note = annotated.context.registry.register(
    PdfDict.of({
      Type: PdfName.of('Annot'),
      Subtype: PdfName.of('FreeText'),
      Rect: new PdfArray([100, 100, 300, 130].map((v) => PdfNumber.of(v))),
      Contents: PdfString.fromString('Số: 99/QĐ-UBND'),
    }),
  );
  const annots = page.dict.get('Annots');
  const list = annots instanceof PdfRef ? annotated.context.registry.resolve(annots) : annots;
  if (list instanceof PdfArray) list.push(note);
  else page.dict.set('Annots', new PdfArray([note]));

  const tampered = new Uint8Array(acknowledged);
  const at = Buffer.from(tampered).indexOf('stream', Buffer.from(tampered).indexOf('/Contents')) + 40;
  tampered[at] = (tampered[at] ?? 0) ^ 1;
  // A hex digit of a signature value turned into a byte that is not hex: skipped by both readers.
  const garbled = new Uint8Array(acknowledged);
  garbled[Buffer.from(garbled).indexOf('/Contents <') + 40] = 0x47; // 'G'

  return {
    unsigned: await draftDecision(1),
    'signing chain (personal, number, seal, acknowledgement)': acknowledged,
    'B-LT then B-LTA': lta,
    ...producers,
    'poppler then docflow': await popplerThenDocflow(pki),
    'page content drawn after signing': await drawn.save({ incremental: true }),
    'annotation added after signing': await annotated.save({ incremental: true }),
    'number fields added after signing': await addIssueFields(signed, {
      number: { page: 0, ...NUMBER_BOX },
      date: { page: 0, ...DATE_BOX },
    }),
    'a byte flipped in a signed range': tampered,
    'a signature value with a character that is not hex': garbled,
    'bytes appended after the last %%EOF': new Uint8Array(
      Buffer.concat([acknowledged, Buffer.from('\n% appended by someone\n1 0 obj\n')]),
    ),
  };
}

describe('streamed verifier', () => {
  it('reports exactly what the whole-file (libpdf) verifier reports, on every kind of file', async () => {
    const pki = await cityPki();
    const files = await corpus(pki);
    const dir = tempDir();
    // One "now" for every run: an archive timestamp's evidence is checked as of it.
    const at = new Date();
    for (const [name, bytes] of Object.entries(files)) {
      const path = writeTemp(dir, `${name.replace(/\W+/g, '-')}.pdf`, bytes);
      // 'streamed' never falls back to libpdf: it throws if the lazy reader cannot follow the file.
      const streamed = await verifyPdf(path, { trust: pki.trust, parser: 'streamed', at });
      const whole = await verifyPdf(bytes, {
        trust: pki.trust,
        parser: 'libpdf',
        wholeFile: wholeFileParser,
        at,
      });
      expect(streamed, name).toEqual(whole);
      expect(await verifyPdf(bytes, { trust: pki.trust, parser: 'streamed', at }), name).toEqual(streamed);
    }
    // The corpus covers each verdict.
    const verdicts = new Set<string>();
    for (const bytes of Object.values(files))
      verdicts.add((await verifyPdf(bytes, { trust: pki.trust })).verdict);
    expect([...verdicts].sort()).toEqual(['invalid', 'modified', 'unsigned', 'valid']);
  });

  it('falls back to the whole-file parser only when given it, and says so when asked not to', async () => {
    const pki = await cityPki();
    const trust = pki.trust;
    // A later update whose page tree has no /Count: libpdf counts the pages itself, the lazy reader gives up.
    // (docflow refuses to sign or stamp such a file, so the update is written here by hand.)
    const good = await sign(pki, await draftDecision(1));
    const rev = Revision.open(PdfFile.fromBytes(good));
    const pagesRef = rev.catalog().get('Pages');
    const pages = rev.dict(pagesRef);
    if (!(pagesRef instanceof PdfRef) || !pages) throw new Error('fixture without a page tree');
    const withoutCount = new PdfDict([...pages].filter(([key]) => key.value !== 'Count'));
    const signed = withUpdate(
      good,
      objectsUpdate(
        rev,
        rev.size,
        new Map([[pagesRef.objectNumber, { ref: pagesRef, value: withoutCount }]]),
      ),
    );
    await expect(sign(pki, signed)).rejects.toMatchObject({ code: 'pdf_damaged' });
    await expect(verifyPdf(signed, { trust, parser: 'streamed' })).rejects.toBeInstanceOf(PdfStructureError);
    const examined = await verifyPdf(signed, { trust, wholeFile: wholeFileParser });
    // The signature itself is intact; the page tree changed after it.
    expect(examined.signatures.map((sig) => [sig.verdict, sig.coversWholeRevision])).toEqual([
      ['modified', true],
    ]);
    expect(await verifyPdf(signed, { trust, parser: 'libpdf', wholeFile: wholeFileParser })).toEqual(
      examined,
    );
    // Without it (the Lambdas), the file is refused, saying why and where it can still be examined.
    const refusal = await verifyPdf(signed, { trust }).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: 'pdf_damaged', status: 422 });
    expect(renderError(refusal as DomainError, 'en')).toMatch(/\(no page count\).*repaired.*docflow verify/);
    expect(renderError(refusal as DomainError, 'vi')).toMatch(/\(no page count\).*docflow verify/);
    // Asking for libpdf without handing it over is a programming error, not a damaged file.
    const misuse = verifyPdf(signed, { trust, parser: 'libpdf' });
    await expect(misuse).rejects.not.toBeInstanceOf(DomainError);
    await expect(misuse).rejects.toThrow(/needs options.wholeFile/);

    // A startxref pointing nowhere: libpdf recovers by scanning (and the verifier refuses the file as
    // damaged), the streamed reader gives up.
    const text = Buffer.from(await sign(pki, await draftDecision(1))).toString('latin1');
    const at = text.lastIndexOf('startxref');
    const broken = new Uint8Array(Buffer.from(`${text.slice(0, at)}startxref\n12\n%%EOF\n`, 'latin1'));
    await expect(verifyPdf(broken, { trust, parser: 'streamed' })).rejects.toBeInstanceOf(PdfStructureError);
    for (const options of [
      {},
      { wholeFile: wholeFileParser },
      { parser: 'libpdf' as const, wholeFile: wholeFileParser },
    ])
      await expect(verifyPdf(broken, { trust, ...options })).rejects.toMatchObject({ code: 'pdf_damaged' });
  });

  it("without the whole-file parser, a byte range ending inside a revision is that signature's problem", async () => {
    const pki = await cityPki();
    const text = Buffer.from(await sign(pki, await draftDecision(1))).toString('latin1');
    // Shorten the (space-padded) ByteRange to end before the update's xref: no startxref before that point.
    const m = /\/ByteRange \[0 (\d+) (\d+) (\d+) *\]/.exec(text);
    if (!m) throw new Error('no ByteRange');
    const [range, l1, o2, l2] = m;
    expect(Number(o2) + Number(l2)).toBe(text.length);
    const end = text.lastIndexOf('xref', text.lastIndexOf('startxref') - 1);
    const shorter = `/ByteRange [0 ${l1} ${o2} ${end - Number(o2)}`;
    const cut = new Uint8Array(
      Buffer.from(text.replace(range, `${shorter.padEnd(range.length - 1)}]`), 'latin1'),
    );
    expect(cut.length).toBe(text.length);
    // The lazy reader cannot open the "revision" the signature claims to end.
    await expect(verifyPdf(cut, { trust: pki.trust, parser: 'streamed' })).rejects.toBeInstanceOf(
      PdfStructureError,
    );
    const report = await verifyPdf(cut, { trust: pki.trust });
    expect(report.verdict).toBe('invalid');
    const s = report.signatures[0];
    expect(s?.problems).toContain('the byte range does not end at the end of a revision');
    expect(s?.changesAfter.map((c) => c.category)).toEqual(['document-structure']);
  });

  it('a file of several read chunks: one pass finds every revision and hashes every range', async () => {
    const pki = await cityPki();
    const dir = tempDir();
    const path = join(dir, 'large.pdf');
    await writeLargePdf(path, 5 * 1024 * 1024);
    const once = await sign(pki, new Uint8Array(readFileSync(path)));
    const twice = await sign(pki, once, pki.officials.cityPeoplesCommittee);
    const signedPath = writeTemp(dir, 'signed.pdf', twice);
    const report = await verifyPdf(signedPath, { trust: pki.trust, parser: 'streamed' });
    expect(report.revisions).toBe(3);
    expect(report.signatures.map((s) => s.verdict)).toEqual(['valid', 'valid']);
    expect(report).toEqual(
      await verifyPdf(twice, { trust: pki.trust, parser: 'libpdf', wholeFile: wholeFileParser }),
    );
  });
});

describe('scanSource', () => {
  it("finds every %%EOF (also across 1 MiB reads) and hashes each job's ranges like a direct hash", async () => {
    const MiB = 1024 * 1024;
    const bytes = new Uint8Array(3 * MiB + 100).fill(0x41);
    // Markers straddling both chunk boundaries, at the very start and at the very end, with CR/LF variants.
    const put = (at: number, text: string) => bytes.set(Buffer.from(text, 'latin1'), at);
    put(0, '%%EOF\r\n');
    put(MiB - 2, '%%EOF\n');
    put(2 * MiB - 4, '%%EOF\r');
    put(2 * MiB + 10, '%%EOF%%EOF');
    put(bytes.length - 5, '%%EOF');
    const jobs = [
      { algorithm: 'sha256' as const, ranges: [[0, 10] as const, [MiB - 5, MiB + 7] as const] },
      { algorithm: 'sha512' as const, ranges: [[0, bytes.length] as const] },
    ];
    const expected = jobs.map((job) => {
      const hash = createHash(job.algorithm);
      for (const [o, l] of job.ranges) hash.update(bytes.subarray(o, o + l));
      return new Uint8Array(hash.digest());
    });
    const dir = tempDir();
    for (const source of [bytesSource(bytes), await fileSource(writeTemp(dir, 'scan.bin', bytes))]) {
      const scan = await scanSource(source, jobs);
      expect(scan.revisionEnds).toEqual(revisionEnds(bytes));
      expect(scan.revisionEnds).toHaveLength(6);
      expect(scan.digests).toEqual(expected);
      await source.close();
    }
  });
});

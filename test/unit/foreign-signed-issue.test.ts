import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDF, PdfArray, PdfDict, PdfName, PdfNumber, type PdfObject, PdfRef, PdfString } from '@libpdf/core';
import { describe, expect, it } from 'vitest';
import { InMemorySigner } from '../../lambdas/core/crypto/in-memory-signer';
import { sealPlacementOver } from '../../lambdas/core/pdf/appearance';
import { issueStamp } from '../../lambdas/core/pdf/issue';
import { addValidationData } from '../../lambdas/core/pdf/ltv';
import { readPages } from '../../lambdas/core/pdf/pages';
import { ISSUE_FIELDS_LAYOUT, signaturePlacement } from '../../lambdas/core/pdf/placement';
import { PdfFile, pageAt, Revision, terminalFields } from '../../lambdas/core/pdf/reader';
import { signPdf } from '../../lambdas/core/pdf/sign';
import { ISSUE_FIELDS, prepareForSignature } from '../../lambdas/core/pdf/stamp';
import { verifyPdf } from '../../lambdas/core/pdf/verify';
import { wholeFileParser } from '../../lambdas/core/pdf/verify-whole-file';
import { CertificateAuthority } from '../../lambdas/core/pki/certificate-authority';
import { RevocationRegistry } from '../../lambdas/core/pki/revocation';
import { TrustStore } from '../../lambdas/core/pki/trust';
import { draftDecision } from '../fixtures/documents';
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

/*
 * Issue 17, item 3: a draft that arrives signed by another CA (a ministry's co-signature) goes through
 * docflow's steps as lambdas/adapters/document-signing.ts runs them (prepare, leader's signature + DSS,
 * number and date, seal + DSS), and every signature must then be valid in docflow's verifier and in pdfsig.
 */

const HOUR = 3600_000;
const YEAR = 365 * 24 * HOUR;

interface ForeignCa {
  readonly root: CertificateAuthority;
  readonly issuing: CertificateAuthority;
  readonly official: Identity;
  readonly second: Identity;
}

let foreignCa: Promise<ForeignCa> | undefined;

/** Another CA, its own root: a ministry's signer, unrelated to the city PKI. */
function foreign(): Promise<ForeignCa> {
  foreignCa ??= (async () => {
    const now = Date.now();
    const root = await CertificateAuthority.createRoot({
      signer: InMemorySigner.generate('ministry-root'),
      subject: { commonName: 'Ministry Root CA (test)', organization: 'Bộ Nội vụ', country: 'VN' },
      validity: { notBefore: new Date(now - YEAR), notAfter: new Date(now + 10 * YEAR) },
    });
    const issuing = await root.createIssuingCa({
      signer: InMemorySigner.generate('ministry-issuing'),
      subject: { commonName: 'Ministry Issuing CA (test)', organization: 'Bộ Nội vụ', country: 'VN' },
      validity: { notBefore: new Date(now - YEAR), notAfter: new Date(now + 5 * YEAR) },
    });
    const official = async (commonName: string): Promise<Identity> => {
      const signer = InMemorySigner.generate(`ministry-${commonName}`);
      const certificate = await issuing.issue({
        profile: 'official',
        subject: { commonName, title: 'Thứ trưởng', organization: 'Bộ Nội vụ', country: 'VN' },
        subjectPublicKey: await signer.publicKeySpki(),
        validity: { notBefore: new Date(now - 24 * HOUR), notAfter: new Date(now + YEAR) },
      });
      return { signer, certificate, chain: [certificate, ...issuing.chain] };
    };
    return { root, issuing, official: await official('Lê Văn Bộ'), second: await official('Phạm Thị Hai') };
  })();
  return foreignCa;
}

async function foreignSigned(pdf: Uint8Array, by?: Identity): Promise<Uint8Array> {
  const official = by ?? (await foreign()).official;
  return signPdf({
    pdf,
    signer: official.signer,
    certificateChain: official.chain,
    revocation: 'checked-by-caller',
    reason: 'Bộ Nội vụ đồng ký',
    signingTime: new Date(Date.now() - 2 * HOUR),
    fieldName: 'ministry',
    appearance: {
      placement: { page: 0, x: 60, y: 60, width: 200, height: 40 },
      visual: { kind: 'text', lines: [{ text: 'Bộ Nội vụ đã ký' }] },
    },
  });
}

/** What docflow does to a draft, from the leader's signature to issue (adapters/document-signing.ts, keys in memory). */
async function issuedByDocflow(pki: CityPki, original: Uint8Array): Promise<Uint8Array> {
  const crl = await pki.issuing.createCrl({
    registry: RevocationRegistry.empty(),
    thisUpdate: new Date(Date.now() - HOUR),
    nextUpdate: new Date(Date.now() + 24 * HOUR),
    crlNumber: 1n,
  });
  const draft = await prepareForSignature(original, ISSUE_FIELDS_LAYOUT);
  const box = signaturePlacement(await readPages(draft));
  const leader = pki.officials.chairDeputy;
  const personal = await addValidationData({
    crls: [crl],
    pdf: await signPdf({
      pdf: draft,
      signer: leader.signer,
      certificateChain: leader.chain,
      revocation: { crls: [crl] },
      timestamp: pki.tsa.provider(),
      reason: 'Ký ban hành',
      signingTime: new Date(Date.now() - HOUR),
      capacity: 'KT.',
      kind: 'personal',
      appearance: {
        placement: box,
        visual: { kind: 'personal', capacityLines: ['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'], name: 'Nguyễn Văn An' },
      },
    }),
  });
  const stamped = await issueStamp(
    personal,
    {
      number: { text: 'Số: 15/QĐ-UBND', align: 'center', size: 13 },
      date: { text: 'Hà Nội, ngày 05 tháng 01 năm 2026', style: 'italic', align: 'center', size: 13 },
    },
    ISSUE_FIELDS_LAYOUT,
  );
  const seal = pki.officials.cityPeoplesCommittee;
  return addValidationData({
    crls: [crl],
    pdf: await signPdf({
      pdf: stamped.pdf,
      signer: seal.signer,
      certificateChain: seal.chain,
      revocation: { crls: [crl] },
      timestamp: pki.tsa.provider(),
      reason: 'Ban hành 15/QĐ-UBND',
      signingTime: new Date(Date.now() - HOUR / 2),
      kind: 'organisation',
      fieldName: 'docflow-organisation',
      appearance: {
        placement: sealPlacementOver(box),
        visual: { kind: 'seal', organisationName: 'ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI' },
      },
      extraWidgets: stamped.widgets,
    }),
  });
}

/** Every signature valid in docflow's verifier and in pdfsig (trusting both roots), `count` of them. */
async function expectValidEverywhere(pki: CityPki, pdf: Uint8Array, count: number, db: string) {
  const { root } = await foreign();
  const report = await verifyPdf(pdf, { trust: new TrustStore([pki.root.certificate, root.certificate]) });
  expect(report.signatures).toHaveLength(count);
  expect(
    report.signatures.map((s) => s.verdict),
    JSON.stringify(report.signatures.map((s) => s.problems)),
  ).toEqual(Array(count).fill('valid'));
  expect(report.verdict).toBe('valid');
  // The same verdict from libpdf's whole-file reading (what the CLI falls back to).
  const whole = await verifyPdf(pdf, {
    trust: new TrustStore([pki.root.certificate, root.certificate]),
    parser: 'libpdf',
    wholeFile: wholeFileParser,
  });
  expect(whole.signatures.map((s) => s.verdict)).toEqual(Array(count).fill('valid'));
  const poppler = pdfsig(writeTemp(tempDir(), 'issued.pdf', pdf), db);
  expect(poppler.signatures, poppler.output).toHaveLength(count);
  for (const s of poppler.signatures) {
    expect(s.signatureValid, s.block).toBe(true);
    expect(s.certificateTrusted, s.block).toBe(true);
  }
}

/** The issue fields' names present in the document's form. */
function issueFieldNames(pdf: Uint8Array): string[] {
  const rev = Revision.open(PdfFile.fromBytes(pdf));
  const names: readonly string[] = Object.values(ISSUE_FIELDS);
  return terminalFields(rev, rev.catalog())
    .map((f) => f.name)
    .filter((n) => names.includes(n));
}

function rectOf(p: { x: number; y: number; width: number; height: number }): string {
  return [p.x, p.y, p.x + p.width, p.y + p.height].join(' ');
}

/** The seal field's widgets: their page (1-based) and, for the number and date, their /Rect. */
function sealWidgetRects(pdf: Uint8Array): string[] {
  const rev = Revision.open(PdfFile.fromBytes(pdf));
  const seal = terminalFields(rev, rev.catalog()).find((f) => f.name === 'docflow-organisation');
  const kids = rev.array(seal?.dict.get('Kids'))?.toArray() ?? [];
  const pages = [0, 1].map((i) => pageAt(rev, rev.catalog(), i)?.ref.objectNumber);
  return kids.map((kid, i) => {
    const widget = rev.dict(kid);
    const page = `page ${pages.indexOf(widget?.getRef('P')?.objectNumber) + 1}`;
    if (i === 0) return page;
    const rect = (rev.array(widget?.get('Rect'))?.toArray() ?? []).map((v) => (v as PdfNumber).value);
    return `${page} ${rect.join(' ')}`;
  });
}

/** `pdf` with an incremental update adding `widget` to page 1's annotations (and nothing else). */
async function withWidgetAdded(pdf: Uint8Array, widget: Record<string, PdfObject>): Promise<Uint8Array> {
  const doc = await PDF.load(pdf);
  const page = doc.getPage(0);
  if (!page) throw new Error('no page');
  const ref = doc.context.registry.register(
    PdfDict.of({
      Type: PdfName.of('Annot'),
      Subtype: PdfName.of('Widget'),
      Rect: new PdfArray([40, 700, 270, 716].map((v) => PdfNumber.of(v))),
      ...widget,
    }),
  );
  const annots = page.dict.get('Annots');
  const list = annots instanceof PdfRef ? doc.context.registry.resolve(annots) : annots;
  if (list instanceof PdfArray) list.push(ref);
  else page.dict.set('Annots', new PdfArray([ref]));
  return doc.save({ incremental: true });
}

describe('a draft already signed by another CA', () => {
  it('is issued with the number and date as widgets of the seal, and every signature stays valid', async () => {
    const pki = await cityPki();
    const { root } = await foreign();
    const draft = await foreignSigned(await draftDecision(2));
    // Not touched when prepared: a new text field is not a change the ministry's signature permits.
    expect(
      Buffer.from(await prepareForSignature(draft, ISSUE_FIELDS_LAYOUT)).equals(Buffer.from(draft)),
    ).toBe(true);
    const issued = await issuedByDocflow(pki, draft);
    expect(issueFieldNames(issued)).toEqual([]);
    // The number and date are on page 1, drawn as widgets of the seal's field (covered by the seal).
    expect(sealWidgetRects(issued)).toEqual([
      'page 2',
      `page 1 ${rectOf(ISSUE_FIELDS_LAYOUT.number)}`,
      `page 1 ${rectOf(ISSUE_FIELDS_LAYOUT.date)}`,
    ]);
    await expectValidEverywhere(pki, issued, 3, nssDbTrusting([pki.root.certificate, root.certificate]));
  }, 180_000);

  it('an unsigned draft still gets the read-only number and date fields, filled at issue', async () => {
    const pki = await cityPki();
    const issued = await issuedByDocflow(pki, await draftDecision(1));
    expect(issueFieldNames(issued).sort()).toEqual(Object.values(ISSUE_FIELDS).sort());
    await expectValidEverywhere(pki, issued, 2, nssDbTrusting([pki.root.certificate]));
  }, 180_000);
});

describe('the change check still catches widgets no signature field owns', () => {
  it('a widget added after signing, without /Parent or listed by no signature field, modifies it', async () => {
    const { root } = await foreign();
    const signed = await foreignSigned(await draftDecision(1));
    const trust = new TrustStore([root.certificate]);
    expect((await verifyPdf(signed, { trust })).verdict).toBe('valid');
    // A bare widget: only a signature field's /Kids make a widget without /Parent a signature's.
    const bare = await withWidgetAdded(signed, { F: PdfNumber.of(4) });
    const report = await verifyPdf(bare, { trust });
    expect(report.verdict).toBe('modified');
    expect(report.signatures[0]?.changesAfter.filter((c) => !c.allowed).map((c) => c.category)).toEqual([
      'annotation',
    ]);
    // A widget of a text field (through /Parent) is a new field's, not a signature's.
    const asText = await withWidgetAdded(signed, {
      FT: PdfName.of('Tx'),
      T: PdfString.fromString('so_ky_hieu'),
      V: PdfString.fromString('Số: 99/QĐ-UBND'),
    });
    expect((await verifyPdf(asText, { trust })).verdict).toBe('modified');
  }, 120_000);
});

describe('property: every document docflow issues verifies valid in docflow and in pdfsig', () => {
  it('over every producer of the fixtures, unsigned and already signed elsewhere', async () => {
    requireTool('qpdf');
    requireTool('certutil');
    const pki = await cityPki();
    const ministry = await foreign();
    const db = nssDbTrusting([pki.root.certificate, ministry.root.certificate]);
    const dir = tempDir();
    const original = writeTemp(dir, 'in.pdf', await draftDecision(3));
    const producers: Record<string, { pdf: Uint8Array; signatures: number }> = {
      'docflow fixture (libpdf)': { pdf: await draftDecision(1), signatures: 0 },
    };
    for (const flags of [
      ['--object-streams=generate'],
      ['--linearize'],
      ['--linearize', '--object-streams=generate'],
    ]) {
      const out = join(dir, `out${flags.join('')}.pdf`);
      qpdf([...flags, original, out]);
      const pdf = new Uint8Array(readFileSync(out));
      producers[`qpdf ${flags.join(' ')}`] = { pdf, signatures: 0 };
      producers[`qpdf ${flags.join(' ')}, signed by the ministry`] = {
        pdf: await foreignSigned(pdf),
        signatures: 1,
      };
    }
    // Two of its officials (pdfsig 22.12 already calls a second signature by the same foreign certificate
    // "Unknown issue with Certificate" on the file as it arrives, before docflow touches it).
    producers['signed by two officials of the ministry'] = {
      pdf: await foreignSigned(await foreignSigned(await draftDecision(2)), ministry.second),
      signatures: 2,
    };
    // A signature made by another tool: poppler with an NSS key certified by the ministry's CA.
    // Its key in an NSS database of its own: the verifier's database holds only the two roots.
    const signerDb = nssDbTrusting([ministry.root.certificate]);
    const nickname = await importPopplerSigner({
      nssDb: signerDb,
      ca: ministry.issuing,
      subject: { commonName: 'Poppler Ministry Signer', organization: 'Bộ Nội vụ', country: 'VN' },
      validity: { notBefore: new Date(Date.now() - HOUR), notAfter: new Date(Date.now() + 24 * HOUR) },
    });
    const byPoppler = join(dir, 'poppler.pdf');
    popplerSign({ nssDb: signerDb, nickname, input: original, output: byPoppler, reason: 'Đồng ký' });
    producers['signed by poppler (ministry CA)'] = {
      pdf: new Uint8Array(readFileSync(byPoppler)),
      signatures: 1,
    };
    // The Decree 30 Word template, converted by LibreOffice (as the Word drafts are).
    requireTool('soffice');
    execFileSync(
      'soffice',
      [
        `-env:UserInstallation=file://${join(dir, 'lo-profile')}`,
        '--headless',
        '--convert-to',
        'pdf',
        '--outdir',
        dir,
        join(__dirname, '../fixtures/word/quyet-dinh-d30.docx'),
      ],
      { timeout: 240_000, stdio: 'ignore' },
    );
    const converted = new Uint8Array(readFileSync(join(dir, 'quyet-dinh-d30.pdf')));
    producers['LibreOffice (Word template)'] = { pdf: converted, signatures: 0 };
    producers['LibreOffice, signed by the ministry'] = { pdf: await foreignSigned(converted), signatures: 1 };

    for (const [name, { pdf, signatures }] of Object.entries(producers)) {
      const issued = await issuedByDocflow(pki, pdf);
      await expect
        .soft(expectValidEverywhere(pki, issued, signatures + 2, db), name)
        .resolves.toBeUndefined();
    }
  }, 600_000);
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDF } from '@libpdf/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readLayout } from '../../lambdas/core/pdf/layout';
import { readPages } from '../../lambdas/core/pdf/pages';
import { signPdf } from '../../lambdas/core/pdf/sign';
import { prepareForSignature, stampIssueNumber } from '../../lambdas/core/pdf/stamp';
import {
  checkPlacement,
  type DraftPlacement,
  proposePlacement,
  type Rect,
} from '../../lambdas/core/placement/placement';
import { blueSignaturePng, draftDecision } from '../fixtures/documents';
import { A4, fullDecision } from '../fixtures/full-page';
import { type CityPki, cityPki } from '../support/pki-fixtures';

/*
 * Issue 18: the signature block, the seal and the number/date line are placed where the page has room.
 * For drafts from several producers (docflow's own PDF writer, LibreOffice from the D30 Word template,
 * cairo, an ImageMagick scan, a page turned by qpdf), the proposal is stamped for real (personal signature,
 * number, seal) and both files are rendered by poppler (pdftoppm): every dark pixel of the draft, its text
 * and images, must be left exactly as it was.
 */

const dir = mkdtempSync(join(tmpdir(), 'placement-'));

function run(command: string, args: string[]): void {
  execFileSync(command, args, { stdio: 'ignore', timeout: 180_000 });
}

function file(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** The page rendered in grey (PGM) by poppler, annotations included. */
function render(
  pdf: Uint8Array,
  page: number,
  name: string,
): { width: number; height: number; pixels: Uint8Array } {
  const input = file(`${name}.pdf`, pdf);
  const out = join(dir, `${name}-p${page}`);
  run('pdftoppm', ['-gray', '-r', '50', '-f', String(page), '-l', String(page), '-singlefile', input, out]);
  const data = readFileSync(`${out}.pgm`);
  const header = data.subarray(0, 40).toString('latin1');
  const match = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(header);
  if (!match) throw new Error('not a PGM');
  const [whole, w, h] = match;
  return { width: Number(w), height: Number(h), pixels: data.subarray((whole as string).length) };
}

let pki: CityPki;

async function stampAll(pdf: Uint8Array, placement: DraftPlacement): Promise<Uint8Array> {
  const pages = await readPages(pdf);
  const ready = await prepareForSignature(
    pdf,
    { number: placement.number, date: placement.date },
    { newPage: placement.signature.page >= pages.count },
  );
  const official = pki.officials.chairDeputy;
  const personal = await signPdf({
    pdf: ready,
    signer: official.signer,
    certificateChain: official.chain,
    revocation: 'checked-by-caller',
    reason: 'Ký ban hành Quyết định',
    signingTime: new Date(),
    capacity: 'KT.',
    kind: 'personal',
    appearance: {
      placement: placement.signature,
      visual: {
        kind: 'personal',
        capacityLines: ['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'],
        name: 'Nguyễn Văn An',
        signatureImage: blueSignaturePng(),
      },
    },
  });
  const stamped = await stampIssueNumber(personal, {
    number: { text: 'Số: 15/QĐ-UBND', size: 13, align: 'center' },
    date: { text: 'Hà Nội, ngày 05 tháng 01 năm 2026', size: 13, style: 'italic', align: 'center' },
  });
  const seal = pki.officials.cityPeoplesCommittee;
  return signPdf({
    pdf: stamped,
    signer: seal.signer,
    certificateChain: seal.chain,
    revocation: 'checked-by-caller',
    reason: 'Phát hành văn bản',
    signingTime: new Date(),
    kind: 'organisation',
    appearance: {
      placement: placement.seal,
      visual: { kind: 'seal', organisationName: 'Ủy ban nhân dân thành phố Hà Nội' },
    },
  });
}

/** Of each original page's dark pixels (text, images), how many the stamped file changed; and the stamps' ink. */
async function pixels(
  name: string,
  original: Uint8Array,
  stamped: Uint8Array,
  replaced: readonly Rect[] = [],
): Promise<{ covered: number; inked: number; replacedChanged: number }> {
  const count = (await readPages(original)).count;
  let inked = 0;
  let covered = 0;
  let replacedChanged = 0;
  const scale = 50 / 72;
  for (let page = 1; page <= count; page++) {
    const before = render(original, page, `${name}-before`);
    const after = render(stamped, page, `${name}-after`);
    expect([after.width, after.height]).toEqual([before.width, before.height]);
    // The template's placeholder lines the number and date replace, in pixels (poppler's rows run down).
    const mine = replaced
      .filter((r) => r.page === page - 1)
      .map((r) => ({
        x0: Math.floor(r.x * scale),
        x1: Math.ceil((r.x + r.width) * scale),
        y0: Math.floor(before.height - (r.y + r.height) * scale),
        y1: Math.ceil(before.height - r.y * scale),
      }));
    let dark = 0;
    for (let i = 0; i < before.pixels.length; i++) {
      const px = i % before.width;
      const py = Math.floor(i / before.width);
      if (mine.some((r) => px >= r.x0 && px < r.x1 && py >= r.y0 && py < r.y1)) {
        if (Math.abs((after.pixels[i] as number) - (before.pixels[i] as number)) > 48) replacedChanged++;
        continue;
      }
      const b = before.pixels[i] as number;
      const a = after.pixels[i] as number;
      if (b < 160) {
        dark++;
        if (Math.abs(a - b) > 48) covered++;
      } else if (Math.abs(a - b) > 48) inked++;
    }
    expect(dark, `${name} p${page}: the page has text`).toBeGreaterThan(100);
  }
  return { covered, inked, replacedChanged };
}

describe('placement from the page layout, checked by rendering (pdftoppm)', () => {
  const producers: Record<string, () => Promise<Uint8Array>> = {
    'docflow fixture (libpdf), 3 pages': () => draftDecision(3),
    'full decision to the bottom (libpdf)': fullDecision,
    'LibreOffice, from the D30 Word template': async () => {
      run('soffice', [
        '--headless',
        `-env:UserInstallation=file://${dir}/lo`,
        '--convert-to',
        'pdf',
        '--outdir',
        dir,
        join(import.meta.dirname, '../fixtures/word/quyet-dinh-d30.docx'),
      ]);
      return readFileSync(join(dir, 'quyet-dinh-d30.pdf'));
    },
    'cairo (pdftocairo), the full decision rewritten': async () => {
      const input = file('full.pdf', await fullDecision());
      run('pdftocairo', ['-pdf', input, join(dir, 'cairo.pdf')]);
      return readFileSync(join(dir, 'cairo.pdf'));
    },
    'a page turned 90° (qpdf), the fixture': async () => {
      const input = file('upright.pdf', await draftDecision(1));
      run('qpdf', ['--rotate=+90', input, join(dir, 'turned.pdf')]);
      return readFileSync(join(dir, 'turned.pdf'));
    },
  };

  beforeAll(async () => {
    pki = await cityPki();
  }, 120_000);

  for (const [name, make] of Object.entries(producers))
    it(`${name}: proposed on a free area, stamped without covering a text pixel`, async () => {
      const original = await make();
      const layout = await readLayout(original);
      expect(layout.page(0)?.boxes.length).toBeGreaterThan(3);
      const proposal = proposePlacement(layout);
      expect(proposal.kind).toBe('placed');
      expect(checkPlacement(layout, proposal.placement)).toEqual([]);
      expect(proposal.placement.signature.page).toBe(layout.count - 1);
      const stamped = await stampAll(original, proposal.placement);
      // Over a template's "Số:" and date lines the fields replace them (tested below).
      const { placeholders } = layout.page(0) ?? {};
      const { number, date } = proposal.placement;
      const replaced = [placeholders?.number && number, placeholders?.date && date].filter((r) => !!r);
      const result = await pixels(name.replace(/\W+/g, '-'), original, stamped, replaced);
      expect(result.covered, 'text pixels the stamps changed').toBe(0);
      expect(result.inked, 'pixels the stamps drew').toBeGreaterThan(200);
    }, 240_000);

  it('a scanned page (an image over the whole page) has no free area: the signature goes on a new final page', async () => {
    const source = file('scan-source.pdf', await fullDecision());
    run('pdftoppm', ['-png', '-r', '100', '-singlefile', source, join(dir, 'scan-source')]);
    const made = PDF.create();
    const image = made.embedPng(readFileSync(join(dir, 'scan-source.png')));
    made.addPage({ width: A4.width, height: A4.height }).drawImage(image, { x: 0, y: 0, ...A4 });
    const scan = await made.save();
    const layout = await readLayout(scan);
    expect(layout.page(0)?.boxes.map((b) => b.kind)).toContain('image');
    const proposal = proposePlacement(layout);
    expect(proposal.kind).toBe('new-page');
    expect(proposal.placement.signature.page).toBe(1);
    expect(checkPlacement(layout, proposal.placement)).toEqual([]);
    const stamped = await stampAll(scan, proposal.placement);
    expect((await readPages(stamped)).count).toBe(2);
    expect((await pixels('scan', scan, stamped)).covered).toBe(0);
    // The new page carries the signature and the seal.
    const added = render(stamped, 2, 'scan-added');
    expect(added.pixels.filter((p) => p < 128).length).toBeGreaterThan(200);
  }, 240_000);

  it('the rendering check sees a signature stamped over the text (the check can fail)', async () => {
    const original = await fullDecision();
    const { placement } = proposePlacement(await readLayout(original));
    const signature = { ...placement.signature, x: 60, y: 420 };
    const wrong = { ...placement, signature, seal: { ...placement.seal, x: 85, y: 440 } };
    expect((await pixels('wrong', original, await stampAll(original, wrong))).covered).toBeGreaterThan(100);
  }, 240_000);

  it('refuses a position over text or an image, off the page, or a seal apart from its signature', async () => {
    const layout = await readLayout(await fullDecision());
    const { placement } = proposePlacement(layout);
    const overText = { ...placement, signature: { ...placement.signature, x: 40, y: 400 } };
    expect(checkPlacement(layout, overText)).toContainEqual({
      item: 'signature',
      code: 'placement_covers_text',
      page: 1,
    });
    const off = { ...placement, number: { ...placement.number, x: 500 } };
    expect(checkPlacement(layout, off)).toContainEqual({
      item: 'number',
      code: 'placement_off_page',
      page: 1,
    });
    const apart = { ...placement, seal: { ...placement.seal, y: placement.seal.y + 300 } };
    expect(checkPlacement(layout, apart).map((p) => p.code)).toContain('placement_seal_apart');
    const missing = { ...placement, number: { ...placement.number, page: 4 } };
    expect(checkPlacement(layout, missing)).toContainEqual({
      item: 'number',
      code: 'placement_page_missing',
      page: 5,
    });
  });
});

/** A Decree 30 header whose number and date lines are left with ellipses, as the Appendix prints them. */
const ELLIPSIS_TEMPLATE = `<html><head><meta charset="utf-8"></head><body style="font-family:'Times New Roman';font-size:13pt">
<table width="100%"><tr><td align="center"><b>ỦY BAN NHÂN DÂN<br>PHƯỜNG BA ĐÌNH</b><br>Số: …/QĐ-UBND</td>
<td align="center"><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</b><br>
<i>Ba Đình, ngày … tháng … năm …</i></td></tr></table>
<p align="center"><b>QUYẾT ĐỊNH</b><br>Về việc phân công nhiệm vụ</p>
${'<p>Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025; Điều khoản thi hành.</p>'.repeat(8)}
</body></html>`;

describe("the template's number and date placeholders (LibreOffice, ToUnicode)", () => {
  beforeAll(async () => {
    pki = await cityPki();
  }, 120_000);

  function soffice(input: string, to: string): string {
    run('soffice', [
      '--headless',
      `-env:UserInstallation=file://${dir}/lo`,
      '--convert-to',
      to,
      '--outdir',
      dir,
      input,
    ]);
    return join(dir, input.replace(/^.*\//, '').replace(/\.[^.]+$/, `.${to.replace(/:.*/, '')}`));
  }

  const templates: Record<string, { make: () => string; number: RegExp; date: RegExp }> = {
    'the D30 Word template (.docx), "Số:    /QĐ-UBND"': {
      make: () => soffice(join(import.meta.dirname, '../fixtures/word/quyet-dinh-d30.docx'), 'pdf'),
      number: /^Số: \/QĐ-UBND$/,
      date: /^Hà Nội, ngày tháng năm 2026$/,
    },
    'an ODT with ellipses, "Số: …/QĐ-UBND" and "ngày … tháng … năm …"': {
      make: () => {
        const html = join(dir, 'ellipsis.html');
        writeFileSync(html, ELLIPSIS_TEMPLATE);
        return soffice(soffice(html, 'odt:writer8'), 'pdf');
      },
      number: /^Số: …\/QĐ-UBND$/,
      date: /^Ba Đình, ngày … tháng … năm …$/,
    },
  };

  for (const [name, template] of Object.entries(templates))
    it(`${name}: read through the fonts' ToUnicode, the number and date fields replace those lines`, async () => {
      const original = readFileSync(template.make());
      const layout = await readLayout(original);
      const page = layout.page(0);
      expect(page?.placeholders.number?.text).toMatch(template.number);
      expect(page?.placeholders.date?.text).toMatch(template.date);
      // Vietnamese letters are read, not only ASCII.
      expect(page?.boxes.map((b) => b.text ?? '').join(' ')).toMatch(/[ỦỘƯĐ]/u);
      const proposal = proposePlacement(layout);
      expect(proposal.kind).toBe('placed');
      expect(checkPlacement(layout, proposal.placement)).toEqual([]);
      const { number, date } = proposal.placement;
      for (const [rect, line] of [
        [number, page?.placeholders.number],
        [date, page?.placeholders.date],
      ] as const) {
        if (!line) throw new Error('no placeholder');
        expect(rect.page).toBe(0);
        expect(rect.x).toBeLessThanOrEqual(line.x);
        expect(rect.x + rect.width).toBeGreaterThanOrEqual(line.x + line.width);
        expect(rect.y).toBeLessThanOrEqual(line.y);
        expect(rect.y + rect.height).toBeGreaterThanOrEqual(line.y + line.height);
      }
      // A field over only part of the line would leave half a placeholder: refused as covering text.
      const line = page?.placeholders.number;
      const half = { ...number, x: line?.x ?? 0, width: (line?.width ?? 0) / 2 };
      expect(checkPlacement(layout, { ...proposal.placement, number: half }).map((p) => p.code)).toContain(
        'placement_covers_text',
      );
      const stamped = await stampAll(original, proposal.placement);
      const label = name.replace(/\W+/g, '-').slice(0, 40);
      const result = await pixels(label, original, stamped, [number, date]);
      expect(result.covered, 'text pixels changed outside the placeholder lines').toBe(0);
      expect(result.replacedChanged, 'the placeholder lines were replaced').toBeGreaterThan(30);
      // What a reader sees there: the issued number and date (the fields' appearances, flattened).
      const flat = join(dir, `${label}-flat.pdf`);
      run('qpdf', ['--flatten-annotations=all', file(`${label}-stamped.pdf`, stamped), flat]);
      const region = (r: Rect) =>
        execFileSync('pdftotext', [
          '-f',
          '1',
          '-l',
          '1',
          '-r',
          '72',
          '-x',
          String(Math.floor(r.x)),
          '-y',
          String(Math.floor(A4.height - r.y - r.height)),
          '-W',
          String(Math.ceil(r.width)),
          '-H',
          String(Math.ceil(r.height)),
          flat,
          '-',
        ]).toString('utf8');
      // (the placeholder's own text stays underneath, hidden; it has no digits but the year)
      expect(region(number)).toMatch(/15/);
      expect(region(date)).toMatch(/05[\s\S]*01|01[\s\S]*05/);
    }, 240_000);

  it('a template without placeholders keeps the rule of today (under the top block on each side)', async () => {
    const layout = await readLayout(await fullDecision());
    expect(layout.page(0)?.placeholders).toEqual({});
    const { number, date } = proposePlacement(layout).placement;
    expect(number.x + number.width).toBeLessThanOrEqual(A4.width / 2 + 1);
    expect(date.x).toBeGreaterThanOrEqual(A4.width / 2 - 1);
  });
});

/** A decision whose signature block ends page 2, then an annex page: `mark` is the block's right column. */
function markedTemplate(mark: string): string {
  const article =
    '<p>Điều khoản thi hành: các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này.</p>';
  return `<html><head><meta charset="utf-8"></head><body style="font-family:'Times New Roman';font-size:13pt">
<p align="center"><b>QUYẾT ĐỊNH</b></p>${article.repeat(12)}
<p style="page-break-before:always">${article.repeat(6)}</p>
<table width="100%"><tr><td width="50%" valign="top"><b><i>Nơi nhận:</i></b><br>- Như Điều 3;<br>- Lưu: VT.</td>
<td align="center" valign="top">${mark}<br><br><br><br><br><br><br><br><b>Nguyễn Văn An</b></td></tr></table>
<p style="page-break-before:always" align="center"><b>PHỤ LỤC</b></p>${article.repeat(10)}
</body></html>`;
}

describe('the template marks the signature page (LibreOffice)', () => {
  beforeAll(async () => {
    pki = await cityPki();
  }, 120_000);

  const marks: Record<string, string> = {
    'the block\'s heading "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"': '<b>KT. CHỦ TỊCH<br>PHÓ CHỦ TỊCH</b>',
    'a "(Chữ ký, đóng dấu)" placeholder': '<i>(Chữ ký, đóng dấu)</i>',
  };

  for (const [name, mark] of Object.entries(marks))
    it(`${name} on page 2 of 3: the signature goes under it, not on the annex`, async () => {
      const label = `marked-${Object.keys(marks).indexOf(name)}`;
      const html = join(dir, `${label}.html`);
      writeFileSync(html, markedTemplate(mark));
      for (const to of ['odt:writer8', 'pdf'])
        run('soffice', [
          '--headless',
          `-env:UserInstallation=file://${dir}/lo`,
          '--convert-to',
          to,
          '--outdir',
          dir,
          to === 'pdf' ? join(dir, `${label}.odt`) : html,
        ]);
      const original = readFileSync(join(dir, `${label}.pdf`));
      const layout = await readLayout(original);
      expect(layout.count).toBe(3);
      const marked = layout.page(1)?.placeholders.signature;
      expect(marked?.text).toMatch(/^PHÓ CHỦ TỊCH$|^\(Chữ ký, đóng dấu\)$/);
      expect(layout.page(2)?.placeholders.signature).toBeUndefined();
      const proposal = proposePlacement(layout);
      expect(proposal.kind).toBe('placed');
      const { signature } = proposal.placement;
      expect(signature.page).toBe(1);
      expect(checkPlacement(layout, proposal.placement)).toEqual([]);
      if (!marked) throw new Error('no mark');
      // Under the mark, in its column.
      expect(signature.y + signature.height).toBeLessThanOrEqual(marked.y + 0.01);
      expect(marked.y - (signature.y + signature.height)).toBeLessThan(240);
      expect(signature.x).toBeLessThan(marked.x + marked.width);
      expect(signature.x + signature.width).toBeGreaterThan(marked.x);
      const stamped = await stampAll(original, proposal.placement);
      const result = await pixels(label, original, stamped);
      expect(result.covered, 'text pixels the stamps changed').toBe(0);
      // The signature's ink is on page 2: the annex page renders as it was.
      const annexBefore = render(original, 3, `${label}-annex-before`);
      const annexAfter = render(stamped, 3, `${label}-annex-after`);
      expect(Buffer.compare(Buffer.from(annexBefore.pixels), Buffer.from(annexAfter.pixels))).toBe(0);
      const page2 = render(stamped, 2, `${label}-p2-after`);
      const page2Before = render(original, 2, `${label}-p2-before`);
      expect(
        page2.pixels.filter((p, i) => Math.abs(p - (page2Before.pixels[i] as number)) > 48).length,
      ).toBeGreaterThan(200);
    }, 240_000);

  it('without a mark the signature stays on the last page', async () => {
    const layout = await readLayout(await draftDecision(3));
    expect([0, 1, 2].map((i) => layout.page(i)?.placeholders.signature)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(proposePlacement(layout).placement.signature.page).toBe(2);
  });
});

describe('pages shown turned (/Rotate 90, 180, 270): stamps read upright, on screen and in print', () => {
  beforeAll(async () => {
    pki = await cityPki();
  }, 120_000);

  for (const turn of [90, 180, 270])
    it(`/Rotate ${turn} with its text upright as shown: the number, date, signature and seal read upright`, async () => {
      // A page drawn turned back, then shown turned (as scanners and some producers write landscape pages).
      const upright = file(`upright-${turn}.pdf`, await draftDecision(1));
      run('qpdf', [`--rotate=-${turn}`, upright, join(dir, `back-${turn}.pdf`)]);
      run('qpdf', ['--flatten-rotation', join(dir, `back-${turn}.pdf`), join(dir, `flat-${turn}.pdf`)]);
      run('qpdf', [`--rotate=+${turn}`, join(dir, `flat-${turn}.pdf`), join(dir, `turned-${turn}.pdf`)]);
      const original = readFileSync(join(dir, `turned-${turn}.pdf`));
      const layout = await readLayout(original);
      expect(layout.page(0)?.rotate).toBe(turn);
      const proposal = proposePlacement(layout);
      expect(proposal.kind).toBe('placed');
      expect(checkPlacement(layout, proposal.placement)).toEqual([]);
      const { signature, number } = proposal.placement;
      // On the unturned page a quarter turn swaps the boxes' sides.
      const quarter = turn !== 180;
      expect([signature.width, signature.height]).toEqual(quarter ? [140, 230] : [230, 140]);
      expect(number.width < number.height).toBe(quarter);
      const stamped = await stampAll(original, proposal.placement);
      const result = await pixels(`turned-${turn}`, original, stamped);
      expect(result.covered, 'text pixels the stamps changed').toBe(0);
      // As poppler shows (and prints) the page, it is the upright page stamped: the same ink, upright.
      const reference = await stampAll(
        readFileSync(upright),
        proposePlacement(await readLayout(readFileSync(upright))).placement,
      );
      const shown = render(stamped, 1, `turned-${turn}-shown`);
      const expected = render(reference, 1, `turned-${turn}-upright`);
      expect([shown.width, shown.height]).toEqual([expected.width, expected.height]);
      const ink = expected.pixels.filter((p) => p < 160).length;
      const differ = shown.pixels.filter((p, i) => Math.abs(p - (expected.pixels[i] as number)) > 96).length;
      expect(ink).toBeGreaterThan(2000);
      expect(differ, 'pixels unlike the upright page stamped').toBeLessThan(ink * 0.02);
    }, 240_000);
});

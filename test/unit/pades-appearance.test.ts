import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { attachmentStamp, copyStamp, isoVietnam, sealPlacementOver } from '../../lambdas/core/pdf/appearance';
import { signPdf } from '../../lambdas/core/pdf/sign';
import { verifyPdf } from '../../lambdas/core/pdf/verify';
import { A4, draftDecision, NUMBER_BOX, SIGNATURE_BOX } from '../fixtures/documents';
import { signingChain } from '../fixtures/signing-flow';
import { nssDbTrusting, pdfsig, pdftoppm, requireTool, tempDir, writeTemp } from '../support/pdf-tools';
import { cityPki } from '../support/pki-fixtures';

const DPI = 80;
const SCALE = DPI / 72;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Counts pixels in a PDF-space box (points, origin bottom-left) that satisfy `test`. */
function count(png: PNG, box: Box, test: (r: number, g: number, b: number) => boolean): number {
  let n = 0;
  const x0 = Math.max(0, Math.floor(box.x * SCALE));
  const x1 = Math.min(png.width, Math.ceil((box.x + box.width) * SCALE));
  const y0 = Math.max(0, Math.floor((A4.height - box.y - box.height) * SCALE));
  const y1 = Math.min(png.height, Math.ceil((A4.height - box.y) * SCALE));
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * png.width + x) * 4;
      if (test(png.data[i] ?? 0, png.data[i + 1] ?? 0, png.data[i + 2] ?? 0)) n++;
    }
  }
  return n;
}

const red = (r: number, g: number, b: number) => r > 150 && g < 110 && b < 110;
const blue = (r: number, g: number, b: number) => b > 120 && r < 110 && g < 130;
const dark = (r: number, g: number, b: number) => r < 90 && g < 90 && b < 90;

function render(pdf: Uint8Array, name: string): PNG {
  const dir = tempDir();
  const png = pdftoppm(writeTemp(dir, `${name}.pdf`, pdf), join(dir, name), DPI);
  return PNG.sync.read(readFileSync(png));
}

describe('visible appearances, as rendered by poppler', () => {
  it('blue signature under the capacity lines, red seal over its left third, number and date on page 1', async () => {
    const pki = await cityPki();
    const { personal, stamped, sealed } = await signingChain(pki, 1);

    const afterPersonal = render(personal, 'personal');
    expect(count(afterPersonal, SIGNATURE_BOX, blue)).toBeGreaterThan(300);
    expect(count(afterPersonal, SIGNATURE_BOX, dark)).toBeGreaterThan(300); // capacity, title, name
    expect(count(afterPersonal, SIGNATURE_BOX, red)).toBe(0);
    expect(count(afterPersonal, NUMBER_BOX, dark)).toBe(0);

    expect(count(render(stamped, 'stamped'), NUMBER_BOX, dark)).toBeGreaterThan(50);

    const afterSeal = render(sealed, 'sealed');
    const seal = sealPlacementOver(SIGNATURE_BOX);
    expect(count(afterSeal, seal, red)).toBeGreaterThan(500);
    const leftThird = { ...SIGNATURE_BOX, width: SIGNATURE_BOX.width / 3 };
    const rightPart = {
      ...SIGNATURE_BOX,
      x: SIGNATURE_BOX.x + SIGNATURE_BOX.width * 0.6,
      width: SIGNATURE_BOX.width * 0.4,
    };
    expect(count(afterSeal, leftThird, red)).toBeGreaterThan(200);
    expect(count(afterSeal, rightPart, red)).toBe(0);
    // The signature stays visible through the seal ink.
    expect(count(afterSeal, SIGNATURE_BOX, blue)).toBeGreaterThan(200);
  });

  it('embeds subset Tinos fonts (no reliance on fonts installed on the reader)', async () => {
    requireTool('pdftoppm');
    const pki = await cityPki();
    const { acknowledged } = await signingChain(pki, 1);
    const path = writeTemp(tempDir(), 'fonts.pdf', acknowledged);
    const fonts = execFileSync('pdffonts', [path], { encoding: 'utf8' });
    const tinos = fonts.split('\n').filter((l) => l.includes('Tinos'));
    expect(tinos.length).toBeGreaterThan(0);
    for (const line of tinos) expect(line).toMatch(/CID TrueType\s+Identity-H\s+yes yes yes/);
  });

  it('attachments and copies carry the organisation signature as a top-right text block', async () => {
    const pki = await cityPki();
    const seal = pki.officials.cityPeoplesCommittee;
    const signingTime = new Date('2026-01-05T02:30:00Z');
    expect(isoVietnam(signingTime)).toBe('2026-01-05T09:30:00+07:00');
    // Above the draft's own header line, which starts about 50 pt below the top edge.
    const topRight = { x: A4.width - 14 - 220, y: A4.height - 46, width: 220, height: 32 };
    for (const appearance of [
      attachmentStamp({ numberSymbol: '15/QĐ-UBND', signingTime }),
      copyStamp({ copyForm: 'SAO Y', copyingBody: 'Văn phòng UBND thành phố Hà Nội', signingTime }),
    ]) {
      const pdf = await draftDecision(1);
      expect(count(render(pdf, 'before'), topRight, dark)).toBe(0);
      const signed = await signPdf({
        pdf,
        signer: seal.signer,
        certificateChain: seal.chain,
        revocation: 'checked-by-caller',
        timestamp: pki.tsa.provider(),
        reason: 'Ký số văn bản kèm theo',
        signingTime,
        kind: 'organisation',
        appearance,
      });
      expect(count(render(signed, 'after'), topRight, dark)).toBeGreaterThan(40);
      const poppler = pdfsig(writeTemp(tempDir(), 'a.pdf', signed), nssDbTrusting([pki.root.certificate]));
      expect(poppler.signatures[0]?.signatureValid).toBe(true);
      expect((await verifyPdf(signed, { trust: pki.trust })).verdict).toBe('valid');
    }
  });
});

import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { PDF } from '@libpdf/core';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import {
  checkSignatureImage,
  SIGNATURE_IMAGE_MAX_BYTES,
  SIGNATURE_IMAGE_PIXELS,
} from '../../lambdas/core/domain/signature-image';
import { DomainError } from '../../lambdas/core/errors';
import { type ErrorCode, renderError } from '../../lambdas/core/i18n/messages';
import { signatureImageMessages } from '../../lambdas/core/i18n/signature-images';
import { demoPeople } from '../../local/seed';
import { signaturePng } from '../../local/signature-art';
import { blueSignaturePng } from '../fixtures/documents';
import { PNG_SIGNATURE, pngChunk } from '../support/png';

/*
 * The signature image check (D30 PL I: blue, PNG, transparent background) against images written by a
 * real encoder (pngjs) and by hand, chunk by chunk, for the shapes a real encoder does not make.
 */

type Rgba = readonly [number, number, number, number];

const BLUE: Rgba = [20, 50, 190, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

/** A stroke: a band across the middle third of the image, the rest `background`. */
const stroke =
  (ink: Rgba, background: Rgba = CLEAR) =>
  (x: number, y: number, width: number, height: number): Rgba =>
    y > height / 3 && y < (2 * height) / 3 && x > 10 && x < width - 10 ? ink : background;

interface RawOptions {
  readonly width?: number;
  readonly height?: number;
  readonly colorType?: number;
  readonly bitDepth?: number;
  readonly interlace?: number;
  /** Samples of one pixel for the colour type. */
  readonly pixel?: (x: number, y: number, width: number, height: number) => readonly number[];
  readonly filter?: number;
  readonly before?: readonly Buffer[];
  readonly after?: readonly Buffer[];
  /** The uncompressed image data, instead of the one `pixel` makes. */
  readonly raw?: Uint8Array;
  /** The IDAT chunk's data as is (not compressed here). */
  readonly idat?: Uint8Array;
}

/** A PNG written by hand: IHDR, the `before` chunks, one IDAT, the `after` chunks, IEND. */
function rawPng(options: RawOptions = {}): Buffer {
  const { width = 300, height = 100, colorType = 6, bitDepth = 8, interlace = 0 } = options;
  const pixel = options.pixel ?? stroke(BLUE);
  const rows: number[] = [];
  for (let y = 0; y < height; y++) {
    rows.push(options.filter ?? 0);
    for (let x = 0; x < width; x++) rows.push(...pixel(x, y, width, height));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([bitDepth, colorType, 0, 0, interlace], 8);
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', ihdr),
    ...(options.before ?? []),
    pngChunk('IDAT', options.idat ?? deflateSync(options.raw ?? Buffer.from(rows))),
    ...(options.after ?? []),
    pngChunk('IEND'),
  ]);
}

/** The same image through pngjs, a real encoder (filters chosen per row, as tools do). */
function encoded(width: number, height: number, pixel: ReturnType<typeof stroke>): Uint8Array {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) png.data.set(pixel(x, y, width, height), (y * width + x) * 4);
  return new Uint8Array(PNG.sync.write(png));
}

function refusal(bytes: Uint8Array): { status: number; code: string; params: DomainError['params'] } {
  try {
    checkSignatureImage(bytes);
  } catch (error) {
    if (error instanceof DomainError) return { status: error.status, code: error.code, params: error.params };
    throw error;
  }
  throw new Error('the image was accepted');
}

/** What the PDF layer does with an accepted image: it must embed without error. */
function embeds(bytes: Uint8Array): void {
  const image = PDF.create().embedImage(bytes);
  expect(image.width).toBeGreaterThan(0);
}

describe('accepted signature images', () => {
  it.each([
    ['pngjs RGBA, blue strokes', blueSignaturePng(300, 120), 300, 120],
    ['pngjs RGBA, every row filter in use', encoded(640, 200, stroke([30, 40, 160, 255])), 640, 200],
    ['hand-written RGBA', rawPng(), 300, 100],
  ])('%s', (_name, bytes, width, height) => {
    expect(checkSignatureImage(bytes)).toEqual({ width, height });
    embeds(bytes);
  });

  it('an indexed image with a transparent palette entry', () => {
    const bytes = rawPng({
      colorType: 3,
      pixel: (x, y, w, h) => [stroke(BLUE)(x, y, w, h)[3] ? 1 : 0],
      before: [
        pngChunk('PLTE', Uint8Array.from([255, 255, 255, 20, 50, 190])),
        pngChunk('tRNS', Uint8Array.from([0])),
      ],
    });
    expect(checkSignatureImage(bytes)).toEqual({ width: 300, height: 100 });
    embeds(bytes);
  });

  it('an RGB image whose white is made transparent by tRNS', () => {
    const bytes = rawPng({
      colorType: 2,
      pixel: (x, y, w, h) => stroke(BLUE, [255, 255, 255, 255])(x, y, w, h).slice(0, 3),
      before: [pngChunk('tRNS', Uint8Array.from([0, 255, 0, 255, 0, 255]))],
    });
    expect(checkSignatureImage(bytes)).toEqual({ width: 300, height: 100 });
    embeds(bytes);
  });

  it('ignores ancillary chunks (text, time) as a PDF embedder does', () => {
    const text = pngChunk('tEXt', Buffer.from('Software\0scanner', 'latin1'));
    expect(
      checkSignatureImage(rawPng({ before: [text], after: [pngChunk('tIME', new Uint8Array(7))] })),
    ).toEqual({ width: 300, height: 100 });
  });

  it('takes the smallest and largest sizes allowed', () => {
    const { minWidth, minHeight, maxWidth, maxHeight } = SIGNATURE_IMAGE_PIXELS;
    expect(checkSignatureImage(rawPng({ width: minWidth, height: minHeight }))).toEqual({
      width: minWidth,
      height: minHeight,
    });
    const big = rawPng({ width: maxWidth, height: maxHeight });
    expect(big.length).toBeLessThan(SIGNATURE_IMAGE_MAX_BYTES);
    expect(checkSignatureImage(big)).toEqual({ width: maxWidth, height: maxHeight });
  });
});

describe('refused signature images', () => {
  const blue = rawPng();

  it('text, a PDF or nothing at all → 415 not a PNG', () => {
    for (const bytes of [Buffer.from('Đây không phải ảnh'), Buffer.from('%PDF-1.7\n'), new Uint8Array()]) {
      expect(refusal(bytes)).toMatchObject({ status: 415, code: 'signature_image_not_png' });
    }
  });

  it('larger than 512 KiB → 413, before anything is decoded', () => {
    const big = new Uint8Array(SIGNATURE_IMAGE_MAX_BYTES + 1);
    big.set(blue);
    expect(refusal(big)).toMatchObject({
      status: 413,
      code: 'signature_image_too_large',
      params: { size: SIGNATURE_IMAGE_MAX_BYTES + 1, limit: SIGNATURE_IMAGE_MAX_BYTES },
    });
  });

  it('damaged: truncated, a flipped bit, bytes after IEND, bad rows or image data', () => {
    const flipped = Buffer.from(blue);
    flipped[40] = (flipped[40] ?? 0) ^ 0x01; // inside IDAT: its CRC no longer matches
    const cases: [string, Uint8Array, RegExp][] = [
      ['truncated', blue.subarray(0, Math.floor(blue.length / 2)), /truncated/],
      ['flipped', flipped, /checksum/],
      ['trailing', Buffer.concat([blue, Buffer.from('PK\x03\x04')]), /after IEND/],
      ['filter 5', rawPng({ filter: 5 }), /filter 5/],
      [
        'IDAT first',
        Buffer.concat([
          blue.subarray(0, 8),
          pngChunk('IDAT', deflateSync(Buffer.alloc(10))),
          pngChunk('IEND'),
        ]),
        /IHDR/,
      ],
      ['short data', rawPng({ raw: Buffer.alloc(100) }), /less image data/],
      ['not zlib', rawPng({ idat: Buffer.from('not compressed at all') }), /cannot be decompressed/],
      ['no IDAT', Buffer.concat([blue.subarray(0, 33), pngChunk('IEND')]), /no image data/],
    ];
    for (const [name, bytes, detail] of cases) {
      const result = refusal(bytes);
      expect(result, name).toMatchObject({ status: 422, code: 'signature_image_damaged' });
      expect(String(result.params.detail), name).toMatch(detail);
    }
  });

  it('a decompression bomb stops at the announced size', () => {
    // 300 × 100 RGBA announces 120,100 bytes; this inflates to 50 MB.
    const result = refusal(rawPng({ raw: Buffer.alloc(50 * 1024 * 1024) }));
    expect(result).toMatchObject({ code: 'signature_image_damaged', params: { detail: /more image data/ } });
  });

  it('16-bit samples, interlacing and unknown critical chunks → 422 unsupported', () => {
    expect(refusal(rawPng({ bitDepth: 16 }))).toMatchObject({
      status: 422,
      code: 'signature_image_unsupported',
      params: { detail: '16-bit samples' },
    });
    expect(refusal(rawPng({ interlace: 1 })).params).toEqual({ detail: 'interlaced' });
    expect(refusal(rawPng({ before: [pngChunk('ABCD', new Uint8Array(4))] })).params).toEqual({
      detail: 'chunk ABCD',
    });
  });

  it('too small, too wide, too tall → 422 naming the limits; a huge header is refused before decoding', () => {
    const { minWidth, maxWidth, maxHeight } = SIGNATURE_IMAGE_PIXELS;
    for (const [width, height] of [
      [minWidth - 1, 100],
      [maxWidth + 1, 100],
      [300, maxHeight + 1],
    ] as const) {
      expect(refusal(rawPng({ width, height })), `${width}×${height}`).toMatchObject({
        status: 422,
        code: 'signature_image_dimensions',
        params: { width, height },
      });
    }
    // The header alone claims 60000 × 60000: no pixel data is ever inflated.
    const header = Buffer.from(blue);
    header.writeUInt32BE(60_000, 16);
    header.writeUInt32BE(60_000, 20);
    header.writeUInt32BE(crc32(header.subarray(12, 29)), 29);
    expect(refusal(header).code).toBe('signature_image_dimensions');
  });

  it('an opaque background → 422 not transparent, with the share that is', () => {
    const opaque = encoded(300, 100, stroke(BLUE, [255, 255, 255, 255]));
    expect(refusal(opaque)).toMatchObject({
      status: 422,
      code: 'signature_image_not_transparent',
      params: { percent: 0 },
    });
    // A plain RGB scan has no transparency at all.
    expect(refusal(rawPng({ colorType: 2, pixel: () => [255, 255, 255] })).code).toBe(
      'signature_image_not_transparent',
    );
  });

  it('nothing drawn → 422 empty', () => {
    expect(refusal(rawPng({ pixel: () => [20, 50, 190, 0] }))).toMatchObject({
      status: 422,
      code: 'signature_image_empty',
    });
  });

  it('black, red or grey ink → 422 not blue, naming the colour', () => {
    for (const ink of [
      [0, 0, 0, 255],
      [200, 20, 20, 255],
      [90, 90, 100, 255],
    ] as const) {
      expect(refusal(rawPng({ pixel: stroke(ink) })), ink.join(',')).toMatchObject({
        status: 422,
        code: 'signature_image_not_blue',
      });
    }
    expect(
      refusal(rawPng({ colorType: 4, pixel: (x, y, w, h) => [0, stroke(BLUE)(x, y, w, h)[3]] })).code,
    ).toBe('signature_image_not_blue');
    // Dark navy and ballpoint blue are blue.
    for (const ink of [
      [10, 20, 90, 255],
      [40, 60, 150, 255],
    ] as const) {
      expect(checkSignatureImage(rawPng({ pixel: stroke(ink) }))).toEqual({ width: 300, height: 100 });
    }
  });

  it('every refusal reads in Vietnamese and English, with its parameters filled in', () => {
    const samples = [
      refusal(Buffer.from('x')),
      refusal(rawPng({ bitDepth: 16 })),
      refusal(rawPng({ width: 10 })),
      refusal(rawPng({ pixel: stroke([0, 0, 0, 255]) })),
      refusal(encoded(300, 100, stroke(BLUE, [255, 255, 255, 255]))),
    ];
    for (const { code, params } of samples) {
      expect(signatureImageMessages.has(code), code).toBe(true);
      for (const language of ['vi', 'en'] as const) {
        const text = renderError(
          new DomainError(code as ErrorCode, 422, params, signatureImageMessages),
          language,
        );
        expect(text, `${code} ${language}`).not.toMatch(/\{\w+\}/);
        expect(text, `${code} ${language}`).not.toBe(code);
      }
    }
  });
});

describe('demo signature images (local/signature-art.ts)', () => {
  const leaders = demoPeople.filter((p) => p.role === 'leader');

  it('every demo official gets one that passes the check and embeds in a PDF', () => {
    expect(leaders.length).toBeGreaterThanOrEqual(8);
    for (const leader of leaders) {
      const bytes = signaturePng(leader.name);
      expect(checkSignatureImage(bytes), leader.id).toEqual({ width: 480, height: 160 });
      embeds(bytes);
    }
  });

  it('is the same on every run for a name, and differs between names', () => {
    const hash = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
    const first = leaders.map((l) => hash(signaturePng(l.name)));
    expect(leaders.map((l) => hash(signaturePng(l.name)))).toEqual(first);
    expect(new Set(first).size).toBe(leaders.length);
  });
});

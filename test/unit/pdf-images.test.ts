import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { PdfArray, PdfDict, PdfName, PdfNumber, type PdfRef } from '@libpdf/core';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lambdas/core/errors';
import { renderMessage } from '../../lambdas/core/i18n/messages';
import { type EmbeddedImage, embedImage, MAX_IMAGE_PIXELS } from '../../lambdas/core/pdf/images';
import { ObjectAllocator } from '../../lambdas/core/pdf/new-objects';
import { indirectObjectBytes, objectText } from '../../lambdas/core/pdf/objects';
import { pdftoppm, requireTool, tempDir, writeTemp } from '../support/pdf-tools';
import { PNG_SIGNATURE, pngChunk } from '../support/png';

/*
 * Image XObjects written by images.ts, checked by what poppler makes of them: a page drawing each image
 * over a yellow background is rendered (pdftoppm) and its pixels compared with the colours and alphas the
 * image holds, and the images are extracted again (pdfimages) and compared sample by sample. Test PNGs come
 * from pngjs (a real encoder) and from a small encoder below for what pngjs does not write (palettes,
 * tRNS, chosen row filters, 16-bit, broken files); JPEGs from poppler's own JPEG writer.
 */

type Rgb = readonly [number, number, number];
type Rgba = readonly [number, number, number, number];

const YELLOW: Rgb = [255, 255, 0];
const CELL = 80;
const GAP = 10;

// --- Writing test images --------------------------------------------------------------------------------

/** PNG row filters (PNG §9.2), forwards: what an encoder writes. */
function filterRow(type: number, row: Uint8Array, prev: Uint8Array | undefined, bpp: number): number[] {
  const out: number[] = [type];
  for (let i = 0; i < row.length; i++) {
    const x = row[i] ?? 0;
    const a = i >= bpp ? (row[i - bpp] ?? 0) : 0;
    const b = prev?.[i] ?? 0;
    const c = i >= bpp ? (prev?.[i - bpp] ?? 0) : 0;
    const p = a + b - c;
    const paeth =
      Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
        ? a
        : Math.abs(p - b) <= Math.abs(p - c)
          ? b
          : c;
    const predictor = [0, a, b, (a + b) >> 1, paeth][type] ?? 0;
    out.push((x - predictor) & 0xff);
  }
  return out;
}

interface HandPng {
  readonly width: number;
  readonly height: number;
  readonly colorType: number;
  /** Unfiltered samples, row after row (bytes per sample: bitDepth / 8). */
  readonly samples: Uint8Array;
  readonly bitDepth?: number;
  readonly interlace?: number;
  readonly palette?: readonly Rgb[];
  readonly trns?: readonly number[];
  /** Row filter per row: the filter type cycles 0..4 unless one is given. */
  readonly filter?: number;
  /** The IDAT data as is, instead of the compressed samples. */
  readonly idat?: Uint8Array;
}

const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function handPng(o: HandPng): Buffer {
  const bpp = ((CHANNELS[o.colorType] ?? 1) * (o.bitDepth ?? 8)) / 8;
  const stride = o.width * bpp;
  const raw: number[] = [];
  for (let y = 0; y < o.height; y++) {
    const row = o.samples.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? o.samples.subarray((y - 1) * stride, y * stride) : undefined;
    raw.push(...filterRow(o.filter ?? y % 5, row, prev, bpp));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(o.width, 0);
  ihdr.writeUInt32BE(o.height, 4);
  ihdr.set([o.bitDepth ?? 8, o.colorType, 0, 0, o.interlace ?? 0], 8);
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', ihdr),
    ...(o.palette ? [pngChunk('PLTE', Buffer.from(o.palette.flat()))] : []),
    ...(o.trns ? [pngChunk('tRNS', Buffer.from(o.trns))] : []),
    pngChunk('IDAT', o.idat ?? deflateSync(Buffer.from(raw))),
    pngChunk('IEND'),
  ]);
}

/** pngjs (filters chosen per row by its heuristics, as tools do) from RGBA pixels to the colour type. */
function pngjs(
  width: number,
  height: number,
  pixel: (x: number, y: number) => Rgba,
  colorType: 0 | 2 | 4 | 6,
) {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) png.data.set(pixel(x, y), (y * width + x) * 4);
  return new Uint8Array(PNG.sync.write(png, { colorType, inputColorType: 6, inputHasAlpha: true }));
}

/** The 2 × 2 test pattern: [top-left, top-right, bottom-left, bottom-right]. */
const quad =
  (pixels: readonly [Rgba, Rgba, Rgba, Rgba]) =>
  (x: number, y: number): Rgba =>
    pixels[y * 2 + x] ?? [0, 0, 0, 0];

/** Deterministic noise (mulberry32). */
function noise(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % 256;
  };
}

// --- A one-page PDF that draws the images ------------------------------------------------------------------

function pdfFile(alloc: ObjectAllocator, catalog: PdfRef): Uint8Array {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let position = parts[0]?.length ?? 0;
  const offsets: number[] = [];
  for (const object of alloc.objects()) {
    offsets[object.ref.objectNumber] = position;
    const bytes = indirectObjectBytes(object.ref, object.value, object.data);
    parts.push(bytes);
    position += bytes.length;
  }
  const size = alloc.next;
  let xref = `xref\n0 ${size}\n0000000000 65535 f \n`;
  for (let n = 1; n < size; n++) xref += `${String(offsets[n]).padStart(10, '0')} 00000 n \n`;
  parts.push(
    Buffer.from(`${xref}trailer\n<< /Size ${size} /Root ${catalog.objectNumber} 0 R >>\n`, 'latin1'),
  );
  parts.push(Buffer.from(`startxref\n${position}\n%%EOF\n`, 'latin1'));
  return new Uint8Array(Buffer.concat(parts));
}

function onePage(
  width: number,
  height: number,
  draw: (alloc: ObjectAllocator) => { ops: string[]; xobjects?: PdfDict },
) {
  const alloc = new ObjectAllocator(1);
  const catalog = alloc.reserve();
  const pages = alloc.reserve();
  const page = alloc.reserve();
  const { ops, xobjects } = draw(alloc);
  const contents = alloc.add(new PdfDict(), Buffer.from(ops.join('\n'), 'latin1'));
  alloc.put(
    page,
    PdfDict.of({
      Type: PdfName.of('Page'),
      Parent: pages,
      MediaBox: new PdfArray([0, 0, width, height].map((v) => PdfNumber.of(v))),
      Resources: PdfDict.of(xobjects ? { XObject: xobjects } : {}),
      Contents: contents,
    }),
  );
  alloc.put(
    pages,
    PdfDict.of({ Type: PdfName.of('Pages'), Kids: new PdfArray([page]), Count: PdfNumber.of(1) }),
  );
  alloc.put(catalog, PdfDict.of({ Type: PdfName.of('Catalog'), Pages: pages }));
  return pdfFile(alloc, catalog);
}

interface Drawn {
  readonly pdf: Uint8Array;
  readonly images: readonly EmbeddedImage[];
  /** Each image's box on the page, in points (origin bottom-left). */
  readonly boxes: readonly { x: number; y: number; width: number; height: number }[];
  readonly pageHeight: number;
}

/** A page with each image drawn CELL points wide (height by its aspect ratio) in a row, over yellow. */
function drawImages(images: readonly Uint8Array[]): Drawn {
  const pageWidth = GAP + images.length * (CELL + GAP);
  const pageHeight = CELL + 2 * GAP;
  const embedded: EmbeddedImage[] = [];
  const boxes: Drawn['boxes'][number][] = [];
  const pdf = onePage(pageWidth, pageHeight, (alloc) => {
    const xobjects = new PdfDict();
    const ops = [`${YELLOW.map((c) => c / 255).join(' ')} rg 0 0 ${pageWidth} ${pageHeight} re f`];
    images.forEach((bytes, i) => {
      const image = embedImage(alloc, bytes);
      embedded.push(image);
      const box = {
        x: GAP + i * (CELL + GAP),
        y: GAP,
        width: CELL,
        height: (CELL * image.height) / image.width,
      };
      boxes.push(box);
      xobjects.set(`Im${i + 1}`, image.ref);
      ops.push(`q ${box.width} 0 0 ${box.height} ${box.x} ${box.y} cm /Im${i + 1} Do Q`);
    });
    return { ops, xobjects };
  });
  return { pdf, images: embedded, boxes, pageHeight };
}

/** Renders at 72 dpi (one pixel per point) and reads the colour at (u, v) of image `i` (u right, v down). */
function sampler(drawn: Drawn): (i: number, u: number, v: number) => Rgb {
  const dir = tempDir('docflow-images-');
  const png = PNG.sync.read(
    readFileSync(pdftoppm(writeTemp(dir, 'page.pdf', drawn.pdf), join(dir, 'page'), 72)),
  );
  return (i, u, v) => {
    const box = drawn.boxes[i];
    if (!box) throw new Error(`no image ${i}`);
    const x = Math.floor(box.x + u * box.width);
    const y = Math.floor(drawn.pageHeight - (box.y + (1 - v) * box.height));
    const at = (y * png.width + x) * 4;
    return [png.data[at] ?? -1, png.data[at + 1] ?? -1, png.data[at + 2] ?? -1];
  };
}

/** `over` composited on the background, as the renderer blends a soft-masked pixel. */
function over([r, g, b, a]: Rgba, background: Rgb = YELLOW): Rgb {
  const blend = (fg: number, bg: number) => (fg * a + bg * (255 - a)) / 255;
  return [blend(r, background[0]), blend(g, background[1]), blend(b, background[2])];
}

function expectColor(actual: Rgb, expected: Rgb, label: string, tolerance = 3): void {
  const off = actual.some((c, k) => Math.abs(c - (expected[k] ?? 0)) > tolerance);
  expect(
    off ? actual : expected,
    `${label}: ${actual.join(',')} ≈ ${expected.map(Math.round).join(',')}`,
  ).toEqual(expected);
}

interface ListedImage {
  readonly type: string;
  readonly width: number;
  readonly height: number;
  readonly color: string;
  readonly components: number;
  readonly encoding: string;
  readonly object: number;
}

/** `pdfimages -list`: one row per image and per soft mask. */
function pdfimagesList(pdf: Uint8Array): ListedImage[] {
  requireTool('pdfimages');
  const path = writeTemp(tempDir('docflow-images-'), 'list.pdf', pdf);
  const lines = execFileSync('pdfimages', ['-list', path], { encoding: 'utf8' }).trim().split('\n').slice(2);
  return lines.map((line) => {
    const [, , type = '', width, height, color = '', comp, , enc = '', , object] = line.trim().split(/\s+/);
    return {
      type,
      width: Number(width),
      height: Number(height),
      color,
      components: Number(comp),
      encoding: enc,
      object: Number(object),
    };
  });
}

/** `pdfimages -png`: every image and soft mask decoded back to RGBA pixels, in list order. */
function pdfimagesExtract(pdf: Uint8Array): PNG[] {
  requireTool('pdfimages');
  const dir = tempDir('docflow-images-');
  const path = writeTemp(dir, 'extract.pdf', pdf);
  execFileSync('pdfimages', ['-png', path, join(dir, 'img')]);
  return pdfimagesList(pdf).map((_, i) =>
    PNG.sync.read(readFileSync(join(dir, `img-${String(i).padStart(3, '0')}.png`))),
  );
}

/** The red-left, blue-right 32 × 16 picture as a JPEG written by poppler (pdftoppm -jpeg …). */
function popplerJpeg(kind: 'rgb' | 'cmyk' | 'progressive'): Uint8Array {
  requireTool('pdftoppm');
  const pdf = onePage(32, 16, () => ({ ops: ['1 0 0 rg 0 0 16 16 re f', '0 0 1 rg 16 0 16 16 re f'] }));
  const dir = tempDir('docflow-jpeg-');
  const path = writeTemp(dir, 'page.pdf', pdf);
  const options = {
    rgb: ['-jpeg'],
    cmyk: ['-jpegcmyk'],
    progressive: ['-jpeg', '-jpegopt', 'progressive=y'],
  }[kind];
  execFileSync('pdftoppm', [
    ...options,
    '-jpegopt',
    'quality=95',
    '-r',
    '72',
    '-singlefile',
    path,
    join(dir, 'out'),
  ]);
  return new Uint8Array(readFileSync(join(dir, 'out.jpg')));
}

function refusal(bytes: Uint8Array): { code: string; status: number; detail: string; written: number } {
  const alloc = new ObjectAllocator(1);
  try {
    embedImage(alloc, bytes);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return {
      code: error.code,
      status: error.status,
      detail: String(error.params.detail),
      written: alloc.objects().length,
    };
  }
  throw new Error('the image was accepted');
}

// --- The tests --------------------------------------------------------------------------------------------

const BLUE: Rgba = [0, 0, 255, 255];
const RED: Rgba = [255, 0, 0, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];
const grey = (v: number, a = 255): Rgba => [v, v, v, a];

/** The four quadrant centres, in the order of `quad`. */
const QUADRANTS: readonly [number, number][] = [
  [0.25, 0.25],
  [0.75, 0.25],
  [0.25, 0.75],
  [0.75, 0.75],
];

describe('PNG images, as poppler draws them', () => {
  const cases: readonly { name: string; bytes: Uint8Array; shows: readonly Rgb[] }[] = [
    {
      name: 'grey (0)',
      bytes: pngjs(2, 2, quad([grey(0), grey(255), grey(128), grey(64)]), 0),
      shows: [
        [0, 0, 0],
        [255, 255, 255],
        [128, 128, 128],
        [64, 64, 64],
      ],
    },
    {
      name: 'grey (0) with a tRNS colour key: white is transparent',
      bytes: handPng({
        width: 2,
        height: 2,
        colorType: 0,
        samples: Uint8Array.of(0, 255, 128, 255),
        trns: [0, 255],
      }),
      shows: [[0, 0, 0], YELLOW, [128, 128, 128], YELLOW],
    },
    {
      name: 'RGB (2)',
      bytes: pngjs(2, 2, quad([BLUE, RED, WHITE, [0, 128, 0, 255]]), 2),
      shows: [
        [0, 0, 255],
        [255, 0, 0],
        [255, 255, 255],
        [0, 128, 0],
      ],
    },
    {
      name: 'RGB (2) with a tRNS colour key: white is transparent',
      bytes: handPng({
        width: 2,
        height: 2,
        colorType: 2,
        samples: Uint8Array.of(0, 0, 255, 255, 255, 255, 255, 0, 0, 255, 255, 254),
        trns: [0, 255, 0, 255, 0, 255],
      }),
      shows: [[0, 0, 255], YELLOW, [255, 0, 0], [255, 255, 254]],
    },
    {
      name: 'palette (3)',
      bytes: handPng({
        width: 2,
        height: 2,
        colorType: 3,
        palette: [
          [0, 0, 255],
          [255, 0, 0],
          [255, 255, 255],
        ],
        samples: Uint8Array.of(0, 1, 2, 0),
      }),
      shows: [
        [0, 0, 255],
        [255, 0, 0],
        [255, 255, 255],
        [0, 0, 255],
      ],
    },
    {
      name: 'palette (3) with tRNS alphas: clear and half-transparent entries',
      bytes: handPng({
        width: 2,
        height: 2,
        colorType: 3,
        palette: [
          [0, 0, 255],
          [255, 0, 0],
          [255, 255, 255],
          [0, 0, 0],
        ],
        trns: [255, 255, 0, 128],
        samples: Uint8Array.of(0, 2, 3, 1),
      }),
      shows: [[0, 0, 255], YELLOW, over(grey(0, 128)), [255, 0, 0]],
    },
    {
      name: 'grey + alpha (4)',
      bytes: pngjs(2, 2, quad([grey(0), grey(255, 0), grey(0, 128), grey(255)]), 4),
      shows: [[0, 0, 0], YELLOW, over(grey(0, 128)), [255, 255, 255]],
    },
    {
      name: 'RGBA (6)',
      bytes: pngjs(2, 2, quad([BLUE, CLEAR, [0, 0, 255, 128], RED]), 6),
      shows: [[0, 0, 255], YELLOW, over([0, 0, 255, 128]), [255, 0, 0]],
    },
  ];

  it('opaque pixels show their colour, transparent ones the background, half-alpha ones a blend', () => {
    requireTool('pdftoppm');
    const drawn = drawImages(cases.map((c) => c.bytes));
    const at = sampler(drawn);
    cases.forEach((c, i) => {
      expect(drawn.images[i]).toMatchObject({ width: 2, height: 2 });
      QUADRANTS.forEach(([u, v], q) => {
        expectColor(at(i, u, v), c.shows[q] ?? [0, 0, 0], `${c.name}, quadrant ${q}`);
      });
    });
  });

  it('pdfimages lists each image at its size, with a soft mask only where there is alpha', () => {
    const list = pdfimagesList(drawImages(cases.map((c) => c.bytes)).pdf);
    expect(list.map((l) => [l.type, l.width, l.height, l.color, l.encoding])).toEqual([
      ['image', 2, 2, 'gray', 'image'],
      ['image', 2, 2, 'gray', 'image'], // the colour key is a /Mask array, not an image
      ['image', 2, 2, 'rgb', 'image'],
      ['image', 2, 2, 'rgb', 'image'],
      ['image', 2, 2, 'index', 'image'],
      ['image', 2, 2, 'index', 'image'],
      ['smask', 2, 2, 'gray', 'image'],
      ['image', 2, 2, 'gray', 'image'],
      ['smask', 2, 2, 'gray', 'image'],
      ['image', 2, 2, 'rgb', 'image'],
      ['smask', 2, 2, 'gray', 'image'],
    ]);
  });

  it('an RGBA image that is fully opaque gets no soft mask', () => {
    const alloc = new ObjectAllocator(1);
    const image = embedImage(
      alloc,
      pngjs(3, 2, () => BLUE, 6),
    );
    expect(alloc.objects()).toHaveLength(1);
    const dict = alloc.objects()[0]?.value;
    expect(dict).toBeInstanceOf(PdfDict);
    expect(dict instanceof PdfDict && dict.has('SMask')).toBe(false);
    expect(image).toMatchObject({ width: 3, height: 2 });

    // A tRNS chunk beside an alpha channel means nothing and is ignored.
    const withTrns = new ObjectAllocator(1);
    const samples = Uint8Array.from({ length: 4 * 4 }, (_, i) => (i % 4 === 3 ? 255 : 9));
    embedImage(withTrns, handPng({ width: 2, height: 2, colorType: 6, samples, trns: [0, 9, 0, 9, 0, 9] }));
    expect(withTrns.objects()).toHaveLength(1);
  });

  it('noisy images of every colour type and every row filter come back sample for sample', () => {
    const width = 37;
    const height = 23;
    const random = noise(7);
    const rgba = Array.from({ length: width * height }, (): Rgba => [random(), random(), random(), random()]);
    const pixel = (x: number, y: number) => rgba[y * width + x] ?? CLEAR;
    const greyPixel = (x: number, y: number): Rgba => {
      const [v = 0, , , a = 0] = pixel(x, y);
      return [v, v, v, a];
    };
    const indices = Uint8Array.from(rgba, ([r]) => r % 200);
    const palette = Array.from({ length: 200 }, (): Rgb => [random(), random(), random()]);
    const trns = Array.from({ length: 150 }, () => random());
    const samplesOf = (channels: (p: Rgba) => number[]) => Uint8Array.from(rgba.flatMap(channels));

    const images: {
      name: string;
      bytes: Uint8Array;
      color: (p: number) => Rgba;
      alpha?: (p: number) => number;
    }[] = [
      {
        // Opaque: pngjs writes a colour type without alpha by compositing over white.
        name: 'pngjs grey',
        bytes: pngjs(width, height, (x, y) => grey(pixel(x, y)[0]), 0),
        color: (p) => grey(rgba[p]?.[0] ?? 0),
      },
      {
        name: 'pngjs RGB',
        bytes: pngjs(
          width,
          height,
          (x, y) => {
            const [r, g, b] = pixel(x, y);
            return [r, g, b, 255];
          },
          2,
        ),
        color: (p) => rgba[p] ?? CLEAR,
      },
      {
        name: 'pngjs grey + alpha',
        bytes: pngjs(width, height, greyPixel, 4),
        color: (p) => grey(rgba[p]?.[0] ?? 0),
        alpha: (p) => rgba[p]?.[3] ?? 0,
      },
      {
        name: 'pngjs RGBA',
        bytes: pngjs(width, height, pixel, 6),
        color: (p) => rgba[p] ?? CLEAR,
        alpha: (p) => rgba[p]?.[3] ?? 0,
      },
      {
        name: 'filters 0–4, RGBA',
        bytes: handPng({ width, height, colorType: 6, samples: samplesOf((p) => [...p]) }),
        color: (p) => rgba[p] ?? CLEAR,
        alpha: (p) => rgba[p]?.[3] ?? 0,
      },
      {
        name: 'filters 0–4, grey + alpha',
        bytes: handPng({ width, height, colorType: 4, samples: samplesOf(([v, , , a]) => [v, a]) }),
        color: (p) => grey(rgba[p]?.[0] ?? 0),
        alpha: (p) => rgba[p]?.[3] ?? 0,
      },
      {
        name: 'filters 0–4, palette with tRNS',
        bytes: handPng({ width, height, colorType: 3, palette, trns, samples: indices }),
        color: (p) => {
          const [r = 0, g = 0, b = 0] = palette[indices[p] ?? 0] ?? [];
          return [r, g, b, 255];
        },
        alpha: (p) => trns[indices[p] ?? 0] ?? 255,
      },
      {
        name: 'filters 0–4, RGB',
        bytes: handPng({ width, height, colorType: 2, samples: samplesOf(([r, g, b]) => [r, g, b]) }),
        color: (p) => rgba[p] ?? CLEAR,
      },
    ];

    const { pdf } = drawImages(images.map((i) => i.bytes));
    const list = pdfimagesList(pdf);
    const extracted = pdfimagesExtract(pdf);
    let row = 0;
    for (const image of images) {
      const colour = extracted[row];
      expect(list[row], image.name).toMatchObject({ type: 'image', width, height });
      row++;
      const colours: number[] = [];
      const expected: number[] = [];
      for (let p = 0; p < width * height; p++) {
        colours.push(...(colour?.data.subarray(p * 4, p * 4 + 3) ?? []));
        expected.push(...image.color(p).slice(0, 3));
      }
      expect(colours, `${image.name}: colour samples`).toEqual(expected);
      if (image.alpha) {
        const mask = extracted[row];
        expect(list[row], image.name).toMatchObject({ type: 'smask', width, height, color: 'gray' });
        row++;
        const alphas = Array.from({ length: width * height }, (_, p) => mask?.data[p * 4] ?? -1);
        const expectedAlphas = Array.from({ length: width * height }, (_, p) => image.alpha?.(p) ?? -1);
        expect(alphas, `${image.name}: alpha samples`).toEqual(expectedAlphas);
      }
    }
    expect(row).toBe(list.length);
  });
});

/** Huffman codes from a DHT's counts per length and symbols (T.81 Annex C). */
function huffmanCodes(counts: readonly number[], symbols: readonly number[]): Map<number, [number, number]> {
  const codes = new Map<number, [number, number]>();
  let code = 0;
  let k = 0;
  counts.forEach((count, i) => {
    for (let j = 0; j < count; j++) codes.set(symbols[k++] ?? -1, [code++, i + 1]);
    code <<= 1;
  });
  return codes;
}

/**
 * A baseline JPEG written here, for what poppler's writer does not make (it always writes three or four
 * components): every 8 × 8 block one flat value per component, so only DC coefficients are coded (quant
 * table of ones, the standard luminance DC table, an AC table holding only end-of-block). `blockValue`
 * gives a component's sample for the block at (bx, by). No APP markers: CMYK is stored as is.
 */
function flatJpeg(
  width: number,
  height: number,
  components: number,
  blockValue: (component: number, bx: number, by: number) => number,
): Uint8Array {
  const segment = (marker: number, data: readonly number[]) => [
    0xff,
    marker,
    (data.length + 2) >> 8,
    (data.length + 2) & 0xff,
    ...data,
  ];
  const dcCounts = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
  const dcSymbols = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const acCounts = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  const dc = huffmanCodes(dcCounts, dcSymbols);
  const out: number[] = [0xff, 0xd8];
  out.push(...segment(0xdb, [0, ...new Array<number>(64).fill(1)]));
  const ids = Array.from({ length: components }, (_, c) => c + 1);
  out.push(
    ...segment(0xc0, [
      8,
      height >> 8,
      height & 0xff,
      width >> 8,
      width & 0xff,
      components,
      ...ids.flatMap((id) => [id, 0x11, 0]),
    ]),
  );
  out.push(...segment(0xc4, [0x00, ...dcCounts, ...dcSymbols]));
  out.push(...segment(0xc4, [0x10, ...acCounts, 0x00]));
  out.push(...segment(0xda, [components, ...ids.flatMap((id) => [id, 0x00]), 0, 63, 0]));
  let bits = 0;
  let count = 0;
  const put = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i--) {
      bits = (bits << 1) | ((value >> i) & 1);
      if (++count === 8) {
        out.push(bits);
        if (bits === 0xff) out.push(0); // byte stuffing
        bits = 0;
        count = 0;
      }
    }
  };
  const previous = new Array<number>(components).fill(0);
  for (let by = 0; by < height / 8; by++) {
    for (let bx = 0; bx < width / 8; bx++) {
      for (let c = 0; c < components; c++) {
        // A flat block's DC coefficient is 8 × (sample − 128).
        const coefficient = 8 * (blockValue(c, bx, by) - 128);
        const diff = coefficient - (previous[c] ?? 0);
        previous[c] = coefficient;
        const category = diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1;
        const [code = 0, length = 0] = dc.get(category) ?? [];
        put(code, length);
        put(diff < 0 ? diff + (1 << category) - 1 : diff, category);
        put(0, 1); // end of block: every AC coefficient is zero
      }
    }
  }
  if (count > 0) put(0x7f, 8 - count); // pad with one bits
  out.push(0xff, 0xd9);
  return new Uint8Array(out);
}

describe('JPEG images', () => {
  it('grey, RGB, progressive and CMYK JPEGs keep their data and draw in their colours', () => {
    const kinds = ['rgb', 'gray', 'cmyk', 'adobe-cmyk', 'progressive'] as const;
    const jpegs = kinds.map((kind) =>
      kind === 'gray'
        ? flatJpeg(32, 16, 1, (_, bx) => (bx < 2 ? 200 : 60))
        : kind === 'cmyk'
          ? // Plain CMYK, not inverted: M + Y (red) left, C + M (blue) right.
            flatJpeg(32, 16, 4, (c, bx) => [bx < 2 ? 0 : 255, 255, bx < 2 ? 255 : 0, 0][c] ?? 0)
          : popplerJpeg(kind === 'adobe-cmyk' ? 'cmyk' : kind),
    );
    // Poppler's CMYK file carries the APP14 "Adobe" marker that says its samples are inverted.
    expect(Buffer.from(jpegs[3] ?? []).includes(Buffer.from('Adobe'))).toBe(true);
    const drawn = drawImages(jpegs);
    const at = sampler(drawn);
    for (const [i, kind] of kinds.entries()) {
      expect(drawn.images[i], kind).toMatchObject({ width: 32, height: 16 });
      const left = at(i, 0.25, 0.5);
      const right = at(i, 0.75, 0.5);
      if (kind === 'gray') {
        expectColor(left, [200, 200, 200], `${kind} left`, 2);
        expectColor(right, [60, 60, 60], `${kind} right`, 2);
      } else if (kind === 'cmyk' || kind === 'adobe-cmyk') {
        // Poppler turns process red (M + Y) and blue (C + M) into printed-ink RGB, not pure primaries.
        expectColor(left, [236, 27, 36], `${kind} left`, 16);
        expectColor(right, [46, 49, 145], `${kind} right`, 16);
      } else {
        expectColor(left, [255, 0, 0], `${kind} left`, 24);
        expectColor(right, [0, 0, 255], `${kind} right`, 24);
      }
    }
    // The JPEG goes in as is (DCTDecode), so the stream data is the file.
    const alloc = new ObjectAllocator(1);
    embedImage(alloc, jpegs[0] ?? new Uint8Array());
    expect(alloc.objects()[0]?.data).toEqual(jpegs[0]);

    expect(pdfimagesList(drawn.pdf).map((l) => [l.type, l.width, l.height, l.color, l.encoding])).toEqual([
      ['image', 32, 16, 'rgb', 'jpeg'],
      ['image', 32, 16, 'gray', 'jpeg'],
      ['image', 32, 16, 'cmyk', 'jpeg'],
      ['image', 32, 16, 'cmyk', 'jpeg'],
      ['image', 32, 16, 'rgb', 'jpeg'],
    ]);
  });

  it('only an Adobe CMYK JPEG is drawn with an inverting /Decode, without which it would print dark', () => {
    const cmyk = popplerJpeg('cmyk');
    const alloc = new ObjectAllocator(1);
    embedImage(alloc, cmyk);
    const dict = alloc.objects()[0]?.value;
    expect(dict instanceof PdfDict && objectText(dict.get('Decode') ?? new PdfArray())).toBe(
      '[1 0 1 0 1 0 1 0]',
    );

    // The same page with the /Decode blanked out (same length, so the xref offsets hold).
    const drawn = drawImages([cmyk]);
    const text = Buffer.from(drawn.pdf).toString('latin1');
    const decode = '/Decode [1 0 1 0 1 0 1 0]';
    expect(text.split(decode)).toHaveLength(2);
    const undecoded = {
      ...drawn,
      pdf: new Uint8Array(Buffer.from(text.replace(decode, ' '.repeat(decode.length)), 'latin1')),
    };
    expectColor(sampler(drawn)(0, 0.25, 0.5), [236, 27, 36], 'with /Decode', 16);
    // Stored inverted, red (C 0 M 1 Y 1 K 0) reads as C 1 M 0 Y 0 K 1: black.
    const [r, g, b] = sampler(undecoded)(0, 0.25, 0.5);
    expect(Math.max(r, g, b), `without /Decode: ${r},${g},${b}`).toBeLessThan(60);

    for (const other of [popplerJpeg('rgb'), flatJpeg(8, 8, 4, () => 128)]) {
      const plain = new ObjectAllocator(1);
      embedImage(plain, other);
      const plainDict = plain.objects()[0]?.value;
      expect(plainDict instanceof PdfDict && !plainDict.has('Decode')).toBe(true);
    }
  });
});

describe('refused images', () => {
  const small = pngjs(4, 4, () => BLUE, 6);
  /** Where the IDAT chunk's data starts. */
  const idatData = Buffer.from(small).indexOf('IDAT') + 4;

  it.each<[string, () => Uint8Array, string, RegExp]>([
    [
      'random bytes',
      () => Uint8Array.from({ length: 200 }, noise(3)),
      'pdf_image_unsupported',
      /not a PNG or JPEG/,
    ],
    ['nothing', () => new Uint8Array(), 'pdf_image_unsupported', /not a PNG or JPEG/],
    [
      'a 16-bit PNG',
      () => handPng({ width: 2, height: 2, colorType: 2, bitDepth: 16, samples: new Uint8Array(24) }),
      'pdf_image_unsupported',
      /16-bit/,
    ],
    [
      // Refused on its header: the (non-Adam7) data after it is never read.
      'an interlaced PNG',
      () => handPng({ width: 2, height: 2, colorType: 6, interlace: 1, samples: new Uint8Array(16) }),
      'pdf_image_unsupported',
      /interlaced/,
    ],
    [
      'too many pixels (6000 × 5000)',
      () =>
        handPng({
          width: 6000,
          height: 5000,
          colorType: 0,
          samples: new Uint8Array(0),
          idat: deflateSync(Buffer.alloc(1)),
        }),
      'pdf_image_unsupported',
      /6000×5000 pixels, more than 25 megapixels/,
    ],
    [
      'a bad CRC',
      () => {
        const bytes = Buffer.from(small);
        bytes[idatData + 2] = (bytes[idatData + 2] ?? 0) ^ 0xff;
        return bytes;
      },
      'pdf_image_damaged',
      /IDAT chunk checksum mismatch/,
    ],
    [
      'a file cut inside IDAT',
      () => small.subarray(0, idatData + 6),
      'pdf_image_damaged',
      /truncated IDAT chunk/,
    ],
    [
      'a truncated deflate stream (the chunk itself intact)',
      () => {
        const raw = Buffer.alloc(4 * (1 + 16), 0x11);
        for (let y = 0; y < 4; y++) raw[y * 17] = 0;
        const whole = deflateSync(raw);
        return handPng({
          width: 4,
          height: 4,
          colorType: 6,
          samples: new Uint8Array(),
          idat: whole.subarray(0, whole.length - 6),
        });
      },
      'pdf_image_damaged',
      /cannot be decompressed/,
    ],
    [
      'less data than the size announces',
      () =>
        handPng({
          width: 4,
          height: 4,
          colorType: 2,
          samples: new Uint8Array(),
          idat: deflateSync(Buffer.alloc(20)),
        }),
      'pdf_image_damaged',
      /less image data/,
    ],
    [
      'more data than the size announces (a zip bomb stops at the size)',
      () =>
        handPng({
          width: 4,
          height: 4,
          colorType: 6,
          samples: new Uint8Array(),
          idat: deflateSync(Buffer.alloc(1 << 20)),
        }),
      'pdf_image_damaged',
      /more image data/,
    ],
    [
      'an unknown row filter',
      () =>
        handPng({
          width: 2,
          height: 1,
          colorType: 0,
          samples: new Uint8Array(),
          idat: deflateSync(Buffer.from([7, 1, 2])),
        }),
      'pdf_image_damaged',
      /row filter 7/,
    ],
    [
      'an RGB tRNS of the wrong length',
      () => handPng({ width: 2, height: 2, colorType: 2, samples: new Uint8Array(12), trns: [0, 1] }),
      'pdf_image_damaged',
      /bad tRNS/,
    ],
    [
      'a palette image without PLTE',
      () => handPng({ width: 2, height: 2, colorType: 3, samples: new Uint8Array(4) }),
      'pdf_image_damaged',
      /without a PLTE/,
    ],
    [
      'a PNG signature and garbage',
      () => Buffer.concat([PNG_SIGNATURE, Buffer.alloc(40, 0x41)]),
      'pdf_image_damaged',
      /truncated|checksum/,
    ],
    [
      'a JPEG cut in half',
      () => {
        const jpeg = popplerJpeg('rgb');
        return jpeg.subarray(0, jpeg.length / 2);
      },
      'pdf_image_damaged',
      /truncated/,
    ],
    [
      'a lossless JPEG (SOF3)',
      () => {
        const jpeg = Buffer.from(popplerJpeg('rgb'));
        jpeg[jpeg.indexOf(Buffer.from([0xff, 0xc0])) + 1] = 0xc3;
        return jpeg;
      },
      'pdf_image_unsupported',
      /SOF3/,
    ],
    [
      'a JPEG claiming 60000 × 60000 pixels',
      () => {
        const jpeg = Buffer.from(popplerJpeg('rgb'));
        const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
        jpeg.writeUInt16BE(60000, sof + 5);
        jpeg.writeUInt16BE(60000, sof + 7);
        return jpeg;
      },
      'pdf_image_unsupported',
      /megapixels/,
    ],
  ])('%s', (_, make, code, detail) => {
    const result = refusal(make());
    expect(result).toMatchObject({ code, status: 422, written: 0 });
    expect(result.detail).toMatch(detail);
  });

  it('the refusals read in Vietnamese and English', () => {
    expect(MAX_IMAGE_PIXELS).toBe(25_000_000);
    const params = { detail: 'interlaced PNG' };
    for (const code of ['pdf_image_unsupported', 'pdf_image_damaged'] as const) {
      expect(renderMessage(code, 'vi', params)).toContain('interlaced PNG');
      expect(renderMessage(code, 'en', params)).toContain('interlaced PNG');
    }
    expect(renderMessage('pdf_image_damaged', 'vi', params)).toMatch(/hỏng/);
  });
});

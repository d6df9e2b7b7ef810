import { deflateSync } from 'node:zlib';
import { PdfArray, PdfDict, PdfName, PdfNumber, type PdfObject, type PdfRef, PdfString } from '@libpdf/core';
import { DomainError } from '../errors';
import { CHANNELS, inflatePng, isPng, type PngLayout, pngChunks, rowBytes, unfilterPng } from '../images/png';
import type { ObjectAllocator } from './new-objects';

/*
 * Image XObjects (ISO 32000-1 §8.9.5) for signature appearances: an official's signature PNG and an
 * organisation's seal (PNG or JPEG), written with node:zlib alone so the signing bundle does not need
 * libpdf's PDF class. PNG data without alpha goes in as is (FlateDecode with the PNG predictors, which PDF
 * shares with PNG); alpha is split off into a soft mask. JPEG data goes in as is (DCTDecode).
 */

/** Decoding cost bound: a 25-megapixel RGBA image inflates to 100 MB; signatures and seals are far smaller. */
export const MAX_IMAGE_PIXELS = 25_000_000;

export interface EmbeddedImage {
  readonly ref: PdfRef;
  /** Pixel size (the image is drawn into a unit square; the caller scales it with `cm`). */
  readonly width: number;
  readonly height: number;
}

const unsupported = (detail: string) => new DomainError('pdf_image_unsupported', 422, { detail });
const damaged = (detail: string) => new DomainError('pdf_image_damaged', 422, { detail });

/** Writes a PNG or JPEG as an image XObject (with an /SMask when it has transparency). */
export function embedImage(alloc: ObjectAllocator, bytes: Uint8Array): EmbeddedImage {
  if (isPng(bytes)) return embedPng(alloc, bytes);
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return embedJpeg(alloc, bytes);
  }
  throw unsupported('not a PNG or JPEG image');
}

function checkPixels(width: number, height: number): void {
  if (width * height > MAX_IMAGE_PIXELS) {
    throw unsupported(`${width}×${height} pixels, more than ${MAX_IMAGE_PIXELS / 1e6} megapixels`);
  }
}

const num = (value: number) => PdfNumber.of(value);
const name = (value: string) => PdfName.of(value);

function imageDict(
  width: number,
  height: number,
  colorSpace: PdfObject,
  extra: Record<string, PdfObject>,
): PdfDict {
  return PdfDict.of({
    Type: name('XObject'),
    Subtype: name('Image'),
    Width: num(width),
    Height: num(height),
    ColorSpace: colorSpace,
    BitsPerComponent: num(8),
    ...extra,
  });
}

// --- PNG (ISO/IEC 15948) ----------------------------------------------------------------------------------

interface Png {
  readonly header: PngLayout;
  readonly palette: Uint8Array | undefined;
  readonly transparency: Uint8Array | undefined;
  /** The zlib stream, IDAT chunks joined. */
  readonly data: Uint8Array;
}

function readPng(bytes: Uint8Array): Png {
  let header: PngLayout | undefined;
  let palette: Uint8Array | undefined;
  let transparency: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  let idatEnded = false;
  for (const { type, data } of pngChunks(bytes, damaged)) {
    const length = data.length;
    if (!header && type !== 'IHDR') throw damaged('IHDR is not the first chunk');
    if (idat.length > 0 && type !== 'IDAT') idatEnded = true;
    switch (type) {
      case 'IHDR':
        if (header) throw damaged('two IHDR chunks');
        header = readPngLayout(data);
        break;
      case 'PLTE':
        if (palette || idat.length > 0 || length === 0 || length % 3 !== 0 || length > 768) {
          throw damaged('bad PLTE chunk');
        }
        palette = data;
        break;
      case 'tRNS':
        if (transparency || idat.length > 0) throw damaged('bad tRNS chunk');
        transparency = data;
        break;
      case 'IDAT':
        if (idatEnded) throw damaged('image data split by other chunks');
        idat.push(data);
        break;
      case 'IEND':
        // The chunks end here; bytes after IEND are not part of the image, ignored as viewers do.
        break;
      default:
        // An unknown critical chunk (upper-case first letter) changes how the image reads; ancillary ones
        // (text, colour profile, gamma, dates) do not and are ignored.
        if (/^[A-Z]/.test(type)) throw unsupported(`PNG chunk ${type}`);
    }
  }
  if (!header) throw damaged('no IHDR chunk');
  if (idat.length === 0) throw damaged('no image data');
  return {
    header,
    palette,
    transparency: checkTransparency(header, palette, transparency),
    data: join(idat),
  };
}

function readPngLayout(data: Uint8Array): PngLayout {
  if (data.length !== 13) throw damaged('bad IHDR chunk');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const width = view.getUint32(0);
  const height = view.getUint32(4);
  const [bitDepth, colorType = -1, compression, filter, interlace] = data.subarray(8);
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) {
    throw damaged(`bad image size ${width}×${height}`);
  }
  if (compression !== 0 || filter !== 0 || !(colorType in CHANNELS) || (interlace !== 0 && interlace !== 1)) {
    throw damaged('bad IHDR chunk');
  }
  // The size first: it bounds everything decoded later.
  checkPixels(width, height);
  if (bitDepth !== 8) throw unsupported(`${bitDepth}-bit PNG samples (only 8-bit)`);
  if (interlace !== 0) throw unsupported('interlaced PNG');
  return { width, height, colorType };
}

/** The tRNS chunk if it matters: palette alphas, or one 16-bit colour key for grey and RGB. */
function checkTransparency(
  header: PngLayout,
  palette: Uint8Array | undefined,
  transparency: Uint8Array | undefined,
): Uint8Array | undefined {
  const { colorType } = header;
  if (colorType === 3 && !palette) throw damaged('palette image without a PLTE chunk');
  // With an alpha channel a tRNS chunk is meaningless (the PNG spec forbids it): ignored, as libpng does.
  if (!transparency || colorType === 4 || colorType === 6) return undefined;
  // A malformed one is refused rather than ignored: the image would lose its transparency and hide the page.
  const ok =
    colorType === 3
      ? transparency.length <= (palette?.length ?? 0) / 3
      : transparency.length === (colorType === 0 ? 2 : 6);
  if (!ok) throw damaged('bad tRNS chunk');
  return transparency;
}

function join(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1 && parts[0]) return parts[0];
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function embedPng(alloc: ObjectAllocator, bytes: Uint8Array): EmbeddedImage {
  const png = readPng(bytes);
  const { width, height, colorType } = png.header;
  const channels = CHANNELS[colorType] ?? 1;
  // Always inflated, even when passed through: a broken stream is refused now rather than signed into the
  // document, where it could no longer be fixed.
  const raw = inflatePng(png.header, png.data, damaged);
  const colorSpace = colorSpaceOf(png);
  const paletteAlpha = colorType === 3 ? paletteAlphas(png) : undefined;

  if (colorType === 0 || colorType === 2 || (colorType === 3 && !paletteAlpha)) {
    checkRowFilters(png.header, raw);
    const extra: Record<string, PdfObject> = {
      Filter: name('FlateDecode'),
      DecodeParms: predictorParams(channels, width),
    };
    const mask = colorKeyMask(png);
    if (mask) extra.Mask = mask;
    const ref = alloc.add(imageDict(width, height, colorSpace, extra), png.data);
    return { ref, width, height };
  }

  const samples = unfilterPng(png.header, raw, damaged);
  const pixels = width * height;
  const alpha = new Uint8Array(pixels);
  let opaque = true;
  if (colorType === 3 && paletteAlpha) {
    for (let p = 0; p < pixels; p++) {
      const a = paletteAlpha[samples[p] ?? 0] ?? 255;
      alpha[p] = a;
      if (a !== 255) opaque = false;
    }
    // The indices stay as they are, so the original data (with its predictors) is the colour image.
    const extra: Record<string, PdfObject> = {
      Filter: name('FlateDecode'),
      DecodeParms: predictorParams(1, width),
    };
    if (!opaque) extra.SMask = softMask(alloc, width, height, alpha);
    return { ref: alloc.add(imageDict(width, height, colorSpace, extra), png.data), width, height };
  }

  // Grey + alpha or RGBA: the colour samples and the alpha go to two images.
  const colors = channels - 1;
  const color = new Uint8Array(pixels * colors);
  for (let p = 0, s = 0, c = 0; p < pixels; p++) {
    for (let k = 0; k < colors; k++) color[c++] = samples[s++] ?? 0;
    const a = samples[s++] ?? 0;
    alpha[p] = a;
    if (a !== 255) opaque = false;
  }
  const extra: Record<string, PdfObject> = { Filter: name('FlateDecode') };
  if (!opaque) extra.SMask = softMask(alloc, width, height, alpha);
  const ref = alloc.add(imageDict(width, height, colorSpace, extra), deflateSync(color));
  return { ref, width, height };
}

function colorSpaceOf(png: Png): PdfObject {
  switch (png.header.colorType) {
    case 0:
    case 4:
      return name('DeviceGray');
    case 3: {
      const palette = png.palette ?? new Uint8Array(3);
      return new PdfArray([
        name('Indexed'),
        name('DeviceRGB'),
        num(palette.length / 3 - 1),
        PdfString.fromBytes(palette),
      ]);
    }
    default:
      return name('DeviceRGB');
  }
}

/** FlateDecode parameters that undo PNG's per-row filters (Predictor ≥ 10: the filter byte leads each row). */
function predictorParams(colors: number, columns: number): PdfDict {
  return PdfDict.of({
    Predictor: num(15),
    Colors: num(colors),
    BitsPerComponent: num(8),
    Columns: num(columns),
  });
}

/** Alpha per palette index, or undefined when tRNS leaves every entry opaque. */
function paletteAlphas(png: Png): Uint8Array | undefined {
  const { transparency } = png;
  if (!transparency || transparency.every((a) => a === 255)) return undefined;
  // Indices past the tRNS entries (and past the palette: viewers clamp them) are opaque.
  const alphas = new Uint8Array(256).fill(255);
  alphas.set(transparency);
  return alphas;
}

/** A grey or RGB tRNS colour key as a colour-key /Mask (§8.9.6.4): exact match, one value per component. */
function colorKeyMask(png: Png): PdfArray | undefined {
  const { transparency } = png;
  if (!transparency) return undefined;
  const view = new DataView(transparency.buffer, transparency.byteOffset, transparency.byteLength);
  const keys: number[] = [];
  for (let i = 0; i < transparency.length; i += 2) keys.push(view.getUint16(i));
  // A key above 255 matches no 8-bit sample: no pixel is transparent.
  if (keys.some((k) => k > 255)) return undefined;
  return new PdfArray(keys.flatMap((k) => [num(k), num(k)]));
}

function softMask(alloc: ObjectAllocator, width: number, height: number, alpha: Uint8Array): PdfRef {
  return alloc.add(
    imageDict(width, height, name('DeviceGray'), { Filter: name('FlateDecode') }),
    deflateSync(alpha),
  );
}

function checkRowFilters(header: PngLayout, data: Uint8Array): void {
  const stride = rowBytes(header) + 1;
  for (let y = 0; y < header.height; y++) {
    const filter = data[y * stride] ?? 0;
    if (filter > 4) throw damaged(`unknown row filter ${filter}`);
  }
}

// --- JPEG (ITU-T T.81) ------------------------------------------------------------------------------------

/** Start-of-frame markers: C0–CF except DHT (C4), JPG (C8) and DAC (CC). */
const isStartOfFrame = (marker: number) =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/** The processes DCTDecode reads (§7.4.8): baseline, extended sequential and progressive, Huffman-coded. */
const DCT_PROCESSES: Readonly<Record<number, string>> = {
  192: 'baseline',
  193: 'extended sequential',
  194: 'progressive',
};

function embedJpeg(alloc: ObjectAllocator, bytes: Uint8Array): EmbeddedImage {
  let frame: { width: number; height: number; components: number } | undefined;
  let adobe = false;
  let offset = 2;
  for (;;) {
    if (offset >= bytes.length) throw damaged('truncated JPEG (no image data)');
    if (bytes[offset] !== 0xff) throw damaged(`no JPEG marker at byte ${offset}`);
    // Any number of 0xFF fill bytes may precede a marker.
    while (bytes[offset] === 0xff) offset++;
    const marker = bytes[offset++] ?? -1;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // no length
    if (marker === 0xd9 || marker === 0xd8 || marker === -1) throw damaged('JPEG without image data');
    if (offset + 2 > bytes.length) throw damaged('truncated JPEG segment');
    const length = ((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0);
    if (length < 2 || offset + length > bytes.length) throw damaged('truncated JPEG segment');
    const segment = bytes.subarray(offset + 2, offset + length);
    offset += length;
    if (isStartOfFrame(marker)) {
      if (frame) throw damaged('two JPEG frame headers');
      frame = readFrame(marker, segment);
    } else if (marker === 0xee) {
      // APP14 "Adobe": its CMYK data is stored inverted (Adobe's convention, followed by most writers).
      adobe ||= String.fromCharCode(...segment.subarray(0, 5)) === 'Adobe';
    } else if (marker === 0xda) {
      break; // start of scan: the entropy-coded data follows
    }
  }
  if (!frame) throw damaged('JPEG scan before its frame header');
  if (!hasEndMarker(bytes, offset)) throw damaged('truncated JPEG (no end marker)');
  const { width, height, components } = frame;
  const colorSpace = name(components === 1 ? 'DeviceGray' : components === 3 ? 'DeviceRGB' : 'DeviceCMYK');
  const extra: Record<string, PdfObject> = { Filter: name('DCTDecode') };
  if (components === 4 && adobe) extra.Decode = new PdfArray([1, 0, 1, 0, 1, 0, 1, 0].map(num));
  return { ref: alloc.add(imageDict(width, height, colorSpace, extra), bytes), width, height };
}

function readFrame(
  marker: number,
  segment: Uint8Array,
): { width: number; height: number; components: number } {
  if (segment.length < 6) throw damaged('bad JPEG frame header');
  const precision = segment[0] ?? 0;
  const height = ((segment[1] ?? 0) << 8) | (segment[2] ?? 0);
  const width = ((segment[3] ?? 0) << 8) | (segment[4] ?? 0);
  const components = segment[5] ?? 0;
  if (segment.length < 6 + 3 * components) throw damaged('bad JPEG frame header');
  const process = DCT_PROCESSES[marker];
  if (!process) throw unsupported(`JPEG process SOF${marker - 0xc0} (only baseline or progressive)`);
  if (precision !== 8) throw unsupported(`${precision}-bit JPEG samples (only 8-bit)`);
  // A zero height would be given later by a DNL marker, which PDF readers do not all support.
  if (width === 0 || height === 0) throw unsupported('JPEG without its size in the frame header');
  if (components !== 1 && components !== 3 && components !== 4) {
    throw unsupported(`JPEG with ${components} colour components`);
  }
  checkPixels(width, height);
  return { width, height, components };
}

/** An EOI marker after the scan header: in entropy-coded data 0xFF is always stuffed, so FF D9 is the end. */
function hasEndMarker(bytes: Uint8Array, from: number): boolean {
  for (let i = bytes.length - 2; i >= from; i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
  }
  return false;
}

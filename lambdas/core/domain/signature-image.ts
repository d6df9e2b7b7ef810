import { signatureImageError } from '../i18n/signature-images';
import { CHANNELS, inflatePng, isPng, type PngLayout, pngChunks, unfilterPng } from '../images/png';

/*
 * An official's signature image: D30 PL I §II.7 draws "the image of the competent person's signature, in
 * blue, a PNG with a transparent background" between the title lines and the name. The checks below are
 * those rules, plus what the PDF embedding (libpdf 0.4.2) decodes correctly: it mis-reads sub-byte and
 * 16-bit samples and refuses interlaced files, so only 8-bit, non-interlaced PNGs are accepted. Everything
 * is checked here with node:zlib alone (no image library at run time), so a registered image can always
 * be drawn when its owner signs.
 */

/** A signature is a few strokes: a scanned one at 300 dpi is well under this. */
export const SIGNATURE_IMAGE_MAX_BYTES = 512 * 1024;

/** Pixel sizes that draw legibly in a 230 × 140 pt box without costing much memory to decode. */
export const SIGNATURE_IMAGE_PIXELS = {
  minWidth: 120,
  maxWidth: 2400,
  minHeight: 40,
  maxHeight: 1200,
} as const;

export { type SignatureImage, SignatureImageSchema } from './signature-image-record';

/** At least half the pixels must be fully transparent: an opaque background would hide the page under it. */
const MIN_TRANSPARENT_FRACTION = 0.5;
/** Fewer visible pixels than this is not a signature (an empty or nearly empty canvas). */
const MIN_INK_PIXELS = 50;
/**
 * "Blue": the ink's average blue exceeds its red and green by this much (0–255). Dark navy and ballpoint
 * blue pass; black, grey and red do not.
 */
const MIN_BLUE_MARGIN = 24;

const damaged = (detail: string) => signatureImageError('signature_image_damaged', 422, { detail });

/**
 * Checks an uploaded signature image and returns its pixel size, or throws a DomainError saying what is
 * wrong: too large (413), not a PNG (415), damaged, unsupported, wrong size, not transparent, empty or not
 * blue (422).
 */
export function checkSignatureImage(bytes: Uint8Array): { width: number; height: number } {
  if (bytes.length > SIGNATURE_IMAGE_MAX_BYTES) {
    throw signatureImageError('signature_image_too_large', 413, {
      size: bytes.length,
      limit: SIGNATURE_IMAGE_MAX_BYTES,
    });
  }
  if (!isPng(bytes)) throw signatureImageError('signature_image_not_png', 415);
  let header: PngLayout | undefined;
  let palette: Uint8Array | undefined;
  let transparency: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  let idatEnded = false;
  for (const { type, data, end } of pngChunks(bytes, damaged)) {
    const length = data.length;
    if (!header && type !== 'IHDR') throw damaged('IHDR is not the first chunk');
    if (idat.length > 0 && type !== 'IDAT') idatEnded = true;
    switch (type) {
      case 'IHDR':
        if (header) throw damaged('two IHDR chunks');
        header = readHeader(data);
        break;
      case 'PLTE':
        if (idat.length > 0 || length % 3 !== 0 || length === 0 || length > 768) throw damaged('bad PLTE');
        palette = data;
        break;
      case 'tRNS':
        if (idat.length > 0) throw damaged('tRNS after image data');
        transparency = data;
        break;
      case 'IDAT':
        if (idatEnded) throw damaged('image data split by other chunks');
        idat.push(data);
        break;
      case 'IEND':
        if (end !== bytes.length) throw damaged('data after IEND');
        break;
      default:
        // Critical chunks (upper-case first letter) change how the image reads: refuse the unknown ones.
        // Ancillary ones (text, colour profile, dates) do not, and are ignored, as a PDF embedder does.
        if (/^[A-Z]/.test(type)) {
          throw signatureImageError('signature_image_unsupported', 422, { detail: `chunk ${type}` });
        }
    }
  }
  if (!header) throw damaged('no IHDR');
  if (idat.length === 0) throw damaged('no image data');
  if (header.colorType === 3 && !palette) throw damaged('indexed image without a palette');

  const pixels = unfilterPng(header, inflatePng(header, Buffer.concat(idat), damaged), damaged);
  checkInk(header, pixels, palette, transparency);
  return { width: header.width, height: header.height };
}

function readHeader(data: Uint8Array): PngLayout {
  if (data.length !== 13) throw damaged('bad IHDR');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const width = view.getUint32(0);
  const height = view.getUint32(4);
  const [bitDepth, colorType, compression, filter, interlace] = data.subarray(8);
  if (compression !== 0 || filter !== 0 || colorType === undefined || !(colorType in CHANNELS)) {
    throw damaged('bad IHDR');
  }
  // Size first: the pixel count bounds everything decoded below.
  const { minWidth, maxWidth, minHeight, maxHeight } = SIGNATURE_IMAGE_PIXELS;
  if (width < minWidth || width > maxWidth || height < minHeight || height > maxHeight) {
    throw signatureImageError('signature_image_dimensions', 422, {
      width,
      height,
      minWidth,
      maxWidth,
      minHeight,
      maxHeight,
    });
  }
  if (bitDepth !== 8) {
    throw signatureImageError('signature_image_unsupported', 422, { detail: `${bitDepth}-bit samples` });
  }
  if (interlace !== 0)
    throw signatureImageError('signature_image_unsupported', 422, { detail: 'interlaced' });
  return { width, height, colorType };
}

/** The D30 look: a transparent background, some ink, and the ink blue. */
function checkInk(
  header: PngLayout,
  samples: Uint8Array,
  palette: Uint8Array | undefined,
  transparency: Uint8Array | undefined,
): void {
  const { colorType } = header;
  const channels = CHANNELS[colorType] ?? 1;
  const paletteSize = palette ? palette.length / 3 : 0;
  // tRNS for grey and RGB names one 16-bit sample value (or triple) as transparent.
  const key = (i: number) =>
    transparency && transparency.length >= i * 2 + 2 ? transparency[i * 2 + 1] : -1;
  let transparent = 0;
  let ink = 0;
  let weight = 0;
  let red = 0;
  let green = 0;
  let blue = 0;
  const pixels = header.width * header.height;
  for (let p = 0; p < pixels; p++) {
    const s = p * channels;
    let r: number;
    let g: number;
    let b: number;
    let alpha: number;
    switch (colorType) {
      case 6:
        [r, g, b, alpha] = [samples[s] ?? 0, samples[s + 1] ?? 0, samples[s + 2] ?? 0, samples[s + 3] ?? 0];
        break;
      case 4:
        r = g = b = samples[s] ?? 0;
        alpha = samples[s + 1] ?? 0;
        break;
      case 3: {
        const index = samples[s] ?? 0;
        if (index >= paletteSize) throw damaged(`palette index ${index} beyond the palette`);
        [r, g, b] = [palette?.[index * 3] ?? 0, palette?.[index * 3 + 1] ?? 0, palette?.[index * 3 + 2] ?? 0];
        alpha = transparency?.[index] ?? 255;
        break;
      }
      case 2:
        [r, g, b] = [samples[s] ?? 0, samples[s + 1] ?? 0, samples[s + 2] ?? 0];
        alpha = r === key(0) && g === key(1) && b === key(2) ? 0 : 255;
        break;
      default:
        r = g = b = samples[s] ?? 0;
        alpha = r === key(0) ? 0 : 255;
    }
    if (alpha === 0) transparent++;
    if (alpha >= 128) ink++;
    weight += alpha;
    red += alpha * r;
    green += alpha * g;
    blue += alpha * b;
  }
  if (transparent < pixels * MIN_TRANSPARENT_FRACTION) {
    throw signatureImageError('signature_image_not_transparent', 422, {
      percent: Math.round((100 * transparent) / pixels),
    });
  }
  if (ink < MIN_INK_PIXELS) throw signatureImageError('signature_image_empty', 422);
  const [r, g, b] = [red / weight, green / weight, blue / weight].map(Math.round) as [number, number, number];
  if (b - Math.max(r, g) < MIN_BLUE_MARGIN) {
    throw signatureImageError('signature_image_not_blue', 422, { color: `rgb(${r}, ${g}, ${b})` });
  }
}

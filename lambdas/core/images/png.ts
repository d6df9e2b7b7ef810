import { crc32, inflateSync } from 'node:zlib';

/*
 * The PNG mechanics (ISO/IEC 15948) that both readers of PNGs share: the signature-image check
 * (domain/signature-image.ts) and the PDF image embedder (pdf/images.ts). What a chunk means and which
 * files are accepted stay with each caller, which also names its own errors: `damaged` makes the error
 * for a file that breaks the format.
 */

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/** Samples per pixel by colour type: grey, RGB, palette index, grey + alpha, RGBA. */
export const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export type Damaged = (detail: string) => Error;

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

export interface PngChunk {
  readonly type: string;
  readonly data: Uint8Array;
  /** Where the next chunk starts (after IEND: where the image's bytes end). */
  readonly end: number;
}

/**
 * The chunks after the signature, each checked for length and CRC before it is yielded, up to and
 * including IEND; running out of bytes before IEND is damage.
 */
export function* pngChunks(bytes: Uint8Array, damaged: Damaged): Generator<PngChunk> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let offset = PNG_SIGNATURE.length; ; ) {
    if (offset + 12 > bytes.length) throw damaged('truncated (no IEND chunk)');
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    if (length > bytes.length - offset - 12) throw damaged(`truncated ${type} chunk`);
    if (crc32(bytes.subarray(offset + 4, offset + 8 + length)) !== view.getUint32(offset + 8 + length)) {
      throw damaged(`${type} chunk checksum mismatch`);
    }
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    offset += 12 + length;
    yield { type, data, end: offset };
    if (type === 'IEND') return;
  }
}

/** What decoding needs of IHDR (8-bit samples, not interlaced: the callers accept nothing else). */
export interface PngLayout {
  readonly width: number;
  readonly height: number;
  readonly colorType: number;
}

/** Bytes per row of samples, without the leading filter byte. */
export function rowBytes(layout: PngLayout): number {
  return layout.width * (CHANNELS[layout.colorType] ?? 1);
}

/** The image data inflated, never beyond the size the header announces (a zip bomb stops there). */
export function inflatePng(layout: PngLayout, data: Uint8Array, damaged: Damaged): Uint8Array {
  const expected = layout.height * (1 + rowBytes(layout));
  let inflated: Uint8Array;
  try {
    inflated = inflateSync(data, { maxOutputLength: expected });
  } catch (error) {
    throw damaged(
      (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
        ? 'more image data than the size announces'
        : 'image data cannot be decompressed',
    );
  }
  if (inflated.length !== expected) throw damaged('less image data than the size announces');
  return inflated;
}

/** Reverses the per-row filters (PNG §9): the samples, row after row, without the filter bytes. */
export function unfilterPng(layout: PngLayout, data: Uint8Array, damaged: Damaged): Uint8Array {
  const rowLength = rowBytes(layout);
  const stride = rowLength + 1;
  const bpp = CHANNELS[layout.colorType] ?? 1;
  const out = new Uint8Array(layout.height * rowLength);
  for (let y = 0; y < layout.height; y++) {
    const filter = data[y * stride] ?? 0;
    const src = y * stride + 1;
    const row = y * rowLength;
    const up = row - rowLength;
    const hasUp = y > 0;
    for (let i = 0; i < rowLength; i++) {
      const x = data[src + i] ?? 0;
      const a = i >= bpp ? (out[row + i - bpp] ?? 0) : 0;
      const b = hasUp ? (out[up + i] ?? 0) : 0;
      let value: number;
      switch (filter) {
        case 0:
          value = x;
          break;
        case 1:
          value = x + a;
          break;
        case 2:
          value = x + b;
          break;
        case 3:
          value = x + ((a + b) >> 1);
          break;
        case 4: {
          const c = hasUp && i >= bpp ? (out[up + i - bpp] ?? 0) : 0;
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          value = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          throw damaged(`unknown row filter ${filter}`);
      }
      out[row + i] = value & 0xff;
    }
  }
  return out;
}

import { constants, deflateSync, inflateSync } from 'node:zlib';

/*
 * `pako` as the Lambda bundles see it (lib/bundling.ts aliases it here): @libpdf/core's Flate filter and
 * PNG code call pako, 47 KiB of JavaScript re-implementing the zlib that Node already carries. This is the
 * part of pako's API libpdf uses, over node:zlib: `inflate`, `deflate`, and the streaming `Inflate` class
 * that libpdf's fallback reads a stream ending in a sync-flush marker (no final block) with.
 */

const view = (buffer: Buffer): Uint8Array => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);

/** Throws on a damaged or truncated stream, as pako does. */
export function inflate(data: Uint8Array): Uint8Array {
  return view(inflateSync(data));
}

export function deflate(data: Uint8Array): Uint8Array {
  return view(deflateSync(data));
}

/** What was decompressed before the data ended, as pako's `strm` reports it after `push(data, false)`. */
export class Inflate {
  strm: { total_out: number; output: Uint8Array | undefined } = { total_out: 0, output: undefined };

  push(data: Uint8Array): boolean {
    const out = inflateSync(data, { finishFlush: constants.Z_SYNC_FLUSH });
    this.strm = { total_out: out.length, output: view(out) };
    return true;
  }
}

export default { inflate, deflate, Inflate };

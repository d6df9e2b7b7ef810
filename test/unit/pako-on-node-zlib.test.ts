import { constants, deflateSync } from 'node:zlib';
import pako from 'pako';
import { describe, expect, it } from 'vitest';
import shim, { deflate, Inflate, inflate } from '../../lib/pako-on-node-zlib';

/* The Lambda bundles' `pako` (lib/bundling.ts) answers as pako does where @libpdf/core calls it. */

const text = new TextEncoder().encode(
  'BT /F1 12 Tf 72 720 Td (Quyết định số 18/QĐ-UBND) Tj ET\n'.repeat(200),
);

describe('pako over node:zlib', () => {
  it('inflates what pako deflated and the other way round, byte for byte', () => {
    expect(inflate(pako.deflate(text))).toEqual(text);
    expect(pako.inflate(deflate(text))).toEqual(text);
    expect(shim.inflate(deflateSync(text))).toEqual(text);
  });

  it('throws on a damaged stream, as pako does, so that libpdf falls back', () => {
    const damaged = deflateSync(text).slice(0, 40);
    damaged[10] = (damaged[10] ?? 0) ^ 0xff;
    expect(() => inflate(damaged)).toThrow();
  });

  it('recovers a stream ending in a sync-flush marker as pako.Inflate does', () => {
    // What PDFium writes: a sync flush (00 00 FF FF) and no final block or Adler-32.
    const flushed = deflateSync(text, { finishFlush: constants.Z_SYNC_FLUSH });
    expect([...flushed.slice(-4)]).toEqual([0x00, 0x00, 0xff, 0xff]);
    // pako's types leave out `strm`, which libpdf's fallback reads.
    const theirs = new pako.Inflate() as pako.Inflate & { strm: { total_out: number; output: Uint8Array } };
    theirs.push(flushed, false);
    const ours = new Inflate();
    ours.push(flushed);
    expect(ours.strm.total_out).toBe(theirs.strm.total_out);
    expect(ours.strm.output?.slice(0, ours.strm.total_out)).toEqual(
      new Uint8Array(theirs.strm.output.slice(0, theirs.strm.total_out)),
    );
  });
});

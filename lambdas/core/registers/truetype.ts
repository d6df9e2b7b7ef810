/*
 * What the register printer needs from a TrueType font: the glyph of each character (cmap), each glyph's
 * advance width (hmtx), and the metrics of its font descriptor. A few table reads, so that the printer
 * carries no PDF library (the `inbox` function's bundle stays small).
 */

export interface TrueTypeFont {
  readonly bytes: Uint8Array;
  readonly unitsPerEm: number;
  readonly ascent: number;
  readonly descent: number;
  readonly bbox: readonly [number, number, number, number];
  glyphOf(codePoint: number): number;
  advanceOf(glyph: number): number;
}

export function parseTrueType(bytes: Uint8Array): TrueTypeFont {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = new Map<string, number>();
  const numTables = view.getUint16(4);
  for (let i = 0; i < numTables; i++) {
    const at = 12 + i * 16;
    const tag = String.fromCharCode(...bytes.subarray(at, at + 4));
    tables.set(tag, view.getUint32(at + 8));
  }
  const table = (tag: string) => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`font has no ${tag} table`);
    return offset;
  };
  const head = table('head');
  const hhea = table('hhea');
  const hmtx = table('hmtx');
  const unitsPerEm = view.getUint16(head + 18);
  const bbox = [
    view.getInt16(head + 36),
    view.getInt16(head + 38),
    view.getInt16(head + 40),
    view.getInt16(head + 42),
  ] as const;
  const ascent = view.getInt16(hhea + 4);
  const descent = view.getInt16(hhea + 6);
  const metrics = view.getUint16(hhea + 34);

  const cmap = table('cmap');
  let format4: number | undefined;
  let format12: number | undefined;
  for (let i = 0; i < view.getUint16(cmap + 2); i++) {
    const platform = view.getUint16(cmap + 4 + i * 8);
    const encoding = view.getUint16(cmap + 6 + i * 8);
    const sub = cmap + view.getUint32(cmap + 8 + i * 8);
    const format = view.getUint16(sub);
    if (platform === 3 && encoding === 10 && format === 12) format12 = sub;
    if ((platform === 3 && encoding === 1) || platform === 0) if (format === 4) format4 ??= sub;
  }
  const cache = new Map<number, number>();
  const lookup4 = (sub: number, code: number): number => {
    if (code > 0xffff) return 0;
    const segX2 = view.getUint16(sub + 6);
    const ends = sub + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const ranges = deltas + segX2;
    for (let s = 0; s < segX2; s += 2) {
      if (view.getUint16(ends + s) < code) continue;
      const start = view.getUint16(starts + s);
      if (start > code) return 0;
      const delta = view.getInt16(deltas + s);
      const range = view.getUint16(ranges + s);
      if (range === 0) return (code + delta) & 0xffff;
      const glyph = view.getUint16(ranges + s + range + (code - start) * 2);
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
  const lookup12 = (sub: number, code: number): number => {
    const groups = view.getUint32(sub + 12);
    for (let g = 0; g < groups; g++) {
      const at = sub + 16 + g * 12;
      const start = view.getUint32(at);
      if (code >= start && code <= view.getUint32(at + 4)) return view.getUint32(at + 8) + (code - start);
    }
    return 0;
  };
  return {
    bytes,
    unitsPerEm,
    ascent,
    descent,
    bbox,
    glyphOf(code) {
      let glyph = cache.get(code);
      if (glyph === undefined) {
        glyph =
          format12 !== undefined
            ? lookup12(format12, code)
            : format4 !== undefined
              ? lookup4(format4, code)
              : 0;
        cache.set(code, glyph);
      }
      return glyph;
    },
    advanceOf(glyph) {
      return view.getUint16(hmtx + Math.min(glyph, metrics - 1) * 4);
    },
  };
}

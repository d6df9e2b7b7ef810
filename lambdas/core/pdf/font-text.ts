import { type PdfDict, PdfName, PdfNumber, PdfStream } from '@libpdf/core';
import type { Revision } from './reader';

/*
 * The characters a font's codes stand for (ISO 32000-1 §9.10): its /ToUnicode CMap first (what LibreOffice,
 * Word and most producers write for Vietnamese text, whose subset fonts number glyphs in drawing order), else
 * for a simple font its encoding (WinAnsi, MacRoman or Standard as Latin-1) with /Differences by glyph name.
 * Read to find the template's "Số:" and "ngày … tháng … năm" lines; a code without a known meaning is ''.
 */

export type CodeText = (code: number) => string;

function utf16be(hex: string): string {
  const units: number[] = [];
  for (let i = 0; i + 4 <= hex.length; i += 4) units.push(Number.parseInt(hex.slice(i, i + 4), 16));
  if (hex.length === 2) units.push(Number.parseInt(hex, 16));
  return String.fromCharCode(...units.filter((u) => Number.isFinite(u)));
}

/** Increments the last UTF-16 unit of `text` by `by` (bfrange destinations, §9.10.3). */
function offset(text: string, by: number): string {
  if (!text) return text;
  return text.slice(0, -1) + String.fromCharCode(text.charCodeAt(text.length - 1) + by);
}

const TOKEN = /<([0-9A-Fa-f\s]*)>|\[|\]|\/[^\s/<>[\]()]+|begin\w+|end\w+/g;

/** The bfchar and bfrange entries of a ToUnicode CMap. */
export function parseToUnicode(data: Uint8Array): Map<number, string> {
  const map = new Map<number, string>();
  const text = new TextDecoder('latin1').decode(data);
  const tokens = [...text.matchAll(TOKEN)].map((m) =>
    m[1] !== undefined ? { hex: m[1].replace(/\s+/g, '') } : { word: m[0] },
  );
  let mode: 'char' | 'range' | undefined;
  for (let i = 0; i < tokens.length; ) {
    const t = tokens[i] as { hex?: string; word?: string };
    if (t.word === 'beginbfchar') mode = 'char';
    else if (t.word === 'beginbfrange') mode = 'range';
    else if (t.word === 'endbfchar' || t.word === 'endbfrange') mode = undefined;
    else if (mode === 'char' && t.hex !== undefined) {
      const dst = tokens[i + 1];
      if (dst && 'hex' in dst && dst.hex !== undefined)
        map.set(Number.parseInt(t.hex || '0', 16), utf16be(dst.hex));
      i += 2;
      continue;
    } else if (mode === 'range' && t.hex !== undefined) {
      const hi = tokens[i + 1];
      const dst = tokens[i + 2];
      if (!hi || !('hex' in hi) || hi.hex === undefined || !dst) break;
      const lo = Number.parseInt(t.hex || '0', 16);
      const last = Math.min(Number.parseInt(hi.hex || '0', 16), lo + 0xffff);
      if ('hex' in dst && dst.hex !== undefined) {
        const base = utf16be(dst.hex);
        for (let c = lo; c <= last; c++) map.set(c, offset(base, c - lo));
        i += 3;
        continue;
      }
      if (dst.word === '[') {
        let k = i + 3;
        for (let c = lo; k < tokens.length && (tokens[k] as { word?: string }).word !== ']'; c++, k++) {
          const item = tokens[k] as { hex?: string };
          if (item.hex !== undefined && c <= last) map.set(c, utf16be(item.hex));
        }
        i = k + 1;
        continue;
      }
    }
    i++;
  }
  return map;
}

/** WinAnsiEncoding's codes 128–159 (the rest of 32–255 is Latin-1). */
const WIN_ANSI_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

const GLYPH_NAMES: Record<string, string> = {
  space: ' ',
  colon: ':',
  slash: '/',
  hyphen: '-',
  comma: ',',
  period: '.',
  ellipsis: '…',
  underscore: '_',
  parenleft: '(',
  parenright: ')',
  zero: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
};

/** The character a glyph name stands for: uniXXXX, uXXXX[XX], a letter, or a few common names. */
export function glyphNameText(name: string): string {
  const uni = /^uni([0-9A-Fa-f]{4})/.exec(name);
  if (uni) return String.fromCharCode(Number.parseInt(uni[1] as string, 16));
  const u = /^u([0-9A-Fa-f]{4,6})$/.exec(name);
  if (u) {
    const cp = Number.parseInt(u[1] as string, 16);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
  }
  if (/^[A-Za-z]$/.test(name)) return name;
  return GLYPH_NAMES[name] ?? '';
}

function simpleEncoding(rev: Revision, font: PdfDict): CodeText {
  const table = new Map<number, string>();
  const encoding = rev.resolve(font.get('Encoding'));
  const differences =
    encoding && !(encoding instanceof PdfName) ? rev.dict(encoding)?.get('Differences') : undefined;
  const items = rev.array(differences)?.toArray() ?? [];
  let code = 0;
  for (const item of items) {
    const v = rev.resolve(item);
    if (v instanceof PdfNumber) code = v.value;
    else if (v instanceof PdfName) table.set(code++, glyphNameText(v.value));
  }
  return (c) => {
    const known = table.get(c);
    if (known !== undefined) return known;
    if (c >= 32 && c < 127) return String.fromCharCode(c);
    if (c >= 128 && c < 160) return WIN_ANSI_HIGH[c - 128] ?? '';
    if (c >= 160 && c <= 255) return String.fromCharCode(c);
    return '';
  };
}

/** How `font`'s codes read as text. */
export function codeText(rev: Revision, font: PdfDict): CodeText {
  const toUnicode = rev.resolve(font.get('ToUnicode'));
  if (toUnicode instanceof PdfStream) {
    try {
      const map = parseToUnicode(rev.decoded(toUnicode));
      if (map.size) {
        const fallback = font.getName('Subtype')?.value === 'Type0' ? () => '' : simpleEncoding(rev, font);
        return (c) => map.get(c) ?? fallback(c);
      }
    } catch {
      // An unreadable CMap: the encoding, as if there were none.
    }
  }
  if (font.getName('Subtype')?.value === 'Type0') return () => '';
  return simpleEncoding(rev, font);
}

import { type PdfArray, PdfString } from '@libpdf/core';
import { describe, expect, it } from 'vitest';
import { bytesWindow, Parser, PdfStructureError, sourceWindow } from '../../lambdas/core/pdf/objects';

/** The object at the start of `text`, read through a window over a source read in small pieces. */
function parse(text: string | Uint8Array, windowed = false) {
  const bytes = typeof text === 'string' ? new Uint8Array(Buffer.from(text, 'latin1')) : text;
  const win = windowed
    ? sourceWindow({ size: bytes.length, readSync: (at, length) => bytes.slice(at, at + length) })
    : bytesWindow(bytes);
  const parser = new Parser(win, 0);
  return { value: parser.value(0), parser };
}

const hexBytes = (text: string) => {
  const { value } = parse(text);
  expect(value).toBeInstanceOf(PdfString);
  return Buffer.from((value as PdfString).bytes).toString('latin1');
};

describe('hex strings (the lazy reader, lambdas/core/pdf/objects.ts)', () => {
  it('decodes digits of either case, skips whitespace and any other byte, pads a last odd digit with 0', () => {
    expect(hexBytes('<48656C6c6F>')).toBe('Hello');
    expect(hexBytes('<48 65\n6c\r\n6C\t6F\f>')).toBe('Hello');
    expect(hexBytes('<486>')).toBe('H`');
    expect(hexBytes('<48zz65\xa06c>')).toBe('Hel');
    expect(hexBytes('<>')).toBe('');
  });

  it('reads a signature-sized /Contents across the window’s pieces and goes on right after it', () => {
    const content = Buffer.alloc(150_000);
    for (let i = 0; i < content.length; i++) content[i] = (i * 7919) % 256;
    const hex = content.toString('hex').toUpperCase();
    // Line breaks every 64 digits, as some writers do.
    const wrapped = hex.replace(/(.{64})/g, '$1\n');
    for (const windowed of [false, true]) {
      const { value, parser } = parse(`[<${wrapped}> /Next]`, windowed);
      const array = value as PdfArray;
      expect(Buffer.from((array.at(0) as PdfString).bytes).equals(content)).toBe(true);
      expect(array.length).toBe(2);
      expect(parser.pos).toBe(wrapped.length + 10);
    }
  });

  it('refuses an unterminated one as a structure error', () => {
    expect(() => parse('<48656C')).toThrow(PdfStructureError);
    expect(() => parse('<48656C', true)).toThrow(/unterminated hex string/);
  });
});

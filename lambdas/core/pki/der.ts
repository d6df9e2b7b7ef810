import * as asn1js from 'asn1js';
import { toArrayBuffer } from './asn1';

/*
 * A small BER/DER reader over the original bytes, for the verification path. asn1js decodes every element
 * into objects (and tries to parse the inside of every BIT and OCTET STRING), then pkijs matches them
 * against a schema, and getting bytes back means re-encoding: together ~80% of verifying a small PDF.
 * Here an element is a window on the input (subarrays, never copies), children are read only when asked,
 * and the bytes a signature covers are the bytes received. Building structures stays with asn1js/pkijs.
 */

/** ASN.1 universal tag numbers used here. */
export const TAG = {
  boolean: 1,
  integer: 2,
  bitString: 3,
  octetString: 4,
  null: 5,
  oid: 6,
  utf8String: 12,
  sequence: 16,
  set: 17,
  printableString: 19,
  utcTime: 23,
  generalizedTime: 24,
  universalString: 28,
  bmpString: 30,
} as const;

export const CLASS = { universal: 0, application: 1, context: 2, private: 3 } as const;

/** Nesting allowed for indefinite-length elements (each level recurses to find its end). */
const MAX_DEPTH = 64;

export class Der {
  private kids: Der[] | undefined;

  private constructor(
    private readonly buffer: Uint8Array,
    private readonly what: string,
    private readonly depth: number,
    /** 0 universal, 1 application, 2 context-specific, 3 private. */
    readonly tagClass: number,
    readonly constructed: boolean,
    readonly tagNumber: number,
    readonly start: number,
    readonly contentStart: number,
    readonly contentEnd: number,
    readonly end: number,
  ) {}

  /**
   * The first element of `bytes`; what follows it is ignored (a PDF's /Contents is zero-padded after the
   * CMS, as asn1js's fromBER also ignores). `what` names the structure in error messages.
   */
  static read(bytes: Uint8Array, what: string): Der {
    return Der.at(bytes, 0, bytes.length, what, 0);
  }

  private static at(bytes: Uint8Array, offset: number, limit: number, what: string, depth: number): Der {
    const fail = (why: string): never => {
      throw new Error(`malformed DER in ${what}: ${why} at offset ${offset}`);
    };
    if (depth > MAX_DEPTH) fail('nested too deeply');
    if (offset >= limit) fail('missing element');
    const id = bytes[offset] as number;
    const tagClass = id >> 6;
    const constructed = (id & 0x20) !== 0;
    let tagNumber = id & 0x1f;
    let at = offset + 1;
    if (tagNumber === 0x1f) {
      tagNumber = 0;
      for (let n = 0; ; n++) {
        if (n === 4 || at >= limit) fail('bad tag');
        const b = bytes[at++] as number;
        tagNumber = tagNumber * 128 + (b & 0x7f);
        if ((b & 0x80) === 0) break;
      }
    }
    if (at >= limit) fail('missing length');
    const first = bytes[at++] as number;
    if (first === 0x80) {
      // BER indefinite length: children up to an end-of-contents (00 00).
      if (!constructed) fail('indefinite length on a primitive element');
      let child = at;
      for (;;) {
        if (child + 1 < limit && bytes[child] === 0 && bytes[child + 1] === 0) break;
        child = Der.at(bytes, child, limit, what, depth + 1).end;
      }
      return new Der(bytes, what, depth, tagClass, constructed, tagNumber, offset, at, child, child + 2);
    }
    let length = first;
    if (first > 0x80) {
      const n = first & 0x7f;
      if (n > 4 || at + n > limit) fail('bad length');
      length = 0;
      for (let i = 0; i < n; i++) length = length * 256 + (bytes[at++] as number);
    }
    if (at + length > limit) fail('truncated');
    return new Der(
      bytes,
      what,
      depth,
      tagClass,
      constructed,
      tagNumber,
      offset,
      at,
      at + length,
      at + length,
    );
  }

  /** The whole element (identifier, length, content) as received. */
  get raw(): Uint8Array {
    return this.buffer.subarray(this.start, this.end);
  }

  /** The content octets of a primitive element. */
  get content(): Uint8Array {
    return this.buffer.subarray(this.contentStart, this.contentEnd);
  }

  is(tagClass: number, tagNumber: number): boolean {
    return this.tagClass === tagClass && this.tagNumber === tagNumber;
  }

  isUniversal(tagNumber: number): boolean {
    return this.is(CLASS.universal, tagNumber);
  }

  private fail(why: string): never {
    throw new Error(`malformed DER in ${this.what}: ${why} at offset ${this.start}`);
  }

  children(): readonly Der[] {
    if (this.kids) return this.kids;
    if (!this.constructed) this.fail('a primitive element has no children');
    const kids: Der[] = [];
    for (let at = this.contentStart; at < this.contentEnd; ) {
      const child = Der.at(this.buffer, at, this.contentEnd, this.what, this.depth + 1);
      if (child.tagClass === CLASS.universal && child.tagNumber === 0)
        this.fail('unexpected end-of-contents');
      kids.push(child);
      at = child.end;
    }
    this.kids = kids;
    return kids;
  }

  child(index: number): Der | undefined {
    return this.children()[index];
  }

  /** This element, checked to be a universal `tagNumber` (SEQUENCE, INTEGER, …). */
  expect(tagNumber: number, name = `universal tag ${tagNumber}`): Der {
    if (!this.isUniversal(tagNumber)) this.fail(`expected ${name}`);
    return this;
  }

  /** Children of a SEQUENCE or SET. */
  items(name = 'SEQUENCE'): readonly Der[] {
    if (!this.constructed || this.tagClass !== CLASS.universal) this.fail(`expected ${name}`);
    return this.children();
  }

  /** OBJECT IDENTIFIER in dotted form. */
  oid(): string {
    if (!this.isUniversal(TAG.oid) || this.constructed) this.fail('expected OBJECT IDENTIFIER');
    const bytes = this.content;
    if (bytes.length === 0) this.fail('empty OBJECT IDENTIFIER');
    const arcs: string[] = [];
    let value = 0n;
    let small = 0;
    let big = false;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i] as number;
      // Arcs fit a double while below 2^46; longer ones (UUID arcs) continue in a bigint.
      if (!big && small >= 2 ** 46) {
        big = true;
        value = BigInt(small);
      }
      if (big) value = value * 128n + BigInt(b & 0x7f);
      else small = small * 128 + (b & 0x7f);
      if (b & 0x80) {
        if (i === bytes.length - 1) this.fail('truncated OBJECT IDENTIFIER');
        continue;
      }
      const arc = big ? value : BigInt(small);
      if (arcs.length === 0) {
        const top = arc < 40n ? 0n : arc < 80n ? 1n : 2n;
        arcs.push(String(top), String(arc - top * 40n));
      } else arcs.push(String(arc));
      value = 0n;
      small = 0;
      big = false;
    }
    return arcs.join('.');
  }

  /** The octets of an OCTET STRING, also when BER-encoded in constructed pieces. */
  octets(): Uint8Array {
    if (!this.isUniversal(TAG.octetString)) this.fail('expected OCTET STRING');
    if (!this.constructed) return this.content;
    return new Uint8Array(Buffer.concat(this.children().map((c) => c.octets())));
  }

  /** The content octets of an INTEGER (two's complement, big-endian, as encoded). */
  integer(): Uint8Array {
    if (!this.isUniversal(TAG.integer) || this.constructed) this.fail('expected INTEGER');
    if (this.content.length === 0) this.fail('empty INTEGER');
    return this.content;
  }

  /** A small non-negative INTEGER (or ENUMERATED, with its tag) as a number. */
  smallInteger(tagNumber: number = TAG.integer): number {
    if (!this.isUniversal(tagNumber) || this.constructed || this.content.length === 0)
      this.fail('expected INTEGER');
    const bytes = this.content;
    if (bytes.length > 6 || ((bytes[0] as number) & 0x80) !== 0) this.fail('INTEGER out of range');
    let n = 0;
    for (const b of bytes) n = n * 256 + b;
    return n;
  }

  boolean(): boolean {
    if (!this.isUniversal(TAG.boolean) || this.content.length !== 1) this.fail('expected BOOLEAN');
    return this.content[0] !== 0;
  }

  /** The bits of a BIT STRING (after the unused-bits octet), as asn1js's valueHexView gives them. */
  bitString(): Uint8Array {
    if (!this.isUniversal(TAG.bitString) || this.constructed) this.fail('expected BIT STRING');
    const bytes = this.content;
    if (bytes.length === 0 || (bytes[0] as number) > 7) this.fail('bad BIT STRING');
    return bytes.subarray(1);
  }

  /** UTCTime or GeneralizedTime as a Date, with asn1js's reading for anything but the RFC 5280 forms. */
  time(): Date {
    const text = Buffer.from(this.content).toString('latin1');
    if (this.isUniversal(TAG.utcTime)) {
      const m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
      if (m) {
        const yy = Number(m[1]);
        return utc(yy >= 50 ? 1900 + yy : 2000 + yy, m);
      }
      return new asn1js.UTCTime({ value: text }).toDate();
    }
    if (this.isUniversal(TAG.generalizedTime)) {
      // Fractions of a second as asn1js reads them (milliseconds, rounded down): RFC 3161 timestamps have them.
      const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d+))?Z$/.exec(text);
      if (m) {
        const at = utc(Number(m[1]), m);
        return m[7] ? new Date(at.getTime() + Math.floor(1000 * Number(`0.${m[7]}`))) : at;
      }
      const parsed = asn1js.fromBER(toArrayBuffer(this.raw));
      if (parsed.offset !== -1 && parsed.result instanceof asn1js.GeneralizedTime)
        return parsed.result.toDate();
    }
    return this.fail('expected a time');
  }

  /** A directory string as asn1js reads it ('' for a value that is not a string). */
  string(): string {
    if (this.tagClass !== CLASS.universal || this.constructed) return '';
    const bytes = Buffer.from(this.content);
    switch (this.tagNumber) {
      case TAG.utf8String:
        return bytes.toString('utf8');
      case TAG.bmpString: {
        // UTF-16 big-endian; node decodes little-endian.
        const swapped = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
        return swapped.swap16().toString('utf16le');
      }
      case TAG.universalString: {
        let out = '';
        for (let i = 0; i + 3 < bytes.length; i += 4) {
          const cp = bytes.readUInt32BE(i);
          out += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
        }
        return out;
      }
      // NumericString, PrintableString, TeletexString, VideotexString, IA5String, GraphicString,
      // VisibleString, GeneralString, CharacterString: one character per octet.
      case 18:
      case 19:
      case 20:
      case 21:
      case 22:
      case 25:
      case 26:
      case 27:
      case 29:
        return bytes.toString('latin1');
      default:
        return '';
    }
  }
}

function utc(year: number, m: RegExpExecArray): Date {
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

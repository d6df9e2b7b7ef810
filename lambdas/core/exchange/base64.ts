import { exchangeError } from '../i18n/exchange';

/*
 * Base64 in chunks, so an attachment is encoded into a package and decoded out of one as it streams: the
 * encoder carries at most two bytes between chunks, the decoder at most three characters; neither holds
 * the file.
 */

export async function* encodeBase64(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  let carry: Uint8Array = new Uint8Array(0);
  for await (const chunk of chunks) {
    const joined = carry.length ? concat(carry, chunk) : chunk;
    const whole = joined.length - (joined.length % 3);
    if (whole > 0) yield Buffer.from(joined.buffer, joined.byteOffset, whole).toString('base64');
    carry = joined.slice(whole);
  }
  if (carry.length) yield Buffer.from(carry).toString('base64');
}

const ALPHABET = /^[A-Za-z0-9+/]*$/;
const WHITESPACE = /[\t\n\r ]+/g;

/** Decodes base64 text given piece by piece; `end` checks that nothing was cut short. */
export class Base64Decoder {
  #rest = '';
  #padded = false;

  constructor(private readonly contentId: string) {}

  /** The bytes the text so far decodes to (a multiple of four characters; the rest waits). */
  push(text: string): Uint8Array {
    const clean = this.#rest + text.replace(WHITESPACE, '');
    if (clean.length === 0) return new Uint8Array(0);
    if (this.#padded) throw this.#invalid();
    const pad = clean.indexOf('=');
    if (pad >= 0) {
      // Padding ends the content: one '=' after 3 characters of a quad, two after 2.
      const tail = clean.slice(pad);
      const body = clean.slice(0, pad);
      if (!/^={1,2}$/.test(tail) || !ALPHABET.test(body) || (body.length % 4) + tail.length !== 4)
        throw this.#invalid();
      this.#padded = true;
      this.#rest = '';
      return Buffer.from(body, 'base64');
    }
    if (!ALPHABET.test(clean)) throw this.#invalid();
    const whole = clean.length - (clean.length % 4);
    this.#rest = clean.slice(whole);
    return whole ? Buffer.from(clean.slice(0, whole), 'base64') : new Uint8Array(0);
  }

  /** The last bytes; an unpadded tail that cannot be a quad's end is refused. */
  end(): Uint8Array {
    const rest = this.#rest;
    this.#rest = '';
    if (rest.length === 1) throw this.#invalid();
    return rest ? Buffer.from(rest, 'base64') : new Uint8Array(0);
  }

  #invalid() {
    return exchangeError('exchange_bad_base64', 422, { contentId: this.contentId });
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

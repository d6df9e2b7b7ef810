/**
 * JSON Canonicalization Scheme (RFC 8785): object members sorted by the UTF-16 code units of their names,
 * no whitespace, strings and numbers serialised as ECMAScript's JSON.stringify does (which RFC 8785 adopts).
 * Members whose value is `undefined` are left out, as JSON.stringify does, so that an object hashes the same
 * before and after a JSON round trip. Throws on what JSON cannot carry: non-finite numbers, lone surrogates,
 * bigint, functions, symbols, `undefined` in arrays and objects that are not plain (Date, Map…).
 */
export function canonicalize(value: unknown): string {
  switch (typeof value) {
    case 'string':
      if (/\p{Cs}/u.test(value)) throw new TypeError('a string holds a lone surrogate (not I-JSON)');
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${value} is not a JSON number`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        return `[${value
          .map((item: unknown) => {
            if (item === undefined) throw new TypeError('undefined in an array');
            return canonicalize(item);
          })
          .join(',')}]`;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null)
        throw new TypeError('only plain objects are JSON objects');
      const entries = Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${canonicalize(k)}:${canonicalize(v)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`a ${typeof value} is not JSON`);
  }
}

import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../lambdas/core/log/canonical-json';

describe('RFC 8785 canonical JSON', () => {
  it('matches the RFC’s example (§3.2.2)', () => {
    const input: unknown = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    );
    expect(canonicalize(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts members by UTF-16 code units (§3.2.3)', () => {
    const input: Record<string, unknown> = JSON.parse(
      '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control", "\\u00f6": "Latin Small Letter O With Diaeresis"}',
    );
    // (Object.keys would list "1" first, as JavaScript orders integer-like keys; compare the text instead.)
    const order = ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'];
    const expected = `{${order.map((k) => `${JSON.stringify(k)}:${JSON.stringify(input[k])}`).join(',')}}`;
    expect(canonicalize(input)).toBe(expected);
    expect(expected.startsWith('{"\\r":"Carriage Return","1":"One","\u0080":"Control"')).toBe(true);
  });

  it('serialises numbers as ECMAScript does', () => {
    expect(canonicalize([0, -0, 1e21, 1e-7, 123456789012345680000, 5e-324, -1.5])).toBe(
      '[0,0,1e+21,1e-7,123456789012345680000,5e-324,-1.5]',
    );
  });

  it('sorts nested objects, keeps Vietnamese text as is and drops undefined members', () => {
    expect(canonicalize({ b: { d: 1, c: [{ z: 1, a: 'Đã ký' }] }, a: undefined })).toBe(
      '{"b":{"c":[{"a":"Đã ký","z":1}],"d":1}}',
    );
  });

  it('refuses what JSON cannot carry', () => {
    expect(() => canonicalize(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalize(Number.POSITIVE_INFINITY)).toThrow(TypeError);
    expect(() => canonicalize('\ud800')).toThrow(/surrogate/);
    expect(() => canonicalize(new Date(0))).toThrow(/plain/);
    expect(() => canonicalize([undefined])).toThrow(TypeError);
    expect(() => canonicalize(10n)).toThrow(TypeError);
  });
});

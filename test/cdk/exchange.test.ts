import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lib/constructs/docflow-function';
import { deployedFunctions, functionId, lambdaOf, template } from './synth';

/*
 * The national document exchange's configuration (issue 20): the stage's LGSP endpoint reaches the two
 * exchange functions only; external trust anchors reach every function that may check a signature.
 */

const URL = 'https://lgsp.hanoi.gov.vn.invalid/edxml';
const ROOTS = readFileSync(join(REPO_ROOT, 'test/fixtures/external-ca/root.pem'), 'utf8');
const environmentOf = (t: ReturnType<typeof template>, name: string) =>
  ((
    lambdaOf(t, functionId(name)).Properties.Environment as
      | { Variables?: Record<string, unknown> }
      | undefined
  )?.Variables ?? {}) as Record<string, unknown>;

describe('the exchange configuration', () => {
  const t = template({ context: { exchangeUrl: URL, trustedRootsPem: ROOTS } });

  it('gives the endpoint to the exchange functions and to no other', () => {
    for (const name of Object.keys(deployedFunctions)) {
      const expected = name === 'exchange' || name === 'exchangePoller' ? URL : undefined;
      expect(environmentOf(t, name).DOCFLOW_EXCHANGE_URL, name).toBe(expected);
    }
  });

  it('gives the external roots to every function', () => {
    for (const name of Object.keys(deployedFunctions))
      expect(environmentOf(t, name).DOCFLOW_TRUSTED_ROOTS_PEM, name).toBe(ROOTS);
  });

  it('refuses an endpoint without TLS and roots that are no certificates', () => {
    expect(() => template({ context: { exchangeUrl: 'http://lgsp.hanoi.gov.vn.invalid/edxml' } })).toThrow(
      /exchangeUrl/,
    );
    expect(() => template({ context: { trustedRootsPem: 'not a certificate' } })).toThrow(/trustedRootsPem/);
  });
});

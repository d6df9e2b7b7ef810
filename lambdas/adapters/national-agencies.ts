import { existsSync, readFileSync } from 'node:fs';
import { type Agency, parseNationalAgencies } from '../core/exchange/catalogue';

/*
 * The agencies outside the city (lambdas/core/exchange/national-agencies.csv, data in the repository, copied
 * beside the exchange function's bundle like the schema). Read once per process.
 */
const NAME = 'national-agencies.csv';

let agencies: readonly Agency[] | undefined;

export function nationalAgencies(): readonly Agency[] {
  if (agencies) return agencies;
  const candidates = [
    new URL(`./lambdas/core/exchange/${NAME}`, import.meta.url),
    new URL(`../core/exchange/${NAME}`, import.meta.url),
  ];
  const found = candidates.find((file) => existsSync(file));
  if (!found)
    throw new Error(
      `the agency catalogue is missing (looked at ${candidates.map((c) => c.pathname).join(', ')})`,
    );
  agencies = parseNationalAgencies(readFileSync(found, 'utf8'));
  return agencies;
}

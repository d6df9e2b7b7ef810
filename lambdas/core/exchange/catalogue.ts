import type { Directory } from '../domain/directory';
import { fold } from '../text/search';
import { agencyCodeOf } from './agency-codes';
import { AgencyCodeSchema } from './model';

/*
 * The catalogue of agency codes the send panel picks from: the city's organisations (their codes as
 * agency-codes.ts gives them; they are sent to inside docflow, so the panel shows them as such) and the
 * agencies outside the city listed in national-agencies.csv (data, beside the schema).
 */

export interface Agency {
  readonly organId: string;
  readonly organName: string;
  /** One of the city's organisations: sent to within docflow, not through the exchange. */
  readonly city: boolean;
}

/** Reads national-agencies.csv (`code,name`, a header line); a bad line is an error of the data. */
export function parseNationalAgencies(csv: string): Agency[] {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines[0]?.trim() !== 'code,name')
    throw new Error('national-agencies.csv: the header must be code,name');
  return lines.slice(1).map((line, i) => {
    const comma = line.indexOf(',');
    const code = AgencyCodeSchema.safeParse(line.slice(0, comma).trim());
    const name = line.slice(comma + 1).trim();
    if (comma < 0 || !code.success || !name)
      throw new Error(`national-agencies.csv line ${i + 2}: expected an agency code and a name`);
    return { organId: code.data, organName: name, city: false };
  });
}

export function agencyCatalogue(directory: Directory, national: readonly Agency[]): Agency[] {
  const city = directory.organisations.map((o) => ({
    organId: agencyCodeOf(directory, o),
    organName: o.name,
    city: true,
  }));
  const seen = new Set(city.map((a) => a.organId));
  return [...city, ...national.filter((a) => !seen.has(a.organId))];
}

export const AGENCY_SEARCH_LIMIT = 20;

/**
 * Agencies matching what a clerk types: a code exactly (or its beginning), or every word in the name with or
 * without diacritics ("bo noi vu" finds "Bộ Nội vụ"). The exact code first, then names that begin with the
 * query, then the rest by name.
 */
export function searchAgencies(
  catalogue: readonly Agency[],
  query: string,
  limit = AGENCY_SEARCH_LIMIT,
): Agency[] {
  const q = fold(query.trim());
  const words = q.split(/\s+/).filter(Boolean);
  const rank = (a: Agency): number => {
    const code = a.organId.toLowerCase();
    const name = fold(a.organName);
    if (q && code === q) return 0;
    if (q && code.startsWith(q)) return 1;
    if (q && name.startsWith(q)) return 2;
    return words.every((w) => name.includes(w)) ? 3 : -1;
  };
  return catalogue
    .map((a) => ({ a, r: rank(a) }))
    .filter(({ r }) => r >= 0)
    .sort((x, y) => x.r - y.r || x.a.organName.localeCompare(y.a.organName, 'vi'))
    .slice(0, limit)
    .map(({ a }) => a);
}

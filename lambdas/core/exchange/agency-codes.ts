import type { Directory, Organisation } from '../domain/directory';
import type { AgencyCode } from './model';

/*
 * Agency codes (mã định danh) of the city's organisations on the national exchange. The national catalogue
 * (QĐ 20/2020/QĐ-TTg) gives Hà Nội the suffix H26 and the city People's Committee 000.00.00.H26; the codes of
 * its agencies and wards are not in data/ yet, so docflow assigns stand-ins of the same shape, stable and
 * distinct: an agency 000.00.NN.H26 (its line in hanoi-departments.csv), a ward or commune the five digits
 * of its statistics code 000.04.01.H26 (00004). Loading the official codes replaces this one function.
 */

export const HANOI_SUFFIX = 'H26';
export const CITY_AGENCY_CODE = `000.00.00.${HANOI_SUFFIX}`;

const pad2 = (n: number) => String(n).padStart(2, '0');

export function agencyCodeOf(directory: Directory, org: Organisation): AgencyCode {
  switch (org.kind) {
    case 'city':
      return CITY_AGENCY_CODE;
    case 'department': {
      const n = directory.ofKind('department').findIndex((d) => d.id === org.id) + 1;
      return `000.00.${pad2(n)}.${HANOI_SUFFIX}`;
    }
    default: {
      const code = org.code.padStart(5, '0');
      return `${code.slice(0, 3)}.${code.slice(3, 5)}.01.${HANOI_SUFFIX}`;
    }
  }
}

const byCode = new WeakMap<Directory, ReadonlyMap<string, Organisation>>();

/** The city's organisation with this agency code, if any. */
export function organisationByAgencyCode(directory: Directory, code: string): Organisation | undefined {
  let map = byCode.get(directory);
  if (!map) {
    map = new Map(directory.organisations.map((o) => [agencyCodeOf(directory, o), o]));
    byCode.set(directory, map);
  }
  return map.get(code);
}

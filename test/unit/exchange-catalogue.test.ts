import { describe, expect, it } from 'vitest';
import { nationalAgencies } from '../../lambdas/adapters/national-agencies';
import { CITY_AGENCY_CODE } from '../../lambdas/core/exchange/agency-codes';
import {
  agencyCatalogue,
  parseNationalAgencies,
  searchAgencies,
} from '../../lambdas/core/exchange/catalogue';
import { directory } from './domain-fixtures';

describe('the catalogue of agency codes (issue 20)', () => {
  const catalogue = agencyCatalogue(directory, nationalAgencies());

  it("holds the city's organisations (sent to inside) and the agencies outside from the data file", () => {
    expect(catalogue.find((a) => a.organId === CITY_AGENCY_CODE)).toMatchObject({ city: true });
    expect(catalogue.filter((a) => a.city)).toHaveLength(directory.organisations.length);
    expect(catalogue.find((a) => a.organId === '000.00.00.G22')).toEqual({
      organId: '000.00.00.G22',
      organName: 'Văn phòng Chính phủ',
      city: false,
    });
    expect(new Set(catalogue.map((a) => a.organId)).size).toBe(catalogue.length);
  });

  it('finds an agency by its exact code first, by a code prefix, and by name with or without diacritics', () => {
    expect(searchAgencies(catalogue, '000.00.00.G22')[0]?.organName).toBe('Văn phòng Chính phủ');
    expect(searchAgencies(catalogue, '000.00.00.g09').map((a) => a.organName)).toEqual(['Bộ Nội vụ']);
    const byPrefix = searchAgencies(catalogue, '000.00.00.G').map((a) => a.organId);
    expect(byPrefix).toEqual(['000.00.00.G09', '000.00.00.G12', '000.00.00.G17', '000.00.00.G22']);
    for (const q of ['Bộ Nội vụ', 'bo noi vu', 'BỘ NỘI', 'noi vu'])
      expect(searchAgencies(catalogue, q).map((a) => a.organId)).toContain('000.00.00.G09');
    expect(searchAgencies(catalogue, 'phuong ba dinh').map((a) => a.organName)).toContain(
      'Ủy ban nhân dân phường Ba Đình',
    );
    expect(searchAgencies(catalogue, 'không có cơ quan nào như thế')).toEqual([]);
    expect(searchAgencies(catalogue, '')).toHaveLength(20);
    // A name that begins with the query comes before one that only contains it.
    const bo = searchAgencies(catalogue, 'bộ').map((a) => a.organName);
    expect(bo.slice(0, 3)).toEqual(['Bộ Nội vụ', 'Bộ Tài chính', 'Bộ Xây dựng']);
  });

  it('refuses a data file with a bad line', () => {
    expect(() => parseNationalAgencies('code,name\nBO-NOI-VU,Bộ Nội vụ\n')).toThrow(/line 2/);
    expect(() => parseNationalAgencies('ma,ten\n')).toThrow(/header/);
  });
});

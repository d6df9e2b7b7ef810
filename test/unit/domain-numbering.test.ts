import { describe, expect, it } from 'vitest';
import { DOCUMENT_TYPES, documentType, URGENCIES } from '../../lambdas/core/domain/document-types';
import {
  allocateNumber,
  emptySeries,
  formatDateLine,
  formatNotation,
  formatNumber,
  formatSymbol,
  seriesKey,
  seriesKeyAt,
  vietnamCalendarDate,
  vietnamDate,
} from '../../lambdas/core/domain/numbering';

describe('number and symbol', () => {
  it('puts a leading zero below 10 only', () => {
    expect([1, 9, 10, 99, 100, 1234].map(formatNumber)).toEqual(['01', '09', '10', '99', '100', '1234']);
    expect(() => formatNumber(0)).toThrow(RangeError);
    expect(() => formatNumber(1.5)).toThrow(RangeError);
  });

  it('writes type + issuer for typed documents', () => {
    expect(formatSymbol({ number: 1, typeId: 'quyet-dinh', issuerCode: 'UBND' })).toBe('01/QĐ-UBND');
    expect(
      formatSymbol({ number: 15, typeId: 'quyet-dinh', issuerCode: 'UBND', draftingUnitCode: 'VX' }),
    ).toBe('15/QĐ-UBND');
    expect(formatSymbol({ number: 7, typeId: 'ke-hoach', issuerCode: 'SNV' })).toBe('07/KH-SNV');
    expect(formatSymbol({ number: 230, typeId: 'quy-dinh', issuerCode: 'UBND' })).toBe('230/QyĐ-UBND');
    expect(formatSymbol({ number: 3, typeId: 'chuong-trinh', issuerCode: 'VP' })).toBe('03/CTr-VP');
  });

  it('writes issuer + drafting unit for a công văn', () => {
    expect(formatSymbol({ number: 12, typeId: 'cong-van', issuerCode: 'UBND', draftingUnitCode: 'VX' })).toBe(
      '12/UBND-VX',
    );
    expect(formatSymbol({ number: 4, typeId: 'cong-van', issuerCode: 'SNV' })).toBe('04/SNV');
    expect(formatNotation({ typeId: 'cong-van', issuerCode: 'SGDĐT', draftingUnitCode: 'GDPT' })).toBe(
      'SGDĐT-GDPT',
    );
  });

  it('lists the D30 types with ASCII ids, Công văn without abbreviation', () => {
    const ids = DOCUMENT_TYPES.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(DOCUMENT_TYPES.filter((t) => t.abbreviation === null).map((t) => t.name)).toEqual(['Công văn']);
    expect(documentType('to-trinh').abbreviation).toBe('TTr');
    expect(documentType('giay-uy-quyen').abbreviation).toBe('GUQ');
    expect(URGENCIES['flash-timed'].exchangePriority).toBe(4);
  });
});

describe('date line', () => {
  it('pads days below 10 and the months 1 and 2', () => {
    expect(formatDateLine('Hà Nội', { year: 2026, month: 1, day: 5 })).toBe(
      'Hà Nội, ngày 05 tháng 01 năm 2026',
    );
    expect(formatDateLine('Hà Nội', { year: 2026, month: 2, day: 28 })).toBe(
      'Hà Nội, ngày 28 tháng 02 năm 2026',
    );
    expect(formatDateLine('Hà Nội', { year: 2026, month: 3, day: 9 })).toBe(
      'Hà Nội, ngày 09 tháng 3 năm 2026',
    );
    expect(formatDateLine('Ba Đình', { year: 2026, month: 12, day: 31 })).toBe(
      'Ba Đình, ngày 31 tháng 12 năm 2026',
    );
  });

  it('reads an instant in Vietnam time', () => {
    // 17:30 UTC on 4 January is 00:30 on 5 January in Hà Nội.
    expect(formatDateLine('Hà Nội', new Date('2026-01-04T17:30:00Z'))).toBe(
      'Hà Nội, ngày 05 tháng 01 năm 2026',
    );
    expect(formatDateLine('Hà Nội', new Date('2026-01-04T16:59:59Z'))).toBe(
      'Hà Nội, ngày 04 tháng 01 năm 2026',
    );
    expect(vietnamCalendarDate(new Date('2026-02-28T20:00:00Z'))).toBe('2026-03-01');
  });
});

describe('numbering series and the turn of the year (UTC+7)', () => {
  it('keys series by organisation and year', () => {
    expect(seriesKey('ubnd-hanoi', 2026)).toBe('ubnd-hanoi#2026');
    expect(seriesKey('ubnd-hanoi', 2026, 'arrival')).toBe('ubnd-hanoi#2026#arrival');
  });

  it('puts 2026-12-31T18:00Z in 2027', () => {
    const at = new Date('2026-12-31T18:00:00Z');
    expect(vietnamDate(at)).toEqual({ year: 2027, month: 1, day: 1 });
    expect(seriesKeyAt('ubnd-hanoi', at)).toBe('ubnd-hanoi#2027');
    expect(seriesKeyAt('ubnd-hanoi', new Date('2026-12-31T16:59:59.999Z'))).toBe('ubnd-hanoi#2026');
  });

  it('counts from 1 and continues the series', () => {
    const at = new Date('2026-03-10T03:00:00Z');
    const first = allocateNumber(undefined, 'so-noi-vu', 'general', at);
    expect(first.number).toBe(1);
    expect(first.series).toEqual({
      key: 'so-noi-vu#2026',
      orgId: 'so-noi-vu',
      year: 2026,
      kind: 'general',
      lastNumber: 1,
    });
    const second = allocateNumber(first.series, 'so-noi-vu', 'general', at);
    expect(second.number).toBe(2);
    expect(first.series.lastNumber).toBe(1); // not mutated
  });

  it('restarts at 1 on 1 January, Vietnam time', () => {
    const december = { ...emptySeries('ubnd-hanoi', 2026), lastNumber: 4711 };
    const lastOf2026 = allocateNumber(december, 'ubnd-hanoi', 'general', new Date('2026-12-31T16:59:00Z'));
    expect(lastOf2026).toMatchObject({ number: 4712, year: 2026 });
    const firstOf2027 = allocateNumber(
      lastOf2026.series,
      'ubnd-hanoi',
      'general',
      new Date('2026-12-31T18:00:00Z'),
    );
    expect(firstOf2027).toMatchObject({ number: 1, year: 2027 });
    expect(firstOf2027.series.key).toBe('ubnd-hanoi#2027');
  });

  it('refuses a series of another organisation, kind or a later year', () => {
    const s = emptySeries('ubnd-hanoi', 2026);
    const at = new Date('2026-05-01T00:00:00Z');
    expect(() => allocateNumber(s, 'so-noi-vu', 'general', at)).toThrow(/does not number/);
    expect(() => allocateNumber(s, 'ubnd-hanoi', 'arrival', at)).toThrow(/does not number/);
    expect(() => allocateNumber(emptySeries('ubnd-hanoi', 2027), 'ubnd-hanoi', 'general', at)).toThrow(
      /later/,
    );
  });
});

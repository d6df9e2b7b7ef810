import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CITY_ID,
  defaultTitle,
  PositionSchema,
  parseCsv,
  parseDirectory,
  resolveRecipientList,
  resolveRecipients,
  slugify,
  toAscii,
} from '../../lambdas/core/domain/directory';
import { DomainError } from '../../lambdas/core/errors';

const read = (name: string) => readFileSync(new URL(`../../data/${name}`, import.meta.url), 'utf8');
const unitsCsv = read('hanoi-units.csv');
const departmentsCsv = read('hanoi-departments.csv');
const directory = parseDirectory(unitsCsv, departmentsCsv);

function domainError(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('directory parsed from the seed CSVs', () => {
  it('has exactly 1 city, 15 agencies, 51 wards and 75 communes', () => {
    const count = (kind: string) => directory.organisations.filter((o) => o.kind === kind).length;
    expect(count('city')).toBe(1);
    expect(count('department')).toBe(15);
    expect(count('ward')).toBe(51);
    expect(count('commune')).toBe(75);
    expect(directory.organisations).toHaveLength(1 + 15 + 126);
  });

  it('gives unique, URL-safe ids', () => {
    const ids = directory.organisations.map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(encodeURIComponent(ids.join('/'))).toBe(ids.join('%2F'));
  });

  it('has the city People’s Committee with issuer code UBND and no parent', () => {
    const city = directory.city;
    expect(city).toMatchObject({ id: CITY_ID, kind: 'city', issuerCode: 'UBND', placeName: 'Hà Nội' });
    expect(city.parentId).toBeUndefined();
    expect(city.governance).toBe('collective');
  });

  it('gives agencies their CSV code as id and short name as issuer code', () => {
    expect(directory.get('so-noi-vu')).toMatchObject({
      kind: 'department',
      issuerCode: 'SNV',
      parentId: CITY_ID,
      headTitle: 'Giám đốc',
      deputyTitle: 'Phó Giám đốc',
      governance: 'head',
      placeName: 'Hà Nội',
    });
    expect(directory.get('van-phong-ubnd')).toMatchObject({ issuerCode: 'VP', headTitle: 'Chánh Văn phòng' });
    expect(directory.get('thanh-tra')).toMatchObject({ issuerCode: 'TTTP', headTitle: 'Chánh Thanh tra' });
    expect(directory.get('so-giao-duc-dao-tao').issuerCode).toBe('SGDĐT');
  });

  it('derives ward and commune ids from name_ascii and names the People’s Committee', () => {
    expect(directory.get('phuong-ba-dinh')).toMatchObject({
      code: '00004',
      kind: 'ward',
      name: 'Ủy ban nhân dân phường Ba Đình',
      shortName: 'UBND phường Ba Đình',
      issuerCode: 'UBND',
      placeName: 'Ba Đình',
      areaName: 'Phường Ba Đình',
      parentId: CITY_ID,
      headTitle: 'Chủ tịch',
    });
    expect(directory.get('xa-soc-son')).toMatchObject({
      kind: 'commune',
      name: 'Ủy ban nhân dân xã Sóc Sơn',
    });
    expect(directory.get('phuong-van-mieu-quoc-tu-giam').areaName).toBe('Phường Văn Miếu - Quốc Tử Giám');
    expect(directory.get('xa-hoa-lac').name).toBe('Ủy ban nhân dân xã Hòa Lạc');
  });

  it('keeps the full name in the date line of units named after a person', () => {
    expect(directory.get('phuong-hai-ba-trung').placeName).toBe('Phường Hai Bà Trưng');
    expect(directory.get('xa-tran-phu').placeName).toBe('Xã Trần Phú');
  });

  it('rejects inconsistent rows instead of guessing', () => {
    const header = 'code,name,kind,name_ascii\n';
    expect(() => parseDirectory(`${header}1,Phường A,commune,Phuong A\n`, departmentsCsv)).toThrow(
      /starts with "Xã "/,
    );
    expect(() => parseDirectory(`${header}1,Phường Á,ward,Phuong B\n`, departmentsCsv)).toThrow(
      /does not match/,
    );
    expect(() =>
      parseDirectory(`${header}1,Phường A,ward,Phuong A\n2,Phường A,ward,Phuong A\n`, departmentsCsv),
    ).toThrow(/duplicate organisation id phuong-a/);
    expect(() => parseDirectory('code,name\n1,x\n', departmentsCsv)).toThrow(/missing column/);
    expect(() => parseDirectory(unitsCsv, 'code,name,short\nx,Ban Quản lý,BQL\n')).toThrow(/head's title/);
  });

  it('parses quoted CSV fields, CRLF and a BOM', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","he said ""hi"""\r\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'he said "hi"'],
    ]);
  });

  it('has the id rule documented: slug of the ASCII name', () => {
    expect(toAscii('Phường Đống Đa')).toBe('Phuong Dong Da');
    expect(slugify('Phuong Van Mieu - Quoc Tu Giam')).toBe('phuong-van-mieu-quoc-tu-giam');
  });
});

describe('recipients', () => {
  it('expands all-wards to every ward and commune and all-departments to the 15 agencies', () => {
    const wards = resolveRecipients(directory, CITY_ID, ['all-wards']);
    expect(wards).toHaveLength(126);
    expect(resolveRecipients(directory, CITY_ID, ['all-departments'])).toHaveLength(15);
    expect(new Set(wards.map((id) => directory.get(id).kind))).toEqual(new Set(['ward', 'commune']));
  });

  it('de-duplicates in first-mention order', () => {
    expect(
      resolveRecipients(directory, CITY_ID, [
        'so-noi-vu',
        'phuong-ba-dinh',
        'all-departments',
        'so-noi-vu',
      ]).slice(0, 3),
    ).toEqual(['so-noi-vu', 'phuong-ba-dinh', 'van-phong-ubnd']);
    expect(
      resolveRecipients(directory, CITY_ID, ['all-departments', 'all-wards', 'phuong-ba-dinh']),
    ).toHaveLength(141);
  });

  it('leaves the sender out of a group it belongs to', () => {
    const ids = resolveRecipients(directory, 'phuong-ba-dinh', ['all-wards', CITY_ID]);
    expect(ids).toHaveLength(126);
    expect(ids).not.toContain('phuong-ba-dinh');
    expect(ids).toContain(CITY_ID);
  });

  it('rejects unknown ids and the sender itself (422)', () => {
    const unknown = domainError(() =>
      resolveRecipients(directory, CITY_ID, ['phuong-ba-dinh', 'quan-ba-dinh']),
    );
    expect(unknown).toMatchObject({ code: 'recipient_unknown', status: 422, params: { id: 'quan-ba-dinh' } });
    const self = domainError(() => resolveRecipients(directory, 'so-noi-vu', ['so-noi-vu']));
    expect(self).toMatchObject({ code: 'recipient_is_sender', status: 422 });
    expect(domainError(() => resolveRecipients(directory, CITY_ID, []))).toMatchObject({
      code: 'recipients_empty',
    });
    expect(domainError(() => resolveRecipients(directory, 'nowhere', ['so-noi-vu']))).toMatchObject({
      status: 404,
    });
  });

  it('keeps the strongest purpose of an organisation named twice', () => {
    const list = resolveRecipientList(directory, CITY_ID, [
      { to: 'all-departments', purpose: 'information' },
      { to: 'so-noi-vu', purpose: 'action' },
    ]);
    expect(list[0]).toEqual({ orgId: 'van-phong-ubnd', purpose: 'information' });
    expect(list.find((r) => r.orgId === 'so-noi-vu')).toEqual({ orgId: 'so-noi-vu', purpose: 'action' });
    expect(list.findIndex((r) => r.orgId === 'so-noi-vu')).toBe(2);
  });
});

describe('positions', () => {
  it('requires a rank for leaders only', () => {
    expect(PositionSchema.safeParse({ orgId: 'so-noi-vu', role: 'leader', title: 'Giám đốc' }).success).toBe(
      false,
    );
    expect(
      PositionSchema.safeParse({ orgId: 'so-noi-vu', role: 'clerk', title: 'Văn thư', rank: 'head' }).success,
    ).toBe(false);
    expect(
      PositionSchema.safeParse({ orgId: 'so-noi-vu', role: 'leader', title: 'Giám đốc', rank: 'head' })
        .success,
    ).toBe(true);
  });

  it('suggests the usual titles', () => {
    expect(defaultTitle(directory.city, 'leader', 'deputy')).toBe('Phó Chủ tịch');
    expect(defaultTitle(directory.get('so-y-te'), 'leader', 'head')).toBe('Giám đốc');
    expect(defaultTitle(directory.city, 'clerk')).toBe('Văn thư');
    expect(defaultTitle(directory.city, 'specialist')).toBe('Chuyên viên');
  });
});

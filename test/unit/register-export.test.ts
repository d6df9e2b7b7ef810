import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { readSheet } from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerXlsx } from '../../lambdas/adapters/register-xlsx';
import { registerMessages } from '../../lambdas/core/i18n/registers';
import { defaultAppearanceFonts } from '../../lambdas/core/pdf/fonts';
import { printRegisterPdf } from '../../lambdas/core/registers/pdf';
import { filterRegister, registerTable, registerTableCsv } from '../../lambdas/core/registers/table';
import { catalogueProblems } from '../support/catalogue-check';

/*
 * The register as printed and exported, checked by independent tools: poppler's pdftotext reads every row
 * back from the PDF (fonts embedded, Vietnamese searchable), pdfinfo says A4 landscape, pdftoppm renders it;
 * read-excel-file reads the XLSX back; the CSV starts with a BOM.
 */

const run = promisify(execFile);
let dir: string;

const subjects = [
  'Về việc tổ chức tiếp nhận và xử lý văn bản điện tử',
  'Về việc ban hành Quy chế công tác văn thư, lưu trữ của Ủy ban nhân dân phường',
  'Về việc kiện toàn Ban chỉ đạo chuyển đổi số thành phố Hà Nội năm 2026',
];

const rows = Array.from({ length: 60 }, (_, i) => ({
  number: i + 1,
  documentId: `doc-${i + 1}`,
  symbol: `${String(i + 1).padStart(2, '0')}/QĐ-UBND`,
  issuedOn: `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`,
  docType: 'Quyết định',
  subject: `${subjects[i % 3]} (lần ${i + 1})`,
  signer: 'KT. CHỦ TỊCH / PHÓ CHỦ TỊCH – Trần Thị Hương',
  recipients: ['Sở Nội vụ', 'Phường Ba Đình'],
  urgency: i % 10 === 0 ? 'urgent' : 'normal',
}));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'docflow-register-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('register exports', () => {
  it('has every text of the registers in both languages, unmixed', () => {
    expect(
      catalogueProblems(registerMessages.catalogue, {
        notVietnamese: {
          page: 'Vietnamese without diacritics (“Trang”), as the printed forms number their pages',
        },
      }),
    ).toEqual([]);
  });

  it('prints the register as a PDF that pdftotext reads back row by row, A4 landscape, numbered', async () => {
    const table = registerTable('outgoing', rows, { year: 2026 }, 'vi');
    const pdf = printRegisterPdf({
      heading: ['Ủy ban nhân dân thành phố Hà Nội'],
      title: table.title,
      subtitle: table.subtitle,
      columns: table.columns,
      rows: table.rows,
      empty: registerMessages.render('empty', 'vi'),
      pageLabel: (page, pages) => registerMessages.render('page', 'vi', { page, pages }),
      fonts: await defaultAppearanceFonts(),
    });
    const file = join(dir, 'register.pdf');
    await writeFile(file, pdf);
    const info = (await run('pdfinfo', [file])).stdout;
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    expect(pages).toBeGreaterThan(1);
    expect(info).toMatch(/Page size:\s+841\.89 x 595\.28 pts/);
    // Without -layout: each cell's lines come out in order.
    const text = (await run('pdftotext', [file, '-'])).stdout.normalize('NFC');
    expect(text).toContain('ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI');
    expect(text).toContain('SỔ ĐĂNG KÝ VĂN BẢN ĐI');
    expect(text).toContain('Năm 2026');
    expect(text).toContain('Tên loại và trích yếu nội dung văn bản');
    const flat = text.replace(/\s+/g, ' ');
    for (const row of rows) {
      expect(flat).toContain(row.symbol);
      const [y, m, d] = row.issuedOn.split('-');
      expect(flat).toContain(`${d}/${m}/${y}`);
      expect(flat).toContain(`(lần ${row.number})`);
    }
    expect(flat).toContain('Trần Thị Hương');
    expect(flat).toContain('Khẩn');
    for (let page = 1; page <= pages; page++) expect(flat).toContain(`Trang ${page}/${pages}`);
    // The header row repeats on every page.
    expect(flat.split('Số, ký hiệu văn bản').length - 1).toBe(pages);

    await run('pdftoppm', ['-r', '40', '-f', '1', '-l', '1', '-png', file, join(dir, 'page')]);
    const png = PNG.sync.read(await readFile(join(dir, `page-${pages >= 10 ? '01' : '1'}.png`)));
    expect(png.width).toBeGreaterThan(png.height);
    let dark = 0;
    for (let i = 0; i < png.data.length; i += 4) if ((png.data[i] ?? 255) < 128) dark++;
    expect(dark / (png.width * png.height)).toBeGreaterThan(0.01);
  });

  it('prints an empty period with its heading and says there is nothing', async () => {
    const table = registerTable('incoming', [], { year: 2026, from: '2026-03-01', to: '2026-03-31' }, 'en');
    const pdf = printRegisterPdf({
      heading: ['Ủy ban nhân dân thành phố Hà Nội', 'Sở Nội vụ'],
      title: table.title,
      subtitle: table.subtitle,
      columns: table.columns,
      rows: table.rows,
      empty: registerMessages.render('empty', 'en'),
      pageLabel: (page, pages) => registerMessages.render('page', 'en', { page, pages }),
      fonts: await defaultAppearanceFonts(),
    });
    const file = join(dir, 'empty.pdf');
    await writeFile(file, pdf);
    const text = (await run('pdftotext', [file, '-'])).stdout.normalize('NFC').replace(/\s+/g, ' ');
    expect(text).toContain('SỞ NỘI VỤ');
    expect(text).toContain('REGISTER OF INCOMING DOCUMENTS');
    expect(text).toContain('From 01/03/2026 to 31/03/2026');
    expect(text).toContain('No documents in this period.');
    expect(text).toContain('Page 1 of 1');
  });

  it('filters by period, type and urgency', () => {
    expect(
      filterRegister('outgoing', rows, { from: '2026-03-01', to: '2026-03-31' }).map((r) => r.number),
    ).toEqual(rows.filter((r) => r.issuedOn.startsWith('2026-03')).map((r) => r.number));
    expect(filterRegister('outgoing', rows, { urgency: 'urgent' })).toHaveLength(6);
    expect(filterRegister('outgoing', rows, { docTypeName: 'Công văn' })).toHaveLength(0);
    const incoming = [{ number: 1, arrivedOn: '2026-02-28T18:30:00.000Z' }];
    // 01:30 on 1 March in Hà Nội.
    expect(filterRegister('incoming', incoming, { from: '2026-03-01' })).toHaveLength(1);
  });

  it('writes an XLSX that read-excel-file reads back, and a CSV with a BOM', async () => {
    const table = registerTable('outgoing', rows.slice(0, 5), { year: 2026 }, 'vi');
    const xlsx = await registerXlsx(table, ['Ủy ban nhân dân thành phố Hà Nội']);
    const sheet = await readSheet(Buffer.from(xlsx));
    const cells = sheet.map((row) => row.map((c) => (c === null ? '' : String(c))));
    expect(cells[0]?.[0]).toBe('ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI');
    expect(cells[1]?.[0]).toBe('SỔ ĐĂNG KÝ VĂN BẢN ĐI');
    const header = cells.findIndex((row) => row[0] === 'Số, ký hiệu văn bản');
    expect(header).toBeGreaterThan(0);
    expect(cells.slice(header + 1)).toEqual(table.rows.map((row) => [...row]));

    const csv = registerTableCsv(table);
    expect(
      csv.startsWith('\ufeffSố, ký hiệu văn bản'.replace('Số, ký hiệu văn bản', '"Số, ký hiệu văn bản"')),
    ).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(7);
    expect(csv).toContain('"Sở Nội vụ; Phường Ba Đình"');
  });
});

import writeXlsxFile from 'write-excel-file/node';
import type { RegisterTable } from '../core/registers/table';

/**
 * A register as an XLSX workbook (write-excel-file): the heading, title and period above the table, its
 * header row bold and kept in view, landscape for printing. Text cells throughout, as the form has them.
 */
export async function registerXlsx(table: RegisterTable, heading: readonly string[]): Promise<Uint8Array> {
  const width = table.columns.length;
  const line = (value: string, bold = false) => [
    { value, fontWeight: bold ? ('bold' as const) : undefined, span: width },
    ...Array.from({ length: width - 1 }, () => null),
  ];
  const top = [
    ...heading.map((h, i) => line(h.toLocaleUpperCase('vi'), i === heading.length - 1)),
    line(table.title.toLocaleUpperCase('vi'), true),
    line(table.subtitle),
  ];
  const data = [
    ...top,
    table.columns.map((c) => ({ value: c.header, fontWeight: 'bold' as const, wrap: true })),
    ...table.rows.map((row) => row.map((value) => ({ value, type: String, wrap: true }))),
  ];
  const buffer = await writeXlsxFile(data, {
    sheet: table.title.slice(0, 31),
    orientation: 'landscape',
    stickyRowsCount: top.length + 1,
    columns: table.columns.map((c) => ({ width: Math.max(10, Math.round(c.width * 1.6)) })),
  }).toBuffer();
  return new Uint8Array(buffer);
}

/** A register as CSV: one column per field, with a BOM so spreadsheet software reads the Vietnamese as UTF-8. */
export function registerCsv(entries: readonly Record<string, unknown>[]): string {
  const columns = [...new Set(entries.flatMap((e) => Object.keys(e)))];
  const cell = (value: unknown) => {
    const text = Array.isArray(value)
      ? value.join('; ')
      : value === undefined || value === null
        ? ''
        : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `\ufeff${[columns.join(','), ...entries.map((e) => columns.map((k) => cell(e[k])).join(','))].join('\r\n')}\r\n`;
}

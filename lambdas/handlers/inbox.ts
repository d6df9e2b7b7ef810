import { documentContracts as c } from '../contracts/documents';
import { apiHandler } from '../http/api';
import { parseInput } from '../http/validation';
import * as workflow from '../workflow/documents';

/** Read-only views: inbox folders and the yearly registers (JSON, or CSV to print and archive). */

function toCsv(entries: readonly Record<string, unknown>[]): string {
  const columns = [...new Set(entries.flatMap((e) => Object.keys(e)))];
  const cell = (value: unknown) => {
    const text = Array.isArray(value)
      ? value.join('; ')
      : value === undefined || value === null
        ? ''
        : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  // A BOM so that spreadsheet software reads the Vietnamese text as UTF-8.
  return `\ufeff${[columns.join(','), ...entries.map((e) => columns.map((k) => cell(e[k])).join(','))].join('\r\n')}\r\n`;
}

const register =
  (which: 'outgoing' | 'incoming', key: 'GET /api/registers/outgoing' | 'GET /api/registers/incoming') =>
  async (request: Parameters<Parameters<typeof apiHandler>[0][string]>[0]) => {
    const query = parseInput(c[key].query, request.query, request.language);
    const result = await workflow.registerEntries(await workflow.callerOf(request.userId), which, query);
    const wantsCsv = query.format === 'csv' || (request.event.headers?.accept ?? '').includes('text/csv');
    if (!wantsCsv) return { status: 200, body: result };
    return {
      status: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="so-van-ban-${which === 'outgoing' ? 'di' : 'den'}-${result.orgId}-${result.year}.csv"`,
      },
      body: toCsv(result.entries),
    };
  };

export const handler = apiHandler({
  'GET /api/inbox': async (request) => {
    const { folder, limit, cursor, q } = parseInput(
      c['GET /api/inbox'].query,
      request.query,
      request.language,
    );
    return {
      status: 200,
      body: await workflow.inbox(await workflow.callerOf(request.userId), folder, limit, cursor, q),
    };
  },
  'GET /api/registers/outgoing': register('outgoing', 'GET /api/registers/outgoing'),
  'GET /api/registers/incoming': register('incoming', 'GET /api/registers/incoming'),
});

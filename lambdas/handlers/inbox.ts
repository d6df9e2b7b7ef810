import { dynamoDirectory } from '../adapters/directory-store';
import { countInbox, listInbox, readRegister } from '../adapters/document-store';
import { registerXlsx } from '../adapters/register-xlsx';
import { documentContracts } from '../contracts/documents';
import { defaultAppearanceFonts } from '../core/pdf/fonts';
import type { RegisterView } from '../core/registers/table';
import { type ApiResult, apiHandler, ok, type RouteRequest } from '../http/api';
import { inbox } from '../use-cases/read/inbox';
import {
  exportName,
  type RegisterExportPorts,
  registerForPeriod,
  registerPdf,
  registerTableCsv,
} from '../use-cases/read/register-export';
import { statisticsFor } from '../use-cases/read/statistics';
import { readOptions } from './wiring';

/** The read side needs inbox pages and registers only (and so the views table only). */
const ports: RegisterExportPorts & {
  documents: { listInbox: typeof listInbox; countInbox: typeof countInbox };
} = {
  documents: { listInbox, countInbox, readRegister },
  directory: { listPeople: () => dynamoDirectory.listPeople() },
  now: () => new Date(),
  fonts: defaultAppearanceFonts,
  xlsx: registerXlsx,
};

/** Read-only views: inbox folders and the registers (JSON, or the Decree 30 form as PDF, CSV or XLSX). */

type RegisterRoute =
  | 'GET /api/registers/outgoing'
  | 'GET /api/registers/incoming'
  | 'GET /api/registers/follow-up';

const TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;

const register =
  (which: RegisterView) =>
  async ({
    caller,
    query,
    event,
    language,
  }: RouteRequest<RegisterRoute, (typeof documentContracts)[RegisterRoute]>): Promise<ApiResult> => {
    const result = await registerForPeriod(ports, caller, which, query, language);
    const format =
      query.format ??
      ((event.headers?.accept ?? '').includes('text/csv') ? ('csv' as const) : ('json' as const));
    if (format === 'json') return ok({ orgId: result.orgId, year: result.years[0], entries: result.entries });
    const body =
      format === 'csv'
        ? registerTableCsv(result.table)
        : format === 'xlsx'
          ? Buffer.from(await ports.xlsx(result.table, result.heading))
          : Buffer.from(await registerPdf(ports, result.heading, result.table, language));
    return {
      status: 200,
      headers: {
        'content-type': TYPES[format],
        'content-disposition': `attachment; filename="${exportName(which, result.orgId, result.years, format)}"`,
      },
      body,
      binary: format !== 'csv',
    };
  };

export const handler = apiHandler(
  'inbox',
  documentContracts,
  {
    'GET /api/inbox': async ({ caller, query }) => ok(await inbox(ports, caller, query)),
    'GET /api/registers/outgoing': register('outgoing'),
    'GET /api/registers/incoming': register('incoming'),
    'GET /api/registers/follow-up': register('follow-up'),
    'GET /api/statistics': async ({ caller, query, language }) => {
      const result = await statisticsFor(ports, caller, query, language);
      const format = query.format ?? 'json';
      if (format === 'json')
        return ok({ orgId: result.orgId, from: result.from, to: result.to, ...result.statistics });
      const name = `thong-ke-${result.orgId}-${result.from}-${result.to}.${format}`;
      return {
        status: 200,
        headers: { 'content-type': TYPES[format], 'content-disposition': `attachment; filename="${name}"` },
        body:
          format === 'csv'
            ? registerTableCsv(result.table())
            : Buffer.from(await ports.xlsx(result.table(), result.heading)),
        binary: format !== 'csv',
      };
    },
  },
  readOptions,
);

import { countInbox, listInbox, readRegister } from '../adapters/document-store';
import { documentContracts } from '../contracts/documents';
import type { RegisterKind } from '../core/domain/registers';
import { type ApiResult, apiHandler, ok, type RouteRequest } from '../http/api';
import { registerCsv } from '../http/csv';
import { inbox } from '../use-cases/read/inbox';
import { registerEntries } from '../use-cases/read/registers';
import { readOptions } from './wiring';

/** The read side needs inbox pages and registers only (and so the views table only). */
const ports = { documents: { listInbox, countInbox, readRegister }, now: () => new Date() };

/** Read-only views: inbox folders and the yearly registers (JSON, or CSV to print and archive). */

type RegisterRoute = 'GET /api/registers/outgoing' | 'GET /api/registers/incoming';

const register =
  (which: RegisterKind) =>
  async ({
    caller,
    query,
    event,
  }: RouteRequest<RegisterRoute, (typeof documentContracts)[RegisterRoute]>): Promise<ApiResult> => {
    const result = await registerEntries(ports, caller, which, query);
    const wantsCsv = query.format === 'csv' || (event.headers?.accept ?? '').includes('text/csv');
    if (!wantsCsv) return ok(result);
    return {
      status: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="so-van-ban-${which === 'outgoing' ? 'di' : 'den'}-${result.orgId}-${result.year}.csv"`,
      },
      body: registerCsv(result.entries),
    };
  };

export const handler = apiHandler(
  'inbox',
  documentContracts,
  {
    'GET /api/inbox': async ({ caller, query }) => ok(await inbox(ports, caller, query)),
    'GET /api/registers/outgoing': register('outgoing'),
    'GET /api/registers/incoming': register('incoming'),
  },
  readOptions,
);

import { auditContracts } from './audit';
import type { RouteContract } from './contract';
import { directoryContracts } from './directory';
import { documentContracts } from './documents';
import { pkiContracts } from './pki';
import { systemContracts } from './system';

/** Every route's contract, keyed by routeKey (`GET /api/orgs`). */
export const contracts: Readonly<Record<string, RouteContract>> = {
  ...systemContracts,
  ...directoryContracts,
  ...documentContracts,
  ...pkiContracts,
  ...auditContracts,
};

import type { RouteKey } from '../routes';
import { auditContracts } from './audit';
import type { RouteContract } from './contract';
import { delegationContracts } from './delegations';
import { directoryContracts } from './directory';
import { documentContracts } from './documents';
import { exchangeContracts } from './exchange';
import { notificationContracts } from './notifications';
import { pkiContracts } from './pki';
import { signatureContracts } from './signatures';
import { systemContracts } from './system';
import { webhookContracts } from './webhooks';

/** Every route's contract, keyed by routeKey (`GET /api/orgs`). */
export const contracts = {
  ...systemContracts,
  ...directoryContracts,
  ...delegationContracts,
  ...documentContracts,
  ...pkiContracts,
  ...auditContracts,
  ...signatureContracts,
  ...notificationContracts,
  ...exchangeContracts,
  ...webhookContracts,
} as const satisfies Record<RouteKey, RouteContract>;

// A route in the table without a contract fails above; a contract for no route fails here.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const everyContractHasARoute: Exactly<keyof typeof contracts, RouteKey> = true;
void everyContractHasARoute;

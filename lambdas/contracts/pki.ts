import * as z from 'zod';
import type { RouteContract } from './contract';

export const pkiContracts = {
  'GET /api/pki/roots': {
    summary: 'The trust anchors (PEM): the city root CA, plus external roots the deployment trusts',
    response: z.string().describe('PEM certificates'),
  },
  'GET /api/pki/crl': {
    summary: "The city root CA's current certificate revocation list (DER; PEM with ?format=pem)",
    query: z.object({ format: z.enum(['der', 'pem']).optional() }),
    response: z.string().describe('DER CRL (application/pkix-crl)'),
  },
} as const satisfies Record<string, RouteContract>;

import * as z from 'zod';
import { storable } from '../core/domain/common';
import { KeyHolderSchema } from './authority';
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
  'POST /api/pki/csr': {
    summary:
      "A PKCS#10 request signed by a seal's or an official's KMS key (administrators), for an external CA",
    body: z.object({ holder: KeyHolderSchema }),
    response: z.object({ csr: z.string().describe('PEM CERTIFICATE REQUEST'), keyId: z.string() }),
  },
  'POST /api/pki/certificates': {
    summary:
      'Import a certificate an external CA issued for that key (administrators): it must certify the key and chain to a trusted root',
    body: z.object({
      holder: KeyHolderSchema,
      certificate: storable(
        z
          .string()
          .min(1)
          .max(64 * 1024),
        { multiline: true },
      ),
    }),
    response: z.object({ keyId: z.string(), serial: z.string(), subject: z.string(), issuer: z.string() }),
    idempotent: true,
  },
} as const satisfies Record<string, RouteContract>;

import * as z from 'zod';
import { storable } from '../core/domain/common';
import { KeyHolderSchema } from './authority';
import type { RouteContract } from './contract';
import { PreparedSignatureSchema } from './signatures';

export const pkiContracts = {
  'GET /api/pki/roots': {
    summary: 'The trust anchors (PEM): the city root CA, plus external roots the deployment trusts',
    response: z.string().describe('PEM certificates'),
  },
  'GET /api/pki/crl': {
    summary:
      "The city's current certificate revocation list (DER; PEM with ?format=pem): the issuing CA's (officials, seals, TSA), or the root's with ?issuer=root (issuing CA certificates)",
    query: z.object({
      format: z.enum(['der', 'pem']).optional(),
      issuer: z.enum(['issuing', 'root']).optional(),
    }),
    response: z.string().describe('DER CRL (application/pkix-crl)'),
  },
  'POST /api/pki/csr': {
    summary:
      "A PKCS#10 request for an external CA, signed by the holder's KMS key: prepared without requestId, made with the id once the holder (the official, or a clerk for the seal) authorized it",
    body: z.object({ holder: KeyHolderSchema, requestId: z.uuid().optional() }).strict(),
    response: z.union([
      z.object({ prepared: PreparedSignatureSchema }),
      z.object({ csr: z.string().describe('PEM CERTIFICATE REQUEST'), keyId: z.string() }),
    ]),
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

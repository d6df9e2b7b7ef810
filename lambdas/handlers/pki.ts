import { currentCrl, trustAnchorsPem } from '../adapters/pki-store';
import { pkiContracts } from '../contracts/pki';
import { pemEncode } from '../core/pki/asn1';
import { apiHandler } from '../http/api';
import { parseInput } from '../http/validation';
import { importCertificate } from '../workflow/certificates';

/** Public PKI material, so that anyone can check docflow's signatures with standard tools. */
export const handler = apiHandler(
  {
    'GET /api/pki/roots': async () => {
      return {
        status: 200,
        headers: { 'content-type': 'application/x-pem-file', 'cache-control': 'public, max-age=3600' },
        body: await trustAnchorsPem(),
      };
    },
    'GET /api/pki/crl': async ({ query, language }) => {
      const { format } = parseInput(pkiContracts['GET /api/pki/crl'].query, query, language);
      const der = await currentCrl();
      if (format === 'pem') {
        return {
          status: 200,
          headers: { 'content-type': 'application/x-pem-file' },
          body: pemEncode('X509 CRL', der),
        };
      }
      return {
        status: 200,
        headers: { 'content-type': 'application/pkix-crl' },
        body: Buffer.from(der),
        binary: true,
      };
    },
    'POST /api/pki/certificates': async ({ body, userId, language }) => {
      const input = parseInput(pkiContracts['POST /api/pki/certificates'].body, body ?? {}, language);
      return { status: 200, body: await importCertificate(userId, input.holder, input.certificate) };
    },
  },
  { idempotent: true },
);

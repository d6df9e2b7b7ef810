import { cityPki, currentCrl, trustAnchorsPem } from '../adapters/pki-store';
import { pkiContracts } from '../contracts/pki';
import { pemEncode } from '../core/pki/asn1';
import { apiHandler } from '../http/api';
import { parseInput } from '../http/validation';

/** Public PKI material, so that anyone can check docflow's signatures with standard tools. */
export const handler = apiHandler({
  'GET /api/pki/roots': async () => {
    await cityPki();
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
});

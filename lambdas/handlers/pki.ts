import { cityCertificateImports } from '../adapters/certificate-service';
import { currentCrl, rootCrl, trustAnchorsPem } from '../adapters/city-pki';
import { pkiContracts } from '../contracts/pki';
import { pemEncode } from '../core/pki/asn1';
import { apiHandler, ok } from '../http/api';
import { importCertificate } from '../use-cases/certificates';
import { writeOptions } from './wiring';

/** Public PKI material, so that anyone can check docflow's signatures with standard tools. */

const ports = { certificates: cityCertificateImports };

export const handler = apiHandler(
  'pki',
  pkiContracts,
  {
    'GET /api/pki/roots': async () => ({
      status: 200,
      headers: { 'content-type': 'application/x-pem-file', 'cache-control': 'public, max-age=3600' },
      body: await trustAnchorsPem(),
    }),
    'GET /api/pki/crl': async ({ query }) => {
      const der = query.issuer === 'root' ? await rootCrl() : await currentCrl();
      if (query.format === 'pem') {
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
    'POST /api/pki/certificates': async ({ caller, body }) =>
      ok(await importCertificate(ports, caller, body.holder, body.certificate)),
  },
  writeOptions(),
);

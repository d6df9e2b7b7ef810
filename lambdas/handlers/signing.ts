import { documentSigning } from '../adapters/document-signing';
import { documentContracts as c } from '../contracts/documents';
import { pkiContracts } from '../contracts/pki';
import { apiHandler } from '../http/api';
import { act, bodyOf, pathId } from '../http/document-route';
import { certificateRequest } from '../workflow/certificates';
import * as workflow from '../workflow/documents';

/**
 * The steps that read or write PDFs with keys in KMS: recording a draft's content, the personal signature,
 * issuing with the organisation's seal, sending (and checking signatures on arrival), registering an
 * incoming document; and CSRs, which are signatures by the same keys. Only this function may sign with seal
 * and official keys (their key policy names its role) and with the TSA's.
 */

export const handler = apiHandler(
  {
    'POST /api/documents/{id}/content': act((caller, r) => {
      bodyOf(c['POST /api/documents/{id}/content'].body, r);
      return workflow.recordContent(caller, pathId(r), documentSigning());
    }),
    'POST /api/documents/{id}/sign': act((caller, r) =>
      workflow.sign(caller, pathId(r), bodyOf(c['POST /api/documents/{id}/sign'].body, r), documentSigning()),
    ),
    'POST /api/documents/{id}/issue': act((caller, r) => {
      bodyOf(c['POST /api/documents/{id}/issue'].body, r);
      return workflow.issue(caller, pathId(r), documentSigning());
    }),
    'POST /api/documents/{id}/send': act((caller, r) =>
      workflow.send(
        caller,
        pathId(r),
        bodyOf(c['POST /api/documents/{id}/send'].body, r).recipients,
        documentSigning(),
      ),
    ),
    'POST /api/documents/{id}/register': act((caller, r) =>
      workflow.register(
        caller,
        pathId(r),
        bodyOf(c['POST /api/documents/{id}/register'].body, r).presentTo,
        documentSigning(),
      ),
    ),
    'POST /api/pki/csr': async (request) => ({
      status: 200,
      body: await certificateRequest(
        request.userId,
        bodyOf(pkiContracts['POST /api/pki/csr'].body, request).holder,
      ),
    }),
  },
  { idempotent: true },
);

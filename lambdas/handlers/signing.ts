import { cityArchiveTimestamping, dynamoArchiveRenewals } from '../adapters/archive-timestamping';
import { cityCertificateRequests } from '../adapters/certificate-service';
import { documentSigning } from '../adapters/document-signing';
import { dynamoAuthorizationRecords, dynamoSignatureRequests } from '../adapters/signature-requests';
import { lambdaSignatureValues } from '../adapters/signer-client';
import { lambdaWordConversion } from '../adapters/word-converter-client';
import { documentContracts } from '../contracts/documents';
import { pkiContracts } from '../contracts/pki';
import { apiHandler, created, ok } from '../http/api';
import { recipientTargets, signingCapacity } from '../http/commands';
import { archive } from '../use-cases/archiving';
import { addAttachment } from '../use-cases/attachments';
import { certificateRequest } from '../use-cases/certificates';
import type { SigningPorts } from '../use-cases/context';
import { send } from '../use-cases/delivery';
import { recordContent } from '../use-cases/drafts';
import { register } from '../use-cases/incoming';
import { issue, requestIssue } from '../use-cases/issuing';
import { placeOnDocument } from '../use-cases/placement';
import { requestSignature, sign } from '../use-cases/signing';
import { circulationPorts, writeOptions } from './wiring';

/**
 * The steps that read or write PDFs: recording a draft's content, preparing and making personal signatures
 * and seals (the signer function makes each signature value, with its holder's authorization: this function
 * holds no personal or seal key), sending (and checking signatures on arrival), registering an incoming
 * document; archiving with a document timestamp (B-LTA); and CSRs for an external CA.
 */

const ports: SigningPorts = {
  ...circulationPorts,
  signing: documentSigning(),
  requests: dynamoSignatureRequests,
  records: dynamoAuthorizationRecords,
  signatures: lambdaSignatureValues,
  conversion: lambdaWordConversion,
};
const certificatePorts = { ...ports, certificates: cityCertificateRequests };
const archivingPorts = { ...ports, archiving: cityArchiveTimestamping, renewals: dynamoArchiveRenewals };

export const handler = apiHandler(
  'signing',
  { ...documentContracts, ...pkiContracts },
  {
    'POST /api/documents/{id}/content': async ({ caller, id }) => ok(await recordContent(ports, caller, id)),
    'POST /api/documents/{id}/attachments': async ({ caller, id, body }) =>
      ok(
        await addAttachment(ports, caller, id, {
          uploadId: body.uploadId,
          title: body.title,
          fileName: body.fileName,
          mediaType: body.mediaType ?? 'application/octet-stream',
        }),
      ),
    'POST /api/documents/{id}/signature-requests': async ({ caller, id, body }) =>
      created(
        await requestSignature(ports, caller, id, { capacity: signingCapacity(body), reason: body.reason }),
      ),
    'PUT /api/documents/{id}/placement': async ({ caller, id, body }) =>
      ok(await placeOnDocument(ports, caller, id, body)),
    'POST /api/documents/{id}/sign': async ({ caller, id, body }) =>
      ok(await sign(ports, caller, id, body.requestId)),
    'POST /api/documents/{id}/issue-requests': async ({ caller, id }) =>
      created(await requestIssue(ports, caller, id)),
    'POST /api/documents/{id}/issue': async ({ caller, id, body }) =>
      ok(await issue(ports, caller, id, body.requestId)),
    'POST /api/documents/{id}/send': async ({ caller, id, body }) =>
      ok(await send(ports, caller, id, body.recipients && recipientTargets(body.recipients))),
    'POST /api/documents/{id}/archive': async ({ caller, id }) =>
      ok(await archive(archivingPorts, caller, id)),
    'POST /api/documents/{id}/register': async ({ caller, id, body }) =>
      ok(await register(ports, caller, id, body.presentTo)),
    'POST /api/pki/csr': async ({ caller, body }) =>
      ok(await certificateRequest(certificatePorts, caller, body.holder, body.requestId)),
  },
  writeOptions(),
);

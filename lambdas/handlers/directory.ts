import { cityOfficialCertificates, cityRevocations } from '../adapters/certificate-service';
import { dynamoDirectory } from '../adapters/directory-store';
import { dynamoDocumentRepository } from '../adapters/document-store';
import { s3SignatureImageFiles } from '../adapters/file-store';
import { signInAccounts } from '../adapters/sign-in-accounts';
import { delegationContracts } from '../contracts/delegations';
import { directoryContracts } from '../contracts/directory';
import { apiHandler, created, ok } from '../http/api';
import {
  type AdministrationPorts,
  addPerson,
  administeredPeople,
  recordDeparture,
} from '../use-cases/administration';
import { createDelegation, delegationsOf, revokeDelegationById } from '../use-cases/delegations';
import {
  administrationLog,
  approvePositionRequest,
  changePosition,
  pendingPositionRequests,
  registerSignatureImage,
  rejectPositionRequest,
  removeSignatureImage,
  signatureImageOf,
  startSignatureImageUpload,
} from '../use-cases/people';
import { me, organisations, peopleOf } from '../use-cases/read/directory';
import { writeOptions } from './wiring';

/** Organisations and people: who is signed in, the directory, positions and signature images. */

const ports: AdministrationPorts = {
  directory: dynamoDirectory,
  certificates: cityRevocations,
  signatureImages: s3SignatureImageFiles,
  documents: dynamoDocumentRepository,
  signIn: signInAccounts(dynamoDirectory),
  officialCertificates: cityOfficialCertificates,
  now: () => new Date(),
};

export const handler = apiHandler(
  'directory',
  { ...directoryContracts, ...delegationContracts },
  {
    'GET /api/me': async ({ caller }) => ok(me(caller)),
    'GET /api/orgs': async ({ caller, query }) => ok(organisations(caller, query.kind)),
    'GET /api/people': async ({ caller, query }) => ok(await peopleOf(ports, caller, query.orgId)),
    'PUT /api/people/{id}/position': async ({ caller, id, body }) => {
      const outcome = await changePosition(ports, caller, id, body);
      return 'request' in outcome ? { status: 202, body: outcome } : ok(outcome);
    },
    'GET /api/administration/people': async ({ caller, query }) =>
      ok(await administeredPeople(ports, caller, query.orgId)),
    'POST /api/people': async ({ caller, body }) => created(await addPerson(ports, caller, body)),
    'POST /api/people/{id}/departure': async ({ caller, id, body }) =>
      ok(await recordDeparture(ports, caller, id, body.successorId)),
    'GET /api/position-requests': async ({ caller }) => ok(await pendingPositionRequests(ports, caller)),
    'POST /api/position-requests/{id}/approve': async ({ caller, id }) =>
      ok(await approvePositionRequest(ports, caller, id)),
    'POST /api/position-requests/{id}/reject': async ({ caller, id, body }) =>
      ok(await rejectPositionRequest(ports, caller, id, body.reason)),
    'GET /api/administration-log': async ({ caller }) => ok(await administrationLog(ports, caller)),
    'GET /api/delegations': async ({ caller, query }) => ok(await delegationsOf(ports, caller, query.orgId)),
    'POST /api/delegations': async ({ caller, body }) => created(await createDelegation(ports, caller, body)),
    'POST /api/delegations/{id}/revoke': async ({ caller, id }) =>
      ok(await revokeDelegationById(ports, caller, id)),
    'GET /api/people/{id}/signature-image': async ({ caller, id }) =>
      ok(await signatureImageOf(ports, caller, id)),
    'POST /api/people/{id}/signature-image/uploads': async ({ caller, id }) =>
      created(await startSignatureImageUpload(ports, caller, id)),
    'POST /api/people/{id}/signature-image': async ({ caller, id, body }) =>
      ok(await registerSignatureImage(ports, caller, id, body.uploadId)),
    'DELETE /api/people/{id}/signature-image': async ({ caller, id }) =>
      ok(await removeSignatureImage(ports, caller, id)),
  },
  writeOptions(),
);

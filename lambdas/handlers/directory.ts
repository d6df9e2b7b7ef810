import { cityRevocations } from '../adapters/certificate-service';
import { dynamoDirectory } from '../adapters/directory-store';
import { s3SignatureImageFiles } from '../adapters/file-store';
import { directoryContracts } from '../contracts/directory';
import { apiHandler, created, ok } from '../http/api';
import {
  changePosition,
  type PeoplePorts,
  registerSignatureImage,
  removeSignatureImage,
  signatureImageOf,
  startSignatureImageUpload,
} from '../use-cases/people';
import { me, organisations, peopleOf } from '../use-cases/read/directory';
import { writeOptions } from './wiring';

/** Organisations and people: who is signed in, the directory, positions and signature images. */

const ports: PeoplePorts = {
  directory: dynamoDirectory,
  certificates: cityRevocations,
  signatureImages: s3SignatureImageFiles,
  now: () => new Date(),
};

export const handler = apiHandler(
  'directory',
  directoryContracts,
  {
    'GET /api/me': async ({ caller }) => ok(me(caller)),
    'GET /api/orgs': async ({ caller, query }) => ok(organisations(caller, query.kind)),
    'GET /api/people': async ({ caller, query }) => ok(await peopleOf(ports, caller, query.orgId)),
    'PUT /api/people/{id}/position': async ({ caller, id, body }) =>
      ok(await changePosition(ports, caller, id, body)),
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

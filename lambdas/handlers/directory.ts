import { findPerson, listPeople, loadDirectory } from '../adapters/directory-store';
import { directoryContracts } from '../contracts/directory';
import type { Organisation } from '../core/domain/directory';
import { DomainError } from '../core/errors';
import { apiHandler } from '../http/api';
import { parseInput } from '../http/validation';
import {
  changePosition,
  registerSignatureImage,
  removeSignatureImage,
  signatureImageOf,
  startSignatureImageUpload,
} from '../workflow/people';

const summary = (org: Organisation) => ({
  id: org.id,
  name: org.name,
  shortName: org.shortName,
  kind: org.kind,
  code: org.code,
  issuerCode: org.issuerCode,
  parentId: org.parentId,
});

export const handler = apiHandler(
  {
    'GET /api/me': async ({ userId }) => {
      const person = userId ? await findPerson(userId) : undefined;
      if (!person) throw new DomainError('unauthenticated', 401);
      const directory = await loadDirectory();
      return {
        status: 200,
        body: { ...person, organisation: summary(directory.get(person.position.orgId)) },
      };
    },
    'GET /api/orgs': async ({ query, language }) => {
      const { kind } = parseInput(directoryContracts['GET /api/orgs'].query, query, language);
      const directory = await loadDirectory();
      const orgs = kind ? directory.ofKind(kind) : directory.organisations;
      return { status: 200, body: orgs.map(summary) };
    },
    'GET /api/people': async ({ userId, query, language }) => {
      const { orgId } = parseInput(directoryContracts['GET /api/people'].query, query, language);
      const caller = userId ? await findPerson(userId) : undefined;
      if (!caller) throw new DomainError('unauthenticated', 401);
      const own = caller.position.orgId;
      const wanted = orgId ?? own;
      if (wanted !== own && caller.position.role !== 'auditor') {
        throw new DomainError('forbidden', 403, {
          reason: 'chỉ xem được cán bộ của đơn vị mình / only your own organisation',
        });
      }
      (await loadDirectory()).get(wanted);
      const people = (await listPeople())
        .filter((p) => p.position.orgId === wanted)
        .map((p) => ({
          id: p.id,
          name: p.name,
          title: p.position.title,
          role: p.position.role,
          orgId: p.position.orgId,
          rank: p.position.rank,
          unitCode: p.position.unitCode,
        }))
        .sort((a, b) => a.name.localeCompare(b.name, 'vi'));
      return { status: 200, body: people };
    },
    'PUT /api/people/{id}/position': async ({ userId, pathParameters, body, language }) => {
      const position = parseInput(directoryContracts['PUT /api/people/{id}/position'].body, body, language);
      return { status: 200, body: await changePosition(userId, pathParameters.id ?? '', position) };
    },
    'GET /api/people/{id}/signature-image': async ({ userId, pathParameters }) => ({
      status: 200,
      body: await signatureImageOf(userId, pathParameters.id ?? ''),
    }),
    'POST /api/people/{id}/signature-image/uploads': async ({ userId, pathParameters, body, language }) => {
      parseInput(
        directoryContracts['POST /api/people/{id}/signature-image/uploads'].body,
        body ?? {},
        language,
      );
      return { status: 201, body: await startSignatureImageUpload(userId, pathParameters.id ?? '') };
    },
    'POST /api/people/{id}/signature-image': async ({ userId, pathParameters, body, language }) => {
      const { uploadId } = parseInput(
        directoryContracts['POST /api/people/{id}/signature-image'].body,
        body,
        language,
      );
      return { status: 200, body: await registerSignatureImage(userId, pathParameters.id ?? '', uploadId) };
    },
    'DELETE /api/people/{id}/signature-image': async ({ userId, pathParameters }) => ({
      status: 200,
      body: await removeSignatureImage(userId, pathParameters.id ?? ''),
    }),
  },
  { idempotent: true },
);

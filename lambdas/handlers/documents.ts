import { documentContracts } from '../contracts/documents';
import { apiHandler, created, ok } from '../http/api';
import { draftMetadata } from '../http/commands';
import { attachmentUrl, removeAttachment, startAttachmentUpload } from '../use-cases/attachments';
import { recall } from '../use-cases/delivery';
import { createDraft, outgoingCommand } from '../use-cases/drafts';
import { assign, forward, reassign, resolve, returnDocument, start } from '../use-cases/incoming';
import { fileUrl, viewFor } from '../use-cases/read/document-view';
import { circulationPorts as ports, writeOptions } from './wiring';

/**
 * Outgoing and incoming documents, every step that needs no PDF work and no key (those run in `signing`).
 */
export const handler = apiHandler(
  'documents',
  documentContracts,
  {
    'POST /api/documents': async ({ caller, body }) =>
      created(
        await createDraft(
          ports,
          caller,
          draftMetadata(body),
          body.classification,
          body.format,
          body.replaces
            ? { kind: 'replaces', documentId: body.replaces }
            : body.corrects
              ? { kind: 'corrects', documentId: body.corrects }
              : undefined,
        ),
      ),
    'GET /api/documents/{id}': async ({ caller, id }) => ok(await viewFor(ports, caller, id)),
    'GET /api/documents/{id}/file': async ({ caller, id, query }) => {
      const url = await fileUrl(ports, caller, id);
      return query.redirect === 'false' ? ok({ url }) : { status: 302, headers: { location: url } };
    },
    'POST /api/documents/{id}/attachments/uploads': async ({ caller, id, body }) =>
      created(
        await startAttachmentUpload(ports, caller, id, {
          fileName: body.fileName,
          mediaType: body.mediaType ?? 'application/octet-stream',
        }),
      ),
    'DELETE /api/documents/{id}/attachments/{attachmentId}': async ({ caller, id, pathParameters }) =>
      ok(await removeAttachment(ports, caller, id, pathParameters.attachmentId ?? '')),
    'GET /api/documents/{id}/attachments/{attachmentId}/file': async ({
      caller,
      id,
      pathParameters,
      query,
    }) => {
      const url = await attachmentUrl(
        ports,
        caller,
        id,
        pathParameters.attachmentId ?? '',
        query.part ?? 'file',
      );
      return query.redirect === 'false' ? ok({ url }) : { status: 302, headers: { location: url } };
    },
    'POST /api/documents/{id}/submit': async ({ caller, id, body }) =>
      ok(await outgoingCommand(ports, caller, id, { type: 'submit', ...body })),
    'POST /api/documents/{id}/approve': async ({ caller, id, body }) =>
      ok(await outgoingCommand(ports, caller, id, { type: 'approve', ...body })),
    'POST /api/documents/{id}/recall': async ({ caller, id, body }) =>
      ok(await recall(ports, caller, id, body.reason)),
    'POST /api/documents/{id}/return': async ({ caller, id, body }) =>
      ok(await returnDocument(ports, caller, id, body.reason)),
    'POST /api/documents/{id}/assign': async ({ caller, id, body }) =>
      ok(await assign(ports, caller, id, body)),
    'POST /api/documents/{id}/reassign': async ({ caller, id, body }) =>
      ok(await reassign(ports, caller, id, body)),
    'POST /api/documents/{id}/start': async ({ caller, id }) => ok(await start(ports, caller, id)),
    'POST /api/documents/{id}/resolve': async ({ caller, id, body }) =>
      ok(await resolve(ports, caller, id, body)),
    'POST /api/documents/{id}/forward': async ({ caller, id, body }) =>
      ok(
        await forward(ports, caller, id, {
          to: typeof body.to === 'string' ? [body.to] : body.to,
          note: body.note,
        }),
      ),
  },
  writeOptions(),
);

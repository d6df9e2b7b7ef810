import { documentContracts as c } from '../contracts/documents';
import { apiHandler } from '../http/api';
import { act, bodyOf, pathId } from '../http/document-route';
import { parseInput } from '../http/validation';
import * as workflow from '../workflow/documents';

/**
 * Outgoing and incoming documents, every step that needs no PDF work and no key (those run in `signing`):
 * every write goes through the workflow service and its pure core.
 */

export const handler = apiHandler(
  {
    'POST /api/documents': async (request) => {
      const input = bodyOf(c['POST /api/documents'].body, request);
      return {
        status: 201,
        body: await workflow.createDraft(await workflow.callerOf(request.userId), input),
      };
    },
    'GET /api/documents/{id}': act((caller, r) => workflow.viewFor(caller, pathId(r))),
    'GET /api/documents/{id}/file': async (request) => {
      const { redirect } = parseInput(
        c['GET /api/documents/{id}/file'].query,
        request.query,
        request.language,
      );
      const url = await workflow.fileUrl(await workflow.callerOf(request.userId), pathId(request));
      return redirect === 'false'
        ? { status: 200, body: { url } }
        : { status: 302, headers: { location: url } };
    },
    'POST /api/documents/{id}/submit': act((caller, r) =>
      workflow.outgoingCommand(caller, pathId(r), {
        type: 'submit',
        ...bodyOf(c['POST /api/documents/{id}/submit'].body, r),
      }),
    ),
    'POST /api/documents/{id}/approve': act((caller, r) =>
      workflow.outgoingCommand(caller, pathId(r), {
        type: 'approve',
        ...bodyOf(c['POST /api/documents/{id}/approve'].body, r),
      }),
    ),
    'POST /api/documents/{id}/recall': act((caller, r) =>
      workflow.recall(caller, pathId(r), bodyOf(c['POST /api/documents/{id}/recall'].body, r).reason),
    ),
    'POST /api/documents/{id}/replace': act((caller, r) => {
      const { replacementId, reason } = bodyOf(c['POST /api/documents/{id}/replace'].body, r);
      return workflow.outgoingCommand(caller, pathId(r), {
        type: 'replace',
        replacementDocumentId: replacementId,
        reason,
      });
    }),
    'POST /api/documents/{id}/return': act((caller, r) =>
      workflow.returnDocument(caller, pathId(r), bodyOf(c['POST /api/documents/{id}/return'].body, r).reason),
    ),
    'POST /api/documents/{id}/assign': act((caller, r) =>
      workflow.assign(caller, pathId(r), bodyOf(c['POST /api/documents/{id}/assign'].body, r)),
    ),
    'POST /api/documents/{id}/reassign': act((caller, r) =>
      workflow.reassign(caller, pathId(r), bodyOf(c['POST /api/documents/{id}/reassign'].body, r)),
    ),
    'POST /api/documents/{id}/start': act((caller, r) => {
      bodyOf(c['POST /api/documents/{id}/start'].body, r);
      return workflow.start(caller, pathId(r));
    }),
    'POST /api/documents/{id}/resolve': act((caller, r) =>
      workflow.resolve(caller, pathId(r), bodyOf(c['POST /api/documents/{id}/resolve'].body, r)),
    ),
    'POST /api/documents/{id}/forward': act((caller, r) =>
      workflow.forward(caller, pathId(r), bodyOf(c['POST /api/documents/{id}/forward'].body, r)),
    ),
  },
  { idempotent: true },
);

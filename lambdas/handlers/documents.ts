import type { ZodType } from 'zod';
import { documentContracts as c } from '../contracts/documents';
import { type ApiRequest, apiHandler, type RouteHandler } from '../http/api';
import { parseInput } from '../http/validation';
import * as workflow from '../workflow/documents';

/**
 * Outgoing and incoming documents, every step that needs no PDF work and no key (those run in `signing`):
 * every write goes through the workflow service and its pure core.
 */

const id = (request: ApiRequest) => request.pathParameters.id ?? '';
const body = <T>(schema: ZodType<T>, request: ApiRequest): T =>
  parseInput(schema, request.body ?? {}, request.language);

/** A route that acts on one document as the signed-in person, answering with the document as they see it. */
const act =
  (run: (caller: workflow.Caller, request: ApiRequest) => Promise<unknown>): RouteHandler =>
  async (request) => ({ status: 200, body: await run(await workflow.callerOf(request.userId), request) });

export const handler = apiHandler(
  {
    'POST /api/documents': async (request) => {
      const input = body(c['POST /api/documents'].body, request);
      return {
        status: 201,
        body: await workflow.createDraft(await workflow.callerOf(request.userId), input),
      };
    },
    'GET /api/documents/{id}': act((caller, r) => workflow.viewFor(caller, id(r))),
    'GET /api/documents/{id}/file': async (request) => {
      const { redirect } = parseInput(
        c['GET /api/documents/{id}/file'].query,
        request.query,
        request.language,
      );
      const url = await workflow.fileUrl(await workflow.callerOf(request.userId), id(request));
      return redirect === 'false'
        ? { status: 200, body: { url } }
        : { status: 302, headers: { location: url } };
    },
    'POST /api/documents/{id}/submit': act((caller, r) =>
      workflow.outgoingCommand(caller, id(r), {
        type: 'submit',
        ...body(c['POST /api/documents/{id}/submit'].body, r),
      }),
    ),
    'POST /api/documents/{id}/approve': act((caller, r) =>
      workflow.outgoingCommand(caller, id(r), {
        type: 'approve',
        ...body(c['POST /api/documents/{id}/approve'].body, r),
      }),
    ),
    'POST /api/documents/{id}/recall': act((caller, r) =>
      workflow.recall(caller, id(r), body(c['POST /api/documents/{id}/recall'].body, r).reason),
    ),
    'POST /api/documents/{id}/replace': act((caller, r) => {
      const { replacementId, reason } = body(c['POST /api/documents/{id}/replace'].body, r);
      return workflow.outgoingCommand(caller, id(r), {
        type: 'replace',
        replacementDocumentId: replacementId,
        reason,
      });
    }),
    'POST /api/documents/{id}/return': act((caller, r) =>
      workflow.returnDocument(caller, id(r), body(c['POST /api/documents/{id}/return'].body, r).reason),
    ),
    'POST /api/documents/{id}/assign': act((caller, r) =>
      workflow.assign(caller, id(r), body(c['POST /api/documents/{id}/assign'].body, r)),
    ),
    'POST /api/documents/{id}/reassign': act((caller, r) =>
      workflow.reassign(caller, id(r), body(c['POST /api/documents/{id}/reassign'].body, r)),
    ),
    'POST /api/documents/{id}/start': act((caller, r) => {
      body(c['POST /api/documents/{id}/start'].body, r);
      return workflow.start(caller, id(r));
    }),
    'POST /api/documents/{id}/resolve': act((caller, r) =>
      workflow.resolve(caller, id(r), body(c['POST /api/documents/{id}/resolve'].body, r)),
    ),
    'POST /api/documents/{id}/forward': act((caller, r) =>
      workflow.forward(caller, id(r), body(c['POST /api/documents/{id}/forward'].body, r)),
    ),
  },
  { idempotent: true },
);

import type { ZodType } from 'zod';
import * as workflow from '../workflow/documents';
import type { ApiRequest, RouteHandler } from './api';
import { parseInput } from './validation';

/** Helpers of the routes that act on one document (the documents, signing and audit functions). */

/** The `{id}` of the route's path. */
export const pathId = (request: ApiRequest) => request.pathParameters.id ?? '';

/** The request body, checked against the route's contract; a 400 in the caller's language otherwise. */
export const bodyOf = <T>(schema: ZodType<T>, request: ApiRequest): T =>
  parseInput(schema, request.body ?? {}, request.language);

/** A route that acts on one document as the signed-in person, answering with the document as they see it. */
export const act =
  (run: (caller: workflow.Caller, request: ApiRequest) => Promise<unknown>): RouteHandler =>
  async (request) => ({ status: 200, body: await run(await workflow.callerOf(request.userId), request) });

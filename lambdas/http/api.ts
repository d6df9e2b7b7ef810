import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import { PathParametersSchema, type RouteContract } from '../contracts/contract';
import type { Caller } from '../core/domain/caller';
import { DomainError } from '../core/errors';
import { type Language, negotiateLanguage, renderError, renderMessage } from '../core/i18n/messages';
import { logger, metrics, tracer } from '../observability';
import type { DirectoryRepository } from '../ports/directory';
import { type FunctionName, type RouteKeyOf, routeTable, type SignedInRouteKey } from '../routes';
import { parseInput } from './validation';

/** Claims the JWT authorizer (Cognito deployed, the local identity provider on a laptop) puts in the event. */
export interface JwtClaims {
  readonly sub: string;
  readonly [claim: string]: string | number | boolean | string[] | undefined;
}

type InputOf<C, K extends 'body' | 'query'> = C extends { readonly [P in K]: z.ZodType<infer T> }
  ? T
  : undefined;

/** What a route's function receives: its input checked against its contract, and who is asking. */
export interface RouteRequest<K extends string = string, C = RouteContract> {
  readonly event: APIGatewayProxyEventV2;
  readonly language: Language;
  /** `{id}` of the path, when the route has one. */
  readonly id: string;
  readonly pathParameters: Readonly<Record<string, string>>;
  /** The body, as the route's contract parsed it. */
  readonly body: InputOf<C, 'body'>;
  /** The query string, as the route's contract parsed it. */
  readonly query: InputOf<C, 'query'>;
  /** The signed-in person as the directory says now; every route behind the authorizer has one. */
  readonly caller: K extends SignedInRouteKey ? Caller : undefined;
}

export interface ApiResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** The body is bytes (a Buffer), sent base64-encoded as API Gateway requires. */
  readonly binary?: boolean;
}

export const ok = (body: unknown): ApiResult => ({ status: 200, body });
export const created = (body: unknown): ApiResult => ({ status: 201, body });

/** One function of a route: its typed request in, a result out. */
export type RouteFunction<K extends string, C> = (request: RouteRequest<K, C>) => Promise<ApiResult>;

/** A function's routes: exactly the keys the route table gives it, each with its contract. */
export type RouteMap<F extends FunctionName, Cs> = {
  readonly [K in RouteKeyOf<F>]: K extends keyof Cs ? RouteFunction<K, Cs[K]> : never;
};

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2;

function claimsOf(event: Event): JwtClaims | undefined {
  // HTTP API events carry the JWT authorizer's claims here; the base event type does not declare them.
  const authorizer = (event.requestContext as { authorizer?: { jwt?: { claims?: JwtClaims } } }).authorizer;
  return authorizer?.jwt?.claims;
}

/**
 * Who the token speaks for. Cognito's `sub` is a generated UUID, so the user pool carries docflow's person
 * id in the immutable `custom:personId` attribute (ID tokens); the local identity provider sets both.
 */
function personIdOf(claims: JwtClaims | undefined): string | undefined {
  const personId = claims?.['custom:personId'];
  return typeof personId === 'string' && personId !== '' ? personId : claims?.sub;
}

function parseBody(event: Event): unknown {
  if (event.body === undefined || event.body === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DomainError('invalid_json', 400, { detail: (error as Error).message });
  }
}

function json(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): Result {
  const isText = typeof body === 'string';
  return {
    statusCode: status,
    headers: {
      'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
      ...headers,
    },
    body: body === undefined ? '' : isText ? body : JSON.stringify(body),
  };
}

export function errorResult(thrown: unknown, language: Language): Result {
  const error = idempotencyError(thrown) ?? thrown;
  if (error instanceof DomainError) {
    return json(error.status, {
      error: { code: error.code, message: renderError(error, language) },
    });
  }
  logger.error('unhandled error', { error: error as Error });
  return json(500, { error: { code: 'internal', message: renderMessage('internal', language) } });
}

/** Turns thrown errors into JSON responses in the caller's language; unexpected ones are logged as 500s. */
const errorResponses = (): MiddlewareObj<Event, Result> => ({
  onError: async (request) => {
    request.response = errorResult(
      request.error,
      negotiateLanguage(request.event.headers?.['accept-language']),
    );
    // What alarms and dashboards count: refusals people caused apart from failures of ours.
    const status = request.response.statusCode ?? 500;
    metrics.addMetric(status >= 500 ? 'ServerErrors' : 'ClientErrors', MetricUnit.Count, 1);
  },
});

/**
 * A write sent again with the same Idempotency-Key (by the same person, to the same route) returns the
 * first result and changes nothing; the same key with another body is refused. Reads, and writes without
 * the header, are not deduplicated: the JMESPath yields null for them, which Powertools skips.
 */
function idempotentWrites(persistenceStore: BasePersistenceLayer): MiddlewareObj<Event, Result> {
  const sameRequest =
    '(requestContext.http.method == \'POST\' || null) && headers."idempotency-key" && ' +
    '[requestContext.authorizer.jwt.claims.sub, routeKey, rawPath, headers."idempotency-key"]';
  const powertools = makeHandlerIdempotent({
    persistenceStore,
    config: new IdempotencyConfig({
      eventKeyJmesPath: sameRequest,
      payloadValidationJmesPath: "body || ''",
      expiresAfterSeconds: 24 * 60 * 60,
    }),
  });
  // Powertools' onError deletes the record under the request's key. When the request was refused *because*
  // of that record (reused key), the record is someone else's: keep it.
  const refused = new WeakSet<object>();
  // Requests that run beside an earlier attempt still marked in progress: Powertools must not touch its record.
  const unrecorded = new WeakSet<object>();
  return {
    before: async (request) => {
      const deadline = Date.now() + IN_PROGRESS_WAIT_MS;
      for (;;) {
        try {
          return await powertools.before?.(request);
        } catch (error) {
          const name = (error as Error).name;
          if (name === 'IdempotencyAlreadyInProgressError' && Date.now() < deadline) {
            // The first attempt may finish any moment: its answer is the answer.
            await new Promise((r) => setTimeout(r, 250));
            continue;
          }
          if (name === 'IdempotencyAlreadyInProgressError') {
            // Still in progress: it may have died with its function. Every write is safe to run again (it does
            // only what is missing and answers with the outcome), so run it rather than refuse the retry.
            unrecorded.add(request);
            return undefined;
          }
          if (idempotencyError(error)) refused.add(request);
          throw error;
        }
      }
    },
    after: async (request) => {
      if (!unrecorded.has(request)) await powertools.after?.(request);
    },
    onError: async (request) => {
      if (!refused.has(request) && !unrecorded.has(request)) await powertools.onError?.(request);
    },
  };
}

/** How long a retry waits for an earlier attempt still in progress before running itself. */
const IN_PROGRESS_WAIT_MS = 8_000;

/** Powertools' idempotency errors, as a person reads them. */
function idempotencyError(error: unknown): DomainError | undefined {
  const name = (error as Error | undefined)?.name;
  if (name === 'IdempotencyValidationError') return new DomainError('idempotency_key_reused', 422);
  if (name === 'IdempotencyAlreadyInProgressError') return new DomainError('idempotency_in_progress', 409);
  return undefined;
}

export interface ApiHandlerOptions {
  /** Where the signed-in person is looked up: authorization follows the directory, not the token. */
  readonly directory?: Pick<DirectoryRepository, 'findPerson' | 'loadDirectory'> &
    Partial<Pick<DirectoryRepository, 'listDelegations'>>;
  /** Where writes with an Idempotency-Key keep their first result (the functions that write). */
  readonly idempotency?: BasePersistenceLayer;
}

/** The signed-in person as they are now; 401 when the token names nobody the directory knows. */
async function callerOf(
  directory: ApiHandlerOptions['directory'],
  userId: string | undefined,
): Promise<Caller> {
  const person = userId && directory ? await directory.findPerson(userId) : undefined;
  if (!person || !directory) throw new DomainError('unauthenticated', 401);
  // TL./TUQ. delegations are held by leaders only (core/domain/capacity.ts): read fresh, so that a
  // revocation holds from the next request on; the revoked ones too, so a refusal can say since when.
  const delegations =
    person.position.role === 'leader' && directory.listDelegations
      ? await directory.listDelegations({ delegateId: person.id })
      : [];
  return { actor: { ...person, delegations }, directory: await directory.loadDirectory() };
}

/**
 * A Lambda handler for one function's routes, dispatched on the routeKey API Gateway sets. The route map
 * must name exactly the routes the table gives the function; each route's body and query are parsed with
 * its contract and the caller resolved before its function runs. Errors, logging, metrics and (for
 * functions that write) idempotency live here.
 */
export function apiHandler<F extends FunctionName, const Cs extends Readonly<Record<string, RouteContract>>>(
  _fn: F,
  contracts: Cs,
  routes: RouteMap<F, Cs>,
  options: ApiHandlerOptions = {},
) {
  const handler = middy<Event, Result, Error, Context>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(injectLambdaContext(logger))
    .use(errorResponses());
  if (options.idempotency) handler.use(idempotentWrites(options.idempotency));
  // Checked per route at compile time (RouteMap); dispatched by key here.
  const table = routes as unknown as Readonly<Record<string, (request: unknown) => Promise<ApiResult>>>;
  return handler.handler(async (event) => {
    // Every invocation publishes at least this (Powertools warns on each one that publishes nothing).
    metrics.addMetric('Requests', MetricUnit.Count, 1);
    const route = table[event.routeKey];
    const contract: RouteContract | undefined = contracts[event.routeKey];
    if (!route || !contract) {
      throw new DomainError('route_not_found', 404, {
        method: event.requestContext.http.method,
        path: event.rawPath,
      });
    }
    const language = negotiateLanguage(event.headers?.['accept-language']);
    const pathParameters = (event.pathParameters ?? {}) as Record<string, string>;
    const rawBody = parseBody(event);
    const rawQuery = event.queryStringParameters ?? {};
    const signedIn =
      (routeTable as Readonly<Record<string, { auth: boolean }>>)[event.routeKey]?.auth === true;
    const result = await route({
      event,
      language,
      id:
        pathParameters.id === undefined
          ? ''
          : parseInput(PathParametersSchema, { id: pathParameters.id }, language).id,
      pathParameters,
      body: contract.body ? parseInput(contract.body, rawBody ?? {}, language) : undefined,
      query: contract.query ? parseInput(contract.query, rawQuery, language) : undefined,
      caller: signedIn ? await callerOf(options.directory, personIdOf(claimsOf(event))) : undefined,
    });
    if (result.binary && Buffer.isBuffer(result.body)) {
      return {
        statusCode: result.status,
        headers: { ...result.headers },
        body: result.body.toString('base64'),
        isBase64Encoded: true,
      };
    }
    return json(result.status, result.body, result.headers);
  });
}

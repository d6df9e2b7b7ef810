import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { dynamoClient } from '../adapters/aws-clients';
import { DomainError } from '../core/errors';
import { type Language, negotiateLanguage, renderMessage } from '../core/i18n/messages';
import { resourceName, tables } from '../deployment/resources';
import { logger, metrics, tracer } from '../observability';

/** Claims the JWT authorizer (Cognito deployed, the local identity provider on a laptop) puts in the event. */
export interface JwtClaims {
  readonly sub: string;
  readonly [claim: string]: string | number | boolean | string[] | undefined;
}

export interface ApiRequest {
  readonly event: APIGatewayProxyEventV2;
  readonly language: Language;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  /** Parsed JSON body, or undefined when there was none. */
  readonly body: unknown;
  /** The authenticated user's id (`sub`), or undefined on public routes. */
  readonly userId: string | undefined;
}

export interface ApiResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** The body is bytes (a Buffer), sent base64-encoded as API Gateway requires. */
  readonly binary?: boolean;
}

export type RouteHandler = (request: ApiRequest) => Promise<ApiResult>;

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
      error: { code: error.code, message: renderMessage(error.code, language, error.params) },
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
function idempotentWrites(): MiddlewareObj<Event, Result> {
  const sameRequest =
    '(requestContext.http.method == \'POST\' || null) && headers."idempotency-key" && ' +
    '[requestContext.authorizer.jwt.claims.sub, routeKey, rawPath, headers."idempotency-key"]';
  const powertools = makeHandlerIdempotent({
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName: resourceName(tables.idempotency),
      awsSdkV3Client: dynamoClient(),
    }),
    config: new IdempotencyConfig({
      eventKeyJmesPath: sameRequest,
      payloadValidationJmesPath: "body || ''",
      expiresAfterSeconds: 24 * 60 * 60,
    }),
  });
  // Powertools' onError deletes the record under the request's key. When the request was refused *because*
  // of that record (reused key, or the first request still running), the record is someone else's: keep it.
  const refused = new WeakSet<object>();
  return {
    before: async (request) => {
      try {
        return await powertools.before?.(request);
      } catch (error) {
        if (idempotencyError(error)) refused.add(request);
        throw error;
      }
    },
    after: powertools.after,
    onError: async (request) => {
      if (!refused.has(request)) await powertools.onError?.(request);
    },
  };
}

/** Powertools' idempotency errors, as a person reads them. */
function idempotencyError(error: unknown): DomainError | undefined {
  const name = (error as Error | undefined)?.name;
  if (name === 'IdempotencyValidationError') return new DomainError('idempotency_key_reused', 422);
  if (name === 'IdempotencyAlreadyInProgressError') return new DomainError('idempotency_in_progress', 409);
  return undefined;
}

/**
 * A Lambda handler for a set of API routes, dispatched on the routeKey API Gateway sets. Each route is a
 * plain async function from an ApiRequest to an ApiResult; parsing, errors, logging and (for functions
 * that write) idempotency live here.
 */
export function apiHandler(
  routes: Readonly<Record<string, RouteHandler>>,
  options: { idempotent?: boolean } = {},
) {
  const handler = middy<Event, Result, Error, Context>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(injectLambdaContext(logger))
    .use(errorResponses());
  if (options.idempotent) handler.use(idempotentWrites());
  return handler.handler(async (event) => {
    // Every invocation publishes at least this (Powertools warns on each one that publishes nothing).
    metrics.addMetric('Requests', MetricUnit.Count, 1);
    const route = routes[event.routeKey];
    if (!route) {
      throw new DomainError('route_not_found', 404, {
        method: event.requestContext.http.method,
        path: event.rawPath,
      });
    }
    const result = await route({
      event,
      language: negotiateLanguage(event.headers?.['accept-language']),
      pathParameters: (event.pathParameters ?? {}) as Record<string, string>,
      query: (event.queryStringParameters ?? {}) as Record<string, string>,
      body: parseBody(event),
      userId: personIdOf(claimsOf(event)),
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

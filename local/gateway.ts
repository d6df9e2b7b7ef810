import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  type Language,
  type MessageCode,
  negotiateLanguage,
  renderMessage,
} from '../lambdas/core/i18n/messages';
import { throttlingMessages } from '../lambdas/core/i18n/throttling';
import { publicThrottle, type RouteSpec, routeKey, routes } from '../lambdas/routes';
import { type DevAnswer, devLogin, devToken } from './dev-login';
import type { FunctionInvoker } from './functions/host';
import type { LocalIdentityProvider, TokenSubject } from './identity-provider';
import { attachLiveSocket } from './live-socket';
import { ClientRateLimiter } from './rate-limit';

/**
 * The laptop's API Gateway: turns HTTP requests into HTTP API (payload 2.0) events, checks JWTs as the
 * deployed authorizer does, and calls the very handler modules CDK deploys. It also plays the identity
 * provider's login endpoints and serves the web inbox, all on one port.
 */

export interface DemoUser extends TokenSubject {
  readonly title: string;
  readonly orgName: string;
}

export interface GatewayOptions {
  readonly port: number;
  readonly host: string;
  readonly idp: LocalIdentityProvider;
  readonly demoUsers: () => Promise<readonly DemoUser[]>;
  readonly webRoot: string;
  readonly log: (line: string) => void;
  /** Runs a function's handler with an event (each function in its own worker: local/functions/host.ts). */
  readonly invoke: FunctionInvoker;
}

// API Gateway HTTP API rejects larger payloads; so do we, before reading them whole.
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/*
 * A client that sends its body slowly, or stops half-way, must not hold a connection (and a handler's turn)
 * for minutes: Node's defaults wait 300 s. Here a body may pause at most BODY_IDLE_MS and take at most
 * BODY_TOTAL_MS in all (10 MB takes well under a second on a laptop), and headers must be in within
 * HEADERS_TIMEOUT_MS; Node itself answers 408 past REQUEST_TIMEOUT_MS, a backstop the body timers come
 * before. In AWS, API Gateway reads the whole request before it invokes a function (docs/DEPLOY.md).
 */
export const BODY_IDLE_MS = 5_000;
export const BODY_TOTAL_MS = 10_000;
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 15_000;
/**
 * How long an idle client connection stays open between requests. With Node's 5 s, a client whose event
 * loop was blocked for a moment (a test running pdfsig with spawnSync) reused a connection the gateway had
 * just closed and saw "other side closed"; the local S3 gate had the same race (local/s3-gate.ts).
 */
const KEEP_ALIVE_MS = 65_000;

interface CompiledRoute {
  readonly spec: RouteSpec;
  readonly pattern: RegExp;
  readonly params: readonly string[];
}

function compile(spec: RouteSpec): CompiledRoute {
  const params: string[] = [];
  const source = spec.path
    .split('/')
    .map((segment) => {
      const match = /^\{(\w+)\}$/.exec(segment);
      if (!match?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      params.push(match[1]);
      return '([^/]+)';
    })
    .join('/');
  return { spec, pattern: new RegExp(`^${source}$`), params };
}

const compiledRoutes = routes.map(compile);

class PayloadTooLarge extends Error {}
class BodyTimeout extends Error {
  constructor(readonly afterMs: number) {
    super(`request body timed out after ${afterMs} ms`);
  }
}

/** The whole body, or BodyTimeout when it stalls for BODY_IDLE_MS or takes longer than BODY_TOTAL_MS. */
function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let idle: NodeJS.Timeout | undefined;
    const fail = (error: Error) => {
      clearTimeout(idle);
      clearTimeout(total);
      request.removeAllListeners('data');
      // Stop reading: whatever else the client sends is discarded with the connection.
      request.pause();
      reject(error);
    };
    const total = setTimeout(() => fail(new BodyTimeout(BODY_TOTAL_MS)), BODY_TOTAL_MS);
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => fail(new BodyTimeout(BODY_IDLE_MS)), BODY_IDLE_MS);
    };
    armIdle();
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return fail(new PayloadTooLarge());
      chunks.push(chunk);
      armIdle();
    });
    request.once('end', () => {
      clearTimeout(idle);
      clearTimeout(total);
      resolveBody(Buffer.concat(chunks));
    });
    request.once('error', fail);
  });
}

/**
 * Decodes a percent-encoded path segment; undefined when it is not valid UTF-8 percent-encoding (`%E0%A4%A`,
 * an encoded lone surrogate `%ED%A0%80`), which no route can match.
 */
function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function sendInvalidPath(response: ServerResponse, pathname: string, language: Language): number {
  const shown = pathname.length > 200 ? `${pathname.slice(0, 200)}…` : pathname;
  sendError(response, 400, 'invalid_path', language, { path: shown });
  return 400;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

function sendError(
  response: ServerResponse,
  status: number,
  code: MessageCode,
  language: Language,
  params: Record<string, string> = {},
): void {
  sendJson(response, status, { error: { code, message: renderMessage(code, language, params) } });
}

/** HTTP API puts JWT claims in the event as strings; arrays appear as `[a b]`. */
export function authorizerClaims(payload: Record<string, unknown>): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload)) {
    claims[key] = Array.isArray(value) ? `[${value.join(' ')}]` : String(value);
  }
  return claims;
}

/** What an HTTP API (payload 2.0) event is made of, as the gateway reads it from a request. */
export interface ApiEventParts {
  readonly method: string;
  readonly url: URL;
  readonly routeKey: string;
  readonly pathParameters?: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly claims?: Record<string, string>;
  readonly sourceIp?: string;
  readonly protocol?: string;
}

/** The event API Gateway's HTTP API hands a Lambda integration (payload format 2.0). */
export function apiEvent(parts: ApiEventParts): APIGatewayProxyEventV2 {
  const { url, body, claims } = parts;
  const headers = { ...parts.headers };
  headers['x-forwarded-proto'] ??= 'http';
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = key in query ? `${query[key]},${value}` : value;
  const now = new Date();
  const isText = /json|text|x-www-form-urlencoded/.test(headers['content-type'] ?? 'application/json');
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: parts.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    pathParameters:
      parts.pathParameters && Object.keys(parts.pathParameters).length > 0 ? parts.pathParameters : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: parts.method,
        path: url.pathname,
        protocol: parts.protocol ?? 'HTTP/1.1',
        sourceIp: parts.sourceIp ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: parts.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length > 0 ? (isText ? body.toString('utf8') : body.toString('base64')) : undefined,
    isBase64Encoded: body.length > 0 && !isText,
  };
  if (claims) Object.assign(event.requestContext, { authorizer: { jwt: { claims, scopes: null } } });
  return event;
}

function toEvent(
  request: IncomingMessage,
  url: URL,
  route: CompiledRoute,
  pathParameters: Record<string, string>,
  body: Buffer,
  claims: Record<string, string> | undefined,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(',') : value;
  }
  return apiEvent({
    method: request.method ?? 'GET',
    url,
    routeKey: routeKey(route.spec),
    pathParameters: route.params.length > 0 ? pathParameters : undefined,
    headers,
    body,
    claims,
    sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
    protocol: `HTTP/${request.httpVersion}`,
  });
}

function writeResult(response: ServerResponse, result: APIGatewayProxyStructuredResultV2 | string): number {
  // HTTP API treats a bare value as a 200 JSON body, as here.
  if (typeof result === 'string' || result.statusCode === undefined) {
    sendJson(response, 200, result);
    return 200;
  }
  const headers: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(result.headers ?? {})) headers[key] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  response.writeHead(result.statusCode, headers);
  response.end(result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''));
  return result.statusCode;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.mjs': 'text/javascript; charset=utf-8',
};

async function serveStatic(
  webRoot: string,
  pathname: string,
  response: ServerResponse,
  language: Language,
): Promise<number> {
  const decoded = decodeSegment(pathname);
  if (decoded === undefined) return sendInvalidPath(response, pathname, language);
  const relative = normalize(decoded).replace(/^(\.\.[/\\])+/, '');
  let file = join(webRoot, relative);
  if (!file.startsWith(webRoot)) file = join(webRoot, 'index.html');
  const isFile = await stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
  // A single-page app: unknown paths get index.html and the client routes them.
  if (!isFile) file = join(webRoot, 'index.html');
  try {
    const content = await readFile(file);
    response.writeHead(200, { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream' });
    response.end(content);
    return 200;
  } catch {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('Not found');
    return 404;
  }
}

async function handleDev(
  options: GatewayOptions,
  method: string,
  pathname: string,
  body: Buffer,
  language: Language,
  response: ServerResponse,
): Promise<number> {
  if (method === 'GET' && pathname === '/api/dev/users') {
    sendJson(response, 200, { users: await options.demoUsers() });
    return 200;
  }
  if (method === 'POST' && (pathname === '/api/dev/login' || pathname === '/api/dev/token')) {
    let answer: DevAnswer;
    if (pathname === '/api/dev/token') {
      answer = await devToken(options.idp, body.toString('utf8'));
    } else {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8') || 'null');
      } catch (error) {
        sendError(response, 400, 'invalid_json', language, { detail: (error as Error).message });
        return 400;
      }
      answer = await devLogin(options.idp, await options.demoUsers(), parsed);
    }
    if ('error' in answer) sendError(response, answer.status, answer.error, language, answer.params);
    else sendJson(response, answer.status, answer.body);
    return answer.status;
  }
  sendError(response, 404, 'route_not_found', language, { method, path: pathname });
  return 404;
}

const throttledRoutes: ReadonlySet<string> = new Set(publicThrottle.routes);

async function handle(
  options: GatewayOptions,
  limiter: ClientRateLimiter,
  request: IncomingMessage,
  response: ServerResponse,
  live?: ReturnType<typeof attachLiveSocket>,
): Promise<number> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const method = request.method ?? 'GET';
  const language = negotiateLanguage(request.headers['accept-language']);
  if (live && url.pathname.startsWith('/@connections/')) {
    const answered = await live.manage(request, response, await readBody(request));
    if (answered !== undefined) return answered;
  }
  if (!url.pathname.startsWith('/api/'))
    return serveStatic(options.webRoot, url.pathname, response, language);

  let body: Buffer;
  try {
    body = await readBody(request);
  } catch (error) {
    // The rest of the body is not read: the connection cannot carry another request.
    response.setHeader('connection', 'close');
    if (error instanceof BodyTimeout) {
      sendError(response, 408, 'request_timeout', language, { seconds: String(error.afterMs / 1000) });
      return 408;
    }
    if (!(error instanceof PayloadTooLarge)) throw error;
    sendError(response, 413, 'payload_too_large', language, { limit: '10 MB' });
    return 413;
  }
  // Cuts every live-inbox connection, as a network drop would: for tests of reconnection (local only).
  if (live && method === 'POST' && url.pathname === '/api/dev/live/drop') {
    live.dropAll();
    response.writeHead(204).end();
    return 204;
  }
  if (url.pathname.startsWith('/api/dev/'))
    return handleDev(options, method, url.pathname, body, language, response);

  for (const route of compiledRoutes) {
    if (route.spec.method !== method) continue;
    const match = route.pattern.exec(url.pathname);
    if (!match) continue;
    const pathParameters: Record<string, string> = {};
    for (const [index, name] of route.params.entries()) {
      const value = decodeSegment(match[index + 1] ?? '');
      if (value === undefined) return sendInvalidPath(response, url.pathname, language);
      pathParameters[name] = value;
    }
    const key = routeKey(route.spec);
    if (throttledRoutes.has(key)) {
      const decision = limiter.take(`${request.socket.remoteAddress ?? ''} ${key}`);
      if (!decision.allowed) {
        const seconds = String(decision.retryAfterSeconds);
        response.setHeader('retry-after', seconds);
        sendJson(response, 429, {
          error: {
            code: 'too_many_requests',
            message: throttlingMessages.render('too_many_requests', language, { seconds }),
          },
        });
        return 429;
      }
    }
    let claims: Record<string, string> | undefined;
    if (route.spec.auth) {
      const token = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
      const payload = token ? await options.idp.verify(token) : undefined;
      if (!payload) {
        sendError(response, 401, 'unauthenticated', language);
        return 401;
      }
      claims = authorizerClaims(payload);
    }
    const event = toEvent(request, url, route, pathParameters, body, claims);
    const result = await options.invoke(route.spec.function, event, {
      functionName: `docflow-${route.spec.function}`,
      timeoutMs: 30_000,
    });
    return writeResult(response, result as APIGatewayProxyStructuredResultV2 | string);
  }
  sendError(response, 404, 'route_not_found', language, { method, path: url.pathname });
  return 404;
}

export async function startGateway(
  options: GatewayOptions,
): Promise<{ server: Server; port: number; live: ReturnType<typeof attachLiveSocket> }> {
  // Per client here; in AWS, per route (all clients) by API Gateway and per client by the web ACL.
  const limiter = new ClientRateLimiter(publicThrottle);
  let live: ReturnType<typeof attachLiveSocket> | undefined;
  const server = createServer(
    {
      headersTimeout: HEADERS_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      keepAliveTimeout: KEEP_ALIVE_MS,
      connectionsCheckingInterval: 1_000,
    },
    (request, response) => {
      const started = performance.now();
      handle(options, limiter, request, response, live)
        .then((status) => {
          const ms = Math.round(performance.now() - started);
          options.log(`${request.method} ${request.url} → ${status} (${ms} ms)`);
        })
        .catch((error: unknown) => {
          options.log(`${request.method} ${request.url} → 500: ${(error as Error).stack ?? String(error)}`);
          const language = negotiateLanguage(request.headers['accept-language']);
          if (!response.headersSent) sendError(response, 500, 'internal', language);
          else response.end();
        });
    },
  );
  live = attachLiveSocket(server, options);
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolveListen());
  });
  return { server, port: (server.address() as AddressInfo).port, live };
}

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
import { type RouteSpec, routeKey, routes } from '../lambdas/routes';
import type { FunctionInvoker } from './functions/host';
import type { LocalIdentityProvider, TokenSubject } from './identity-provider';

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

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new PayloadTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
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

async function serveStatic(webRoot: string, pathname: string, response: ServerResponse): Promise<number> {
  const relative = normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, '');
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

const DevLoginBody = (value: unknown): string | undefined => {
  if (typeof value === 'object' && value !== null && 'userId' in value && typeof value.userId === 'string') {
    return value.userId;
  }
  return undefined;
};

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
  if (method === 'POST' && pathname === '/api/dev/login') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8') || 'null');
    } catch (error) {
      sendError(response, 400, 'invalid_json', language, { detail: (error as Error).message });
      return 400;
    }
    const userId = DevLoginBody(parsed);
    if (!userId) {
      sendError(response, 400, 'validation_failed', language, { detail: 'userId' });
      return 400;
    }
    const user = (await options.demoUsers()).find((u) => u.userId === userId);
    if (!user) {
      sendError(response, 404, 'unknown_user', language, { userId });
      return 404;
    }
    const token = await options.idp.issue(user);
    sendJson(response, 200, { token, expiresIn: options.idp.tokenLifetimeSeconds, user });
    return 200;
  }
  sendError(response, 404, 'route_not_found', language, { method, path: pathname });
  return 404;
}

async function handle(
  options: GatewayOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<number> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const method = request.method ?? 'GET';
  const language = negotiateLanguage(request.headers['accept-language']);
  if (!url.pathname.startsWith('/api/')) return serveStatic(options.webRoot, url.pathname, response);

  let body: Buffer;
  try {
    body = await readBody(request);
  } catch (error) {
    if (!(error instanceof PayloadTooLarge)) throw error;
    sendError(response, 413, 'payload_too_large', language, { limit: '10 MB' });
    return 413;
  }
  if (url.pathname.startsWith('/api/dev/'))
    return handleDev(options, method, url.pathname, body, language, response);

  for (const route of compiledRoutes) {
    if (route.spec.method !== method) continue;
    const match = route.pattern.exec(url.pathname);
    if (!match) continue;
    const pathParameters: Record<string, string> = {};
    route.params.forEach((name, index) => {
      pathParameters[name] = decodeURIComponent(match[index + 1] ?? '');
    });
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

export async function startGateway(options: GatewayOptions): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    const started = performance.now();
    handle(options, request, response)
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
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolveListen());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

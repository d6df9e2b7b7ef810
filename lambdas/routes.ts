/**
 * The HTTP API's route table: the single source for the CDK stack (one Lambda per function, one HTTP API
 * route per entry) and for the local gateway (which imports the very same handler modules).
 */

export const functions = {
  system: { entry: 'lambdas/handlers/system.ts', description: 'Health and the OpenAPI document' },
  directory: { entry: 'lambdas/handlers/directory.ts', description: 'Organisations, people and positions' },
} as const;

export type FunctionName = keyof typeof functions;
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteSpec {
  readonly method: HttpMethod;
  /** API Gateway path template, e.g. `/api/documents/{id}/sign`. */
  readonly path: string;
  readonly function: FunctionName;
  /** Behind the JWT authorizer (Cognito when deployed, the local identity provider on a laptop). */
  readonly auth: boolean;
}

export const routes: readonly RouteSpec[] = [
  { method: 'GET', path: '/api/health', function: 'system', auth: false },
  { method: 'GET', path: '/api/openapi.json', function: 'system', auth: false },
  { method: 'GET', path: '/api/me', function: 'directory', auth: true },
  { method: 'GET', path: '/api/orgs', function: 'directory', auth: true },
];

/** `GET /api/orgs`: the routeKey API Gateway puts in each event. */
export const routeKey = (route: Pick<RouteSpec, 'method' | 'path'>): string =>
  `${route.method} ${route.path}`;

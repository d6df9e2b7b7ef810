import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { contracts } from '../contracts';
import { ErrorResponseSchema, type RouteContract } from '../contracts/contract';
import { routeKey, routes } from '../routes';

/** The OpenAPI 3.1 document of the public API, generated from the route table and the zod contracts. */
export function buildOpenApiDocument(serverUrl: string): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  for (const route of routes) {
    const contract: RouteContract | undefined = (contracts as Readonly<Record<string, RouteContract>>)[
      routeKey(route)
    ];
    if (!contract) throw new Error(`no contract for ${routeKey(route)}`);
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
    const errors = { content: { 'application/json': { schema: ErrorResponseSchema } } };
    registry.registerPath({
      method: route.method.toLowerCase() as 'get' | 'post',
      path: route.path,
      summary: contract.summary,
      description: contract.description,
      security: route.auth ? [{ [bearer.name]: [] }] : [],
      request: {
        params:
          params.length > 0 ? z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) : undefined,
        query: contract.query,
        headers: contract.idempotent
          ? z.object({ 'idempotency-key': z.string().max(128).optional() })
          : undefined,
        body: contract.body ? { content: { 'application/json': { schema: contract.body } } } : undefined,
      },
      responses: {
        [contract.status ?? 200]: {
          description: 'Success',
          content: { 'application/json': { schema: contract.response } },
        },
        400: { description: 'Invalid input', ...errors },
        ...(route.auth ? { 401: { description: 'Not signed in', ...errors } } : {}),
        403: { description: 'Not allowed', ...errors },
        404: { description: 'Not found', ...errors },
        409: { description: 'Not allowed in the current state', ...errors },
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'docflow API',
      version: '1.0.0',
      description: 'Circulation and e-signing of official documents (Decree 30/2020/NĐ-CP).',
    },
    servers: [{ url: serverUrl }],
  });
}

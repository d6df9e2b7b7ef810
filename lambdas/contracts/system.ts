import * as z from 'zod';
import type { RouteContract } from './contract';

const ServiceStatusSchema = z.object({
  status: z.enum(['up', 'down']),
  detail: z.string().optional(),
});

export const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    stage: z.string(),
    services: z.object({ dynamodb: ServiceStatusSchema, s3: ServiceStatusSchema, kms: ServiceStatusSchema }),
  })
  .meta({ id: 'Health' });
export type Health = z.infer<typeof HealthSchema>;

export const systemContracts = {
  'GET /api/health': {
    summary: 'Whether docflow and each service it depends on are up',
    response: HealthSchema,
  },
  'GET /api/openapi.json': {
    summary: 'This OpenAPI document',
    response: z.record(z.string(), z.unknown()),
  },
} as const satisfies Record<string, RouteContract>;

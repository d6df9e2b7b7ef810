import * as z from 'zod';
import type { RouteContract } from './contract';

const ServiceStatusSchema = z.object({
  status: z.enum(['up', 'down']),
  detail: z
    .string()
    .optional()
    .describe('Why it is down: the error, or "no answer within 1500 ms" when it did not answer in time'),
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
    description:
      'Answers within 2 s: 200 when every service answered, 503 naming each service that is down or did ' +
      'not answer within 1.5 s.',
    response: HealthSchema,
  },
  'GET /api/openapi.json': {
    summary: 'This OpenAPI document',
    response: z.record(z.string(), z.unknown()),
  },
} as const satisfies Record<string, RouteContract>;

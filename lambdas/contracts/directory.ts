import { z } from 'zod';
import { OrganisationKindSchema, PositionSchema } from '../core/domain/directory';
import type { RouteContract } from './contract';

export const OrganisationSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    shortName: z.string(),
    kind: OrganisationKindSchema,
    code: z.string(),
    issuerCode: z.string(),
    parentId: z.string().optional(),
  })
  .meta({ id: 'Organisation' });

export const MeSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    position: PositionSchema,
    organisation: OrganisationSummarySchema,
  })
  .meta({ id: 'Me' });

export const directoryContracts = {
  'GET /api/me': { summary: 'The signed-in person and the position they hold now', response: MeSchema },
  'GET /api/orgs': {
    summary: 'Every organisation: the city, its agencies, wards and communes',
    query: z.object({ kind: OrganisationKindSchema.optional() }),
    response: z.array(OrganisationSummarySchema),
  },
} as const satisfies Record<string, RouteContract>;

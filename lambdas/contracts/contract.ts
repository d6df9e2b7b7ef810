import type { ZodType } from 'zod';
import * as z from 'zod';
import { LineSchema } from '../core/domain/common';

/**
 * What a route accepts and returns, as zod schemas: handlers validate with them, and the OpenAPI document
 * is generated from them, so the two cannot drift apart.
 */
export interface RouteContract {
  readonly summary: string;
  readonly description?: string;
  readonly query?: z.ZodObject;
  readonly body?: ZodType;
  readonly response: ZodType;
  readonly status?: number;
  /** Writes accept an Idempotency-Key header. */
  readonly idempotent?: boolean;
}

export const ErrorResponseSchema = z
  .object({
    error: z.object({
      code: z.string().describe('Stable machine-readable code'),
      message: z.string().describe('For people, in Vietnamese or English per Accept-Language'),
    }),
  })
  .meta({ id: 'Error' });

/**
 * The `{id}` of a route's path (a document, a person, a verification): checked like any other input before
 * a handler runs, so that no id DynamoDB cannot take as a key (over 1024 bytes, say) reaches it.
 */
export const PathParametersSchema = z.object({ id: LineSchema(128) });

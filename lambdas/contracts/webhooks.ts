import * as z from 'zod';
import { LineSchema } from '../core/domain/common';
import { DELIVERY_STATUSES, WebhookEventTypeSchema } from '../core/webhooks/webhooks';
import type { RouteContract } from './contract';

/** Webhooks for external systems (issue 16, docs/WEBHOOKS.md): an organisation's administrators only. */

export { WEBHOOK_EVENT_TYPES, WebhookEventTypeSchema } from '../core/webhooks/webhooks';

const EventsSchema = z.array(WebhookEventTypeSchema).min(1).max(20);

export const WebhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(WebhookEventTypeSchema),
    enabled: z.boolean(),
    description: z.string().optional(),
    createdAt: z.string(),
    secrets: z
      .array(z.object({ id: z.string(), createdAt: z.string(), expiresAt: z.string().optional() }))
      .describe('The secrets that sign deliveries now; one with expiresAt stops at that time (a rotation)'),
  })
  .meta({ id: 'Webhook' });

export const WebhookListSchema = z.object({ items: z.array(WebhookSchema) });

export const RegisterWebhookSchema = z
  .object({
    url: LineSchema(2000).describe('https, to a public address'),
    events: EventsSchema,
    description: LineSchema(200).optional(),
  })
  .strict();

export const UpdateWebhookSchema = z
  .object({
    enabled: z.boolean().optional(),
    events: EventsSchema.optional(),
    url: LineSchema(2000).optional(),
    description: LineSchema(200).optional(),
  })
  .strict();

export const WebhookWithSecretSchema = z.object({
  webhook: WebhookSchema,
  secret: z.string().describe('Shown once: docflow keeps it sealed and never shows it again'),
});

export const RotateSecretSchema = z
  .object({
    overlapHours: z
      .int()
      .min(0)
      .max(168)
      .optional()
      .describe(
        'Hours the secrets in force keep signing beside the new one (24 by default; 0 ends them now)',
      ),
  })
  .strict();

export const WebhookDeliverySchema = z
  .object({
    id: z.string().describe('Stable: the Docflow-Delivery header of every try and replay'),
    eventId: z.string(),
    eventType: WebhookEventTypeSchema,
    documentId: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.int().min(0),
    createdAt: z.string(),
    nextAttemptAt: z.string().optional(),
    lastAttemptAt: z.string().optional(),
    lastStatusCode: z.int().optional(),
    lastError: z.string().optional(),
    deliveredAt: z.string().optional(),
  })
  .meta({ id: 'WebhookDelivery' });

export const WebhookDeliveryListSchema = z.object({ items: z.array(WebhookDeliverySchema) });

export const DeliveriesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const webhookContracts = {
  'GET /api/webhooks': {
    summary: "The caller's organisation's webhooks (its administrators)",
    response: WebhookListSchema,
  },
  'POST /api/webhooks': {
    summary: 'Registers an endpoint for some circulation events; the signing secret is shown once',
    body: RegisterWebhookSchema,
    response: WebhookWithSecretSchema,
    status: 201,
    idempotent: true,
  },
  'PUT /api/webhooks/{id}': {
    summary: 'Enables or disables a webhook, or changes its events, URL or description',
    body: UpdateWebhookSchema,
    response: WebhookSchema,
  },
  'DELETE /api/webhooks/{id}': {
    summary: 'Deletes a webhook; its pending deliveries are not sent',
    response: z.object({ deleted: z.string() }),
  },
  'POST /api/webhooks/{id}/rotations': {
    summary: 'A new signing secret (shown once); the old one keeps signing beside it for the overlap',
    body: RotateSecretSchema,
    response: WebhookWithSecretSchema,
    idempotent: true,
  },
  'GET /api/webhooks/{id}/deliveries': {
    summary: "A webhook's deliveries, newest first, with their status",
    query: DeliveriesQuerySchema,
    response: WebhookDeliveryListSchema,
  },
  'POST /api/webhooks/{id}/deliveries/{deliveryId}/replay': {
    summary: 'Sends a delivery again (a fresh round of tries, the same delivery id)',
    response: WebhookDeliverySchema,
  },
} as const satisfies Record<string, RouteContract>;

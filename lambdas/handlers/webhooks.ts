import { secretBoxFromEnv } from '../adapters/secret-box';
import { dynamoWebhookStore } from '../adapters/webhook-store';
import { endpointRulesFromEnv } from '../adapters/webhook-transport';
import { webhookContracts } from '../contracts/webhooks';
import { apiHandler, created, ok } from '../http/api';
import {
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  registerWebhook,
  replayDelivery,
  rotateWebhookSecret,
  updateWebhook,
  type WebhookAdminPorts,
} from '../use-cases/webhooks';
import { writeOptions } from './wiring';

const ports: WebhookAdminPorts = {
  webhooks: dynamoWebhookStore,
  secrets: secretBoxFromEnv(),
  endpoints: endpointRulesFromEnv(),
  now: () => new Date(),
};

/** An organisation's webhooks, for its administrators (use-cases/webhooks.ts; docs/WEBHOOKS.md). */
export const handler = apiHandler(
  'webhooks',
  webhookContracts,
  {
    'GET /api/webhooks': async ({ caller }) => ok(await listWebhooks(ports, caller)),
    'POST /api/webhooks': async ({ caller, body }) => created(await registerWebhook(ports, caller, body)),
    'PUT /api/webhooks/{id}': async ({ caller, id, body }) =>
      ok(await updateWebhook(ports, caller, id, body)),
    'DELETE /api/webhooks/{id}': async ({ caller, id }) => ok(await deleteWebhook(ports, caller, id)),
    'POST /api/webhooks/{id}/rotations': async ({ caller, id, body }) =>
      ok(await rotateWebhookSecret(ports, caller, id, body.overlapHours)),
    'GET /api/webhooks/{id}/deliveries': async ({ caller, id, query }) =>
      ok(await listDeliveries(ports, caller, id, query.limit)),
    'POST /api/webhooks/{id}/deliveries/{deliveryId}/replay': async ({ caller, id, pathParameters }) =>
      ok(await replayDelivery(ports, caller, id, pathParameters.deliveryId ?? '')),
  },
  writeOptions(),
);

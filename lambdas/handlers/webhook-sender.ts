import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { secretBoxFromEnv } from '../adapters/secret-box';
import { dynamoWebhookStore } from '../adapters/webhook-store';
import { endpointRulesFromEnv, webhookTransport } from '../adapters/webhook-transport';
import { logger, metrics, tracer } from '../observability';
import { type SendResult, sendDueDeliveries, type WebhookSenderPorts } from '../use-cases/webhooks';

/**
 * Sends the webhook deliveries due (use-cases/webhooks.ts `sendDueDeliveries`). Invoked every minute by the
 * EventBridge Scheduler schedule of lib/schedules.ts with the schedule's own time (`at`); locally by
 * local/scheduler.ts, whose clock a test advances. Dead letters are counted in the `WebhookDeliveriesDead`
 * metric, which an alarm watches (lib/constructs/monitoring.ts).
 */

const EventSchema = z.object({ at: z.iso.datetime({ offset: true }).optional() });

const rules = endpointRulesFromEnv();
const ports: WebhookSenderPorts = {
  webhooks: dynamoWebhookStore,
  secrets: secretBoxFromEnv(),
  transport: webhookTransport(rules),
  now: () => new Date(),
};

async function send(event: unknown): Promise<SendResult> {
  const parsed = EventSchema.safeParse(event);
  const at = parsed.success && parsed.data.at ? new Date(parsed.data.at) : new Date();
  const result = await sendDueDeliveries(ports, at);
  metrics.addMetric('WebhookDeliveries', MetricUnit.Count, result.delivered);
  metrics.addMetric('WebhookRetries', MetricUnit.Count, result.retrying);
  metrics.addMetric('WebhookDeliveriesDead', MetricUnit.Count, result.dead);
  if (result.due > 0) logger.info('webhook deliveries', { at: at.toISOString(), ...result });
  return result;
}

export const handler = middy(send)
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(injectLambdaContext(logger));

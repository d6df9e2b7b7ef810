import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { kmsTransparencyKey } from '../adapters/audit-pki';
import { dynamoTransparencyLog } from '../adapters/transparency-store';
import { logger, metrics, tracer } from '../observability';
import { currentTreeHead, type TransparencyPorts } from '../use-cases/audit/transparency';

const ports: TransparencyPorts = {
  transparency: dynamoTransparencyLog,
  transparencyKey: kmsTransparencyKey,
  now: () => new Date(),
};

/**
 * Publishes the transparency log's signed head on a schedule (lib/schedules.ts; locally local/scheduler.ts):
 * a head is signed and stored once per new log size, so what auditors compare later exists whether or not
 * anyone asked for it at the time. Idempotent: an unchanged log keeps its stored head.
 */
async function publish(): Promise<{ treeSize: number; timestamp: string }> {
  const head = await currentTreeHead(ports);
  metrics.addMetric('TreeHeadsPublished', MetricUnit.Count, 1);
  logger.info('tree head', { treeSize: head.treeSize, timestamp: head.timestamp });
  return { treeSize: head.treeSize, timestamp: head.timestamp };
}

export const handler = middy(publish)
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(injectLambdaContext(logger));

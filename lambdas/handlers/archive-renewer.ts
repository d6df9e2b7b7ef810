import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { cityArchiveTimestamping, dynamoArchiveRenewals } from '../adapters/archive-timestamping';
import { dynamoDirectory } from '../adapters/directory-store';
import { dynamoDocumentRepository, dynamoLeases } from '../adapters/document-store';
import { putRevision, readRevision } from '../adapters/file-store';
import { logger, metrics, tracer } from '../observability';
import { type RenewalOutcome, type RenewalPorts, renewArchives } from '../use-cases/archiving';

const ports: RenewalPorts = {
  documents: dynamoDocumentRepository,
  leases: dynamoLeases,
  files: { readRevision, putRevision },
  directory: dynamoDirectory,
  archiving: cityArchiveTimestamping,
  renewals: dynamoArchiveRenewals,
  now: () => new Date(),
};

/**
 * The schedule's event (lib/schedules.ts) is empty. An operator may invoke it with `asOf` to renew ahead
 * everything due by then (e.g. before the TSA's key is replaced), and `limit` to take more at once.
 */
const SweepEventSchema = z.object({
  asOf: z.iso.datetime().optional(),
  limit: z.int().min(1).max(200).optional(),
});

/** Renewals per run: each reads, timestamps and writes one file, within the function's 20 s. */
const PER_RUN = 10;

async function sweep(event: unknown): Promise<RenewalOutcome> {
  const input = SweepEventSchema.parse(event ?? {});
  const outcome = await renewArchives(ports, {
    asOf: input.asOf ? new Date(input.asOf) : undefined,
    limit: input.limit ?? PER_RUN,
  });
  metrics.addMetric('ArchiveTimestampsRenewed', MetricUnit.Count, outcome.renewed.length);
  metrics.addMetric('ArchiveRenewalsFailed', MetricUnit.Count, outcome.failed.length);
  return outcome;
}

export const handler = middy(sweep)
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(injectLambdaContext(logger));

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { dynamoDirectory } from '../adapters/directory-store';
import { verifyDocument } from '../adapters/document-signing';
import { dynamoDocumentRepository } from '../adapters/document-store';
import { readRevision } from '../adapters/file-store';
import { logger, metrics, tracer } from '../observability';
import { completeRecall, deliver } from '../use-cases/delivery';

/**
 * Work that finishes by itself: for every `sent` and `recalled` event the circulation log's stream carries,
 * the deliveries (or recipients' recalls) that are still missing are made, as the sender would have made
 * them. A send or recall cut off half-way (a crash, a timeout, throttling) completes without any client
 * coming back; done twice, it changes nothing. Deployed: a stream event source with retries, bisection and a
 * dead-letter queue (alarmed); locally, local/stream-poller.ts feeds it.
 */

const ports = {
  documents: dynamoDocumentRepository,
  files: { readRevision },
  signing: { verify: verifyDocument },
  now: () => new Date(),
};

async function complete(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const failures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    const type = image?.type?.S;
    if (record.eventName !== 'INSERT' || (type !== 'sent' && type !== 'recalled')) continue;
    const documentId = image?.documentId?.S ?? '';
    try {
      const actor = await dynamoDirectory.findPerson(image?.actorId?.S ?? '');
      if (!actor) throw new Error(`the ${type} event of ${documentId} names no known person`);
      const caller = {
        actor: { ...actor, delegations: [] },
        directory: await dynamoDirectory.loadDirectory(),
      };
      if (type === 'sent') await deliver(ports, caller, documentId);
      else {
        const reason = (JSON.parse(image?.event?.S ?? '{}') as { payload?: { reason?: string } }).payload
          ?.reason;
        await completeRecall(ports, caller, documentId, reason ?? '');
      }
      metrics.addMetric('CirculationCompleted', MetricUnit.Count, 1);
    } catch (error) {
      logger.error('completing a send or recall failed; the record will be retried', {
        documentId,
        type,
        error: error as Error,
      });
      failures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
      // Stream records are processed in order: stop at the first failure, as partial batch responses expect.
      break;
    }
  }
  return { batchItemFailures: failures };
}

export const handler = middy(complete)
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(injectLambdaContext(logger));

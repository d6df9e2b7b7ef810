import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { dynamoDirectory } from '../adapters/directory-store';
import { verifyDocument } from '../adapters/document-signing';
import { dynamoDocumentRepository } from '../adapters/document-store';
import { edxmlSchema } from '../adapters/edxml-schema';
import { HttpExchange } from '../adapters/exchange-client';
import { dynamoExchangeLedger, dynamoReceivedDocuments } from '../adapters/exchange-store';
import { putRevision, readRevision } from '../adapters/file-store';
import { logger, metrics, tracer } from '../observability';
import { ExchangeUnavailable } from '../ports/exchange';
import { transmit } from '../use-cases/exchange';
import { type ReceiveSummary, receiveFromExchange } from '../use-cases/exchange-incoming';

/**
 * The city's side of the national document exchange on a schedule (lib/schedules.ts; locally
 * local/scheduler.ts). The national exchange (and the LGSP in front of it) keeps what is sent to an
 * agency until that agency's endpoint takes it and confirms it: the agency pulls (list what waits, fetch
 * each, acknowledge), the hub pushes nothing. So this takes what waits for the city's organisations
 * (documents registered once each and answered "đã đến", status messages applied to the city's external
 * deliveries), then hands the exchange every delivery still pending (a send cut off, the exchange down).
 * Safe to run at any time and twice at once: every record is conditional, every package identified.
 */

let exchange: HttpExchange | undefined;
const exchangePort = () => {
  exchange ??= HttpExchange.fromEnvironment();
  return exchange;
};

export interface PollResult extends ReceiveSummary {
  readonly retried: number;
  readonly stillPending: number;
}

async function poll(): Promise<PollResult> {
  const directory = await dynamoDirectory.loadDirectory();
  const ports = {
    documents: dynamoDocumentRepository,
    files: { readRevision, putRevision },
    exchange: exchangePort(),
    ledger: dynamoExchangeLedger,
    received: dynamoReceivedDocuments,
    schema: edxmlSchema,
    signing: { verify: (pdf: Uint8Array) => verifyDocument(pdf) },
    now: () => new Date(),
  };
  const summary = await receiveFromExchange(ports, directory);
  let retried = 0;
  let stillPending = 0;
  for (const documentId of await dynamoExchangeLedger.pendingDocuments()) {
    try {
      await transmit(ports, { directory }, documentId);
      retried++;
    } catch (error) {
      // One document that cannot go does not hold the others back; it stays pending and is logged.
      stillPending++;
      if (error instanceof ExchangeUnavailable)
        logger.warn('the exchange is still unavailable; deliveries stay pending', { documentId });
      else logger.error('an external send failed; it stays pending', { documentId, error: error as Error });
    }
  }
  metrics.addMetric('ExchangeDocumentsReceived', MetricUnit.Count, summary.documents);
  metrics.addMetric('ExchangePackagesRefused', MetricUnit.Count, summary.refused);
  metrics.addMetric('ExchangeSendsRetried', MetricUnit.Count, retried);
  logger.info('exchange polled', { ...summary, retried, stillPending });
  return { ...summary, retried, stillPending };
}

export const handler = middy(poll)
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(injectLambdaContext(logger));

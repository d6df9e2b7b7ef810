import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import {
  cloudTrailKeyUses,
  directoryHolderKeys,
  fileKeyUses,
  viewsReconciliationMark,
} from '../adapters/key-use-log';
import { dynamoAuthorizationRecords } from '../adapters/signature-requests';
import { logger, metrics } from '../observability';
import { reconcile } from '../use-cases/authorization/reconcile';

/**
 * Scheduled (lib/schedules.ts): every kms:Sign on a personal or seal key since the last run, held against
 * the authorizations that explain it (docs/SECURITY.md). Publishes `UnexplainedKeyUses`, which alarms.
 */
async function run() {
  const local = process.env.DOCFLOW_KMS_REQUEST_LOG;
  const result = await reconcile({
    uses: local ? fileKeyUses(local) : cloudTrailKeyUses(),
    keys: directoryHolderKeys,
    records: dynamoAuthorizationRecords,
    mark: viewsReconciliationMark,
    signerSessionRole: `docflow-${process.env.DOCFLOW_STAGE ?? 'dev'}-signer-session`,
    now: () => new Date(),
  });
  metrics.addMetric('KeyUsesReconciled', MetricUnit.Count, result.uses);
  metrics.addMetric('UnexplainedKeyUses', MetricUnit.Count, result.unexplained.length);
  logger.info('key uses reconciled', {
    from: result.from,
    to: result.to,
    uses: result.uses,
    unexplained: result.unexplained.length,
  });
  return { ...result, unexplained: result.unexplained.map((u) => ({ ...u.use, why: u.why })) };
}

export const handler = middy(run).use(logMetrics(metrics)).use(injectLambdaContext(logger));

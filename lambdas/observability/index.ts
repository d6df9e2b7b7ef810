import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/*
 * Powertools, one of each per function, configured by POWERTOOLS_* variables (lib/constructs/
 * docflow-function.ts). The tracer is active only in Lambda (X-Ray). Metrics are EMF log lines that only
 * CloudWatch reads: outside Lambda (a laptop, tests, benchmarks) they are off unless asked for, read when
 * Metrics is constructed, that is here. Code that only logs imports ./logger, which carries neither.
 */
if (!process.env.AWS_LAMBDA_FUNCTION_NAME) process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

export { logger } from './logger';
export const tracer = new Tracer({ serviceName: 'docflow' });
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'docflow' });

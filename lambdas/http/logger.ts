import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/*
 * Powertools, one of each per function, configured by POWERTOOLS_* variables (lib/constructs/
 * docflow-function.ts). The tracer is active only in Lambda (X-Ray); on a laptop it stays off, and the
 * local stack turns metrics off (POWERTOOLS_METRICS_DISABLED) so that EMF lines do not flood the console.
 */
export const logger = new Logger({ serviceName: 'docflow' });
export const tracer = new Tracer({ serviceName: 'docflow' });
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'docflow' });

import { Logger } from '@aws-lambda-powertools/logger';

/** Powertools' logger, one per function, configured by POWERTOOLS_* variables (structured JSON lines). */
export const logger = new Logger({ serviceName: 'docflow' });

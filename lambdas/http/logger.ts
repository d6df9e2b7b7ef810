import { Logger } from '@aws-lambda-powertools/logger';

/** One structured logger per function (Powertools), configured by POWERTOOLS_* variables. */
export const logger = new Logger({ serviceName: 'docflow' });

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import * as authority from '../adapters/city-pki-authority';
import { AuthorityCommandSchema, type AuthorityResult } from '../contracts/authority';
import { DomainError } from '../core/errors';
import { messages } from '../core/i18n/messages';
import { logger, metrics, tracer } from '../observability';

/**
 * The city CA, invoked by other functions (never by a route): it alone signs with the root and issuing CA
 * keys and creates
 * seal and official keys. Every command is idempotent: a retried invocation finds the certificate, key or
 * CRL already made and answers with it.
 */
async function run(event: unknown): Promise<AuthorityResult> {
  const command = AuthorityCommandSchema.parse(event);
  metrics.addMetric('AuthorityCommands', MetricUnit.Count, 1);
  try {
    switch (command.command) {
      case 'bootstrap': {
        const root = await authority.bootstrap();
        return { ok: true, keyId: root.keyId, certificate: Buffer.from(root.certificate).toString('base64') };
      }
      case 'credential': {
        const issued = await authority.credential(command.holder);
        logger.info('credential', { holder: command.holder, serial: issued.serial });
        return {
          ok: true,
          keyId: issued.keyId,
          certificate: Buffer.from(issued.certificate).toString('base64'),
        };
      }
      case 'crl': {
        const crl = await authority.issueCrl();
        logger.info('crl issued', { bytes: crl.length });
        return { ok: true, crl: Buffer.from(crl).toString('base64') };
      }
      case 'rotateIssuingCa': {
        const rotated = await authority.rotateIssuingCa();
        logger.info('issuing CA rotated', { serial: rotated.serial });
        return {
          ok: true,
          keyId: rotated.keyId,
          certificate: Buffer.from(rotated.certificate).toString('base64'),
        };
      }
      case 'importCertificate': {
        const imported = await authority.importExternalCertificate(
          command.holder,
          command.certificatePem,
          command.by,
        );
        logger.info('certificate imported', {
          holder: command.holder,
          serial: imported.serial,
          by: command.by,
        });
        return {
          ok: true,
          keyId: imported.keyId,
          certificate: Buffer.from(imported.certificate).toString('base64'),
        };
      }
    }
  } catch (error) {
    // What a person caused (an unknown holder, a certificate that does not fit) goes back as a refusal,
    // whose code the caller renders (the messages every function carries).
    if (
      error instanceof DomainError &&
      error.status >= 400 &&
      error.status < 500 &&
      messages.has(error.code)
    ) {
      const status =
        error.status === 403 || error.status === 404 || error.status === 409 ? error.status : 400;
      logger.warn('refused', { command: command.command, code: error.code });
      return {
        ok: false,
        code: error.code,
        status,
        params: error.params,
      };
    }
    throw error;
  }
}

export const handler = middy(run)
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(injectLambdaContext(logger));

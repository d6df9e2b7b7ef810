import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoActivations } from '../adapters/activation-store';
import { activationPublicKey, verifyActivation } from '../adapters/activation-verifier';
import { stsHolderKeys } from '../adapters/holder-keys';
import { LazyClient } from '../adapters/lazy-sdk';
import { SIGNER_REFUSALS, SignerCommandSchema, type SignerResult } from '../contracts/signer';
import { DomainError } from '../core/errors';
import { logger } from '../observability/logger';
import { signDigest } from '../use-cases/authorization/signer';

/**
 * The signer (docs/SECURITY.md): invoked by `signing` only, it signs one digest with a holder's key when
 * the holder's activation data covers it. Deliberately small: no PDF code, no route from the internet, no
 * tracer or metrics; its own role may not use any personal or seal key.
 */

const dynamo = new LazyClient(async () => DynamoDBDocumentClient.from(new DynamoDBClient({})));
const kms = new LazyClient(async () => new KMSClient({}));
const documentClient = () => dynamo;
const publicKey = activationPublicKey(() => kms);

const ports = {
  activations: dynamoActivations(documentClient),
  issuer: { verify: async (token: string) => verifyActivation(await publicKey(), token) },
  keys: stsHolderKeys,
  now: () => new Date(),
};
const refusals = new Set<string>(SIGNER_REFUSALS);

export async function handler(event: unknown): Promise<SignerResult> {
  const command = SignerCommandSchema.parse(event);
  try {
    const signature = await signDigest(ports, {
      authorizationId: command.authorizationId,
      holder: command.holder,
      digest: new Uint8Array(Buffer.from(command.digest, 'base64')),
    });
    return { ok: true, signature: Buffer.from(signature).toString('base64') };
  } catch (error) {
    if (error instanceof DomainError && refusals.has(error.code)) {
      logger.warn('refused', {
        authorizationId: command.authorizationId,
        holder: command.holder,
        code: error.code,
      });
      return {
        ok: false,
        code: error.code as (typeof SIGNER_REFUSALS)[number],
        status: error.status === 409 ? 409 : 403,
      };
    }
    logger.error('failed', { error: error as Error });
    throw error;
  }
}

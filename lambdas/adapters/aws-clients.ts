import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KMSClient } from '@aws-sdk/client-kms';
import type {
  GetObjectCommand,
  GetObjectCommandInput,
  GetObjectCommandOutput,
  S3Client,
} from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from '../observability';
import {
  dynamodbDocumentSdk,
  dynamodbSdk,
  kmsSdk,
  LazyClient,
  type LazyCommand,
  s3PresignerSdk,
  s3Sdk,
} from './lazy-sdk';

/*
 * One client per service per Lambda container, created on first use, its SDK package imported then too
 * (lazy-sdk.ts). Endpoints come from the SDK's
 * standard variables (AWS_ENDPOINT_URL_DYNAMODB, _S3, _KMS, _LAMBDA): unset in AWS, pointing at DynamoDB
 * Local, s3rver, the KMS emulator and the local Lambda endpoint on a laptop. That is the only difference.
 */

/** How long one call to a service may take: per attempt, and how many attempts. */
export interface CallBounds {
  /** To open the TCP connection. */
  readonly connectionTimeoutMs: number;
  /** From sending the request to the first byte of the answer (a large PUT's upload included). */
  readonly requestTimeoutMs: number;
  /** Silence on an open connection, either way (a stalled upload or download). */
  readonly socketTimeoutMs: number;
  /** Attempts in all (1 = no retry), with the SDK's backoff between them. */
  readonly maxAttempts: number;
}

/*
 * The budget: an API function has 29 s (lib/constructs/docflow-function.ts), under the HTTP API's 30 s, and
 * the certificate authority 20 s. A service that does not answer must cost a request well under that,
 * including what runs after the failure (the idempotency record's and a lock's release are DynamoDB calls
 * too): a hung DynamoDB costs ≤ 2 × 4 s per call, so the worst chain (the idempotency record, a use case's
 * call, a lock's release, the record's deletion) stays near 24 s. Each bound is still far above what a
 * healthy service takes (milliseconds; a 100-item transaction or a KMS key generation well under a second).
 */
export const CALL_BOUNDS = {
  dynamodb: { connectionTimeoutMs: 1_000, requestTimeoutMs: 4_000, socketTimeoutMs: 4_000, maxAttempts: 2 },
  // Three attempts: KMS throttles (ThrottlingException) under load, and backing off is the documented cure.
  kms: { connectionTimeoutMs: 1_000, requestTimeoutMs: 5_000, socketTimeoutMs: 5_000, maxAttempts: 3 },
  // PDFs up to 64 MiB go up and down: the time to the answer may be long, silence may not.
  s3: { connectionTimeoutMs: 1_000, requestTimeoutMs: 15_000, socketTimeoutMs: 4_000, maxAttempts: 2 },
  // Lambda Invoke of the certificate authority (authority-client.ts), which answers within its own 20 s
  // timeout: no retry fits in the caller's 29 s.
  lambda: { connectionTimeoutMs: 1_000, requestTimeoutMs: 22_000, socketTimeoutMs: 22_000, maxAttempts: 1 },
} as const satisfies Record<string, CallBounds>;

/** The part of an AWS SDK client's configuration that bounds every call's time. */
export function boundedConfig(bounds: CallBounds) {
  return {
    maxAttempts: bounds.maxAttempts,
    requestHandler: {
      connectionTimeout: bounds.connectionTimeoutMs,
      requestTimeout: bounds.requestTimeoutMs,
      // Without it the SDK only logs a warning when requestTimeout passes, and keeps waiting.
      throwOnRequestTimeout: true,
      socketTimeout: bounds.socketTimeoutMs,
    },
  };
}

const dynamo = new LazyClient(async () => {
  const { DynamoDBClient } = await dynamodbSdk();
  // Each AWS call becomes an X-Ray subsegment (a no-op outside Lambda).
  return tracer.captureAWSv3Client(new DynamoDBClient(boundedConfig(CALL_BOUNDS.dynamodb)));
});

const documents = new LazyClient<DynamoDBDocumentClient>(async () => {
  const [{ DynamoDBDocumentClient }, client] = await Promise.all([dynamodbDocumentSdk(), dynamo.client()]);
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
});

const s3 = new LazyClient<S3Client>(async () => {
  const { S3Client } = await s3Sdk();
  return tracer.captureAWSv3Client(
    new S3Client({
      ...boundedConfig(CALL_BOUNDS.s3),
      // s3rver serves buckets by path only; AWS prefers virtual-hosted style.
      forcePathStyle: process.env.DOCFLOW_S3_FORCE_PATH_STYLE === 'true',
      // Default CRC32 checksums would be baked into presigned PUTs as the checksum of an empty body.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  );
});

const kms = new LazyClient<KMSClient>(async () => {
  const { KMSClient } = await kmsSdk();
  return tracer.captureAWSv3Client(new KMSClient(boundedConfig(CALL_BOUNDS.kms)));
});

export const dynamoClient = (): LazyClient<DynamoDBClient> => dynamo;
export const documentClient = (): LazyClient<DynamoDBDocumentClient> => documents;
export const s3Client = (): LazyClient<S3Client> => s3;
export const kmsClient = (): LazyClient<KMSClient> => kms;

/** A presigned URL for an S3 GET, valid `expiresIn` seconds. */
export async function presignedUrl(
  command: LazyCommand<GetObjectCommandInput, GetObjectCommandOutput>,
  options: { expiresIn: number },
): Promise<string> {
  const [{ getSignedUrl }, client, sdkCommand] = await Promise.all([
    s3PresignerSdk(),
    s3.client(),
    command.sdkCommand(),
  ]);
  return getSignedUrl(client, sdkCommand as GetObjectCommand, options);
}

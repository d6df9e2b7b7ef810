import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from '../observability';

/*
 * One client per service per Lambda container, created on first use. Endpoints come from the SDK's
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

let dynamo: DynamoDBClient | undefined;
let documents: DynamoDBDocumentClient | undefined;
let s3: S3Client | undefined;
let kms: KMSClient | undefined;

export function dynamoClient(): DynamoDBClient {
  // Each AWS call becomes an X-Ray subsegment (a no-op outside Lambda).
  dynamo ??= tracer.captureAWSv3Client(new DynamoDBClient(boundedConfig(CALL_BOUNDS.dynamodb)));
  return dynamo;
}

export function documentClient(): DynamoDBDocumentClient {
  documents ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return documents;
}

export function s3Client(): S3Client {
  s3 ??= tracer.captureAWSv3Client(
    new S3Client({
      ...boundedConfig(CALL_BOUNDS.s3),
      // s3rver serves buckets by path only; AWS prefers virtual-hosted style.
      forcePathStyle: process.env.DOCFLOW_S3_FORCE_PATH_STYLE === 'true',
      // Default CRC32 checksums would be baked into presigned PUTs as the checksum of an empty body.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  );
  return s3;
}

export function kmsClient(): KMSClient {
  kms ??= tracer.captureAWSv3Client(new KMSClient(boundedConfig(CALL_BOUNDS.kms)));
  return kms;
}

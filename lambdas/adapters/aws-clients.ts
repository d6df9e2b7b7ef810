import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from '../observability';

/*
 * One client per service per Lambda container, created on first use. Endpoints come from the SDK's
 * standard variables (AWS_ENDPOINT_URL_DYNAMODB, _S3, _KMS): unset in AWS, pointing at DynamoDB Local,
 * s3rver and the KMS emulator on a laptop. That is the only difference between the two.
 */

let dynamo: DynamoDBClient | undefined;
let documents: DynamoDBDocumentClient | undefined;
let s3: S3Client | undefined;
let kms: KMSClient | undefined;

export function dynamoClient(): DynamoDBClient {
  // Each AWS call becomes an X-Ray subsegment (a no-op outside Lambda).
  dynamo ??= tracer.captureAWSv3Client(new DynamoDBClient({}));
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
  kms ??= tracer.captureAWSv3Client(new KMSClient({}));
  return kms;
}

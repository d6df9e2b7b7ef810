import {
  apiGatewayManagementSdk,
  cloudTrailSdk,
  dynamodbDocumentSdk,
  dynamodbSdk,
  kmsSdk,
  lambdaSdk,
  lazyCommand,
  s3Sdk,
  sesSdk,
} from './lazy-sdk';

/*
 * The SDK commands docflow sends, as stand-ins that load their package when a LazyClient sends them
 * (aws-clients.ts): an adapter imports them from here instead of from @aws-sdk/*, and reads the same.
 */

// DynamoDB, through the document client.
export const BatchGetCommand = lazyCommand(dynamodbDocumentSdk, 'BatchGetCommand');
export const BatchWriteCommand = lazyCommand(dynamodbDocumentSdk, 'BatchWriteCommand');
export const DeleteCommand = lazyCommand(dynamodbDocumentSdk, 'DeleteCommand');
export const GetCommand = lazyCommand(dynamodbDocumentSdk, 'GetCommand');
export const PutCommand = lazyCommand(dynamodbDocumentSdk, 'PutCommand');
export const QueryCommand = lazyCommand(dynamodbDocumentSdk, 'QueryCommand');
export const TransactWriteCommand = lazyCommand(dynamodbDocumentSdk, 'TransactWriteCommand');
export const UpdateCommand = lazyCommand(dynamodbDocumentSdk, 'UpdateCommand');

// DynamoDB itself (the idempotency records, written as Powertools writes them).
export const DeleteItemCommand = lazyCommand(dynamodbSdk, 'DeleteItemCommand');
export const DescribeTableCommand = lazyCommand(dynamodbSdk, 'DescribeTableCommand');
export const GetItemCommand = lazyCommand(dynamodbSdk, 'GetItemCommand');
export const PutItemCommand = lazyCommand(dynamodbSdk, 'PutItemCommand');
export const UpdateItemCommand = lazyCommand(dynamodbSdk, 'UpdateItemCommand');

// S3.
export const DeleteObjectCommand = lazyCommand(s3Sdk, 'DeleteObjectCommand');
export const GetObjectCommand = lazyCommand(s3Sdk, 'GetObjectCommand');
export const HeadBucketCommand = lazyCommand(s3Sdk, 'HeadBucketCommand');
export const HeadObjectCommand = lazyCommand(s3Sdk, 'HeadObjectCommand');
export const PutObjectCommand = lazyCommand(s3Sdk, 'PutObjectCommand');

// KMS.
export const CreateAliasCommand = lazyCommand(kmsSdk, 'CreateAliasCommand');
export const CreateKeyCommand = lazyCommand(kmsSdk, 'CreateKeyCommand');
export const DecryptCommand = lazyCommand(kmsSdk, 'DecryptCommand');
export const EncryptCommand = lazyCommand(kmsSdk, 'EncryptCommand');
export const GetPublicKeyCommand = lazyCommand(kmsSdk, 'GetPublicKeyCommand');
export const ListAliasesCommand = lazyCommand(kmsSdk, 'ListAliasesCommand');
export const SignCommand = lazyCommand(kmsSdk, 'SignCommand');

// Lambda, SES, the WebSocket API's connections, CloudTrail.
export const InvokeCommand = lazyCommand(lambdaSdk, 'InvokeCommand');
export const SendEmailCommand = lazyCommand(sesSdk, 'SendEmailCommand');
export const PostToConnectionCommand = lazyCommand(apiGatewayManagementSdk, 'PostToConnectionCommand');
export const LookupEventsCommand = lazyCommand(cloudTrailSdk, 'LookupEventsCommand');

import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
// Loaded by Powertools' persistence layer in any case.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { resourceName, tables } from '../deployment/resources';
import { dynamoClientFrom } from './aws-clients';

/** Where Powertools keeps the first result of each write sent with an Idempotency-Key. */
export const idempotencyStore = () =>
  new DynamoDBPersistenceLayer({
    tableName: resourceName(tables.idempotency),
    awsSdkV3Client: dynamoClientFrom(DynamoDBClient),
  });

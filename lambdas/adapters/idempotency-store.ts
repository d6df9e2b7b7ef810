import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { resourceName, tables } from '../deployment/resources';
import { dynamoClient } from './aws-clients';

/** Where Powertools keeps the first result of each write sent with an Idempotency-Key. */
export const idempotencyStore = () =>
  new DynamoDBPersistenceLayer({
    tableName: resourceName(tables.idempotency),
    awsSdkV3Client: dynamoClient(),
  });

import {
  IdempotencyItemAlreadyExistsError,
  IdempotencyItemNotFoundError,
  IdempotencyRecordStatus,
  PERSISTENCE_ATTRIBUTE_KEY_MAPPINGS,
} from '@aws-lambda-powertools/idempotency';
import { BasePersistenceLayer, IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import type { IdempotencyRecordStatusValue } from '@aws-lambda-powertools/idempotency/types';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { resourceName, tables } from '../deployment/resources';
import { dynamoClient } from './aws-clients';
import { dynamodbUtil } from './lazy-sdk';
import { DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand } from './sdk-commands';

/*
 * Powertools' own DynamoDBPersistenceLayer imports @aws-sdk/client-dynamodb at module load (~55 ms of every
 * writing function's cold start). This is the same layer (the same items, conditions and errors, read from
 * Powertools 2.35's DynamoDBPersistenceLayer with its default attribute names and no sort key) over the
 * lazily loaded client: the SDK is imported by the first write that carries an Idempotency-Key.
 */

const { statusAttr, expiryAttr, inProgressExpiryAttr, dataAttr, validationKeyAttr } =
  PERSISTENCE_ATTRIBUTE_KEY_MAPPINGS;
const KEY_ATTR = 'id';

type Item = Record<string, AttributeValue>;

class LazyDynamoPersistenceLayer extends BasePersistenceLayer {
  constructor(private readonly tableName: string) {
    super();
  }

  private async key(idempotencyKey: string): Promise<Item> {
    return (await dynamodbUtil()).marshall({ [KEY_ATTR]: idempotencyKey });
  }

  private record(item: Record<string, unknown>): IdempotencyRecord {
    return new IdempotencyRecord({
      idempotencyKey: item[KEY_ATTR] as string,
      status: item[statusAttr] as IdempotencyRecordStatusValue,
      expiryTimestamp: item[expiryAttr] as number | undefined,
      inProgressExpiryTimestamp: item[inProgressExpiryAttr] as number | undefined,
      responseData: item[dataAttr] as IdempotencyRecord['responseData'],
      payloadHash: item[validationKeyAttr] as string | undefined,
    });
  }

  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    await dynamoClient().send(
      new DeleteItemCommand({ TableName: this.tableName, Key: await this.key(record.idempotencyKey) }),
    );
  }

  protected async _getRecord(idempotencyKey: string): Promise<IdempotencyRecord> {
    const result = await dynamoClient().send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: await this.key(idempotencyKey),
        ConsistentRead: true,
      }),
    );
    if (!result.Item) throw new IdempotencyItemNotFoundError();
    return this.record((await dynamodbUtil()).unmarshall(result.Item));
  }

  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    const { marshall, unmarshall } = await dynamodbUtil();
    const item: Item = {
      ...(await this.key(record.idempotencyKey)),
      ...marshall({ [expiryAttr]: record.expiryTimestamp, [statusAttr]: record.getStatus() }),
    };
    if (record.inProgressExpiryTimestamp !== undefined) {
      item[inProgressExpiryAttr] = { N: record.inProgressExpiryTimestamp.toString() };
    }
    if (this.isPayloadValidationEnabled() && record.payloadHash !== undefined) {
      item[validationKeyAttr] = { S: record.payloadHash };
    }
    // Saved when the key is new, its record expired, or its in-progress mark expired (the function died).
    const now = Date.now();
    try {
      await dynamoClient().send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: item,
          ExpressionAttributeNames: {
            '#id': KEY_ATTR,
            '#expiry': expiryAttr,
            '#in_progress_expiry': inProgressExpiryAttr,
            '#status': statusAttr,
          },
          ExpressionAttributeValues: marshall({
            ':now': now / 1000,
            ':now_in_millis': now,
            ':inprogress': IdempotencyRecordStatus.INPROGRESS,
          }),
          ConditionExpression:
            'attribute_not_exists(#id) OR #expiry < :now OR ' +
            '(#status = :inprogress AND attribute_exists(#in_progress_expiry) AND #in_progress_expiry < :now_in_millis)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      // Told by name, so that the check loads nothing (lazy-sdk.ts).
      if ((error as Error | undefined)?.name === 'ConditionalCheckFailedException') {
        const old = (error as { Item?: Item }).Item;
        throw new IdempotencyItemAlreadyExistsError(
          `Failed to put record for already existing idempotency key: ${record.idempotencyKey}`,
          old && this.record(unmarshall(old)),
        );
      }
      throw error;
    }
  }

  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    const fields = ['#expiry = :expiry', '#status = :status'];
    const names: Record<string, string> = { '#expiry': expiryAttr, '#status': statusAttr };
    const values: Record<string, unknown> = {
      ':expiry': record.expiryTimestamp,
      ':status': record.getStatus(),
    };
    if (record.responseData !== undefined) {
      fields.push('#response_data = :response_data');
      names['#response_data'] = dataAttr;
      values[':response_data'] = record.responseData;
    }
    if (this.isPayloadValidationEnabled()) {
      fields.push('#validation_key = :validation_key');
      names['#validation_key'] = validationKeyAttr;
      values[':validation_key'] = record.payloadHash;
    }
    await dynamoClient().send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: await this.key(record.idempotencyKey),
        UpdateExpression: `SET ${fields.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: (await dynamodbUtil()).marshall(values),
      }),
    );
  }
}

/** Where Powertools keeps the first result of each write sent with an Idempotency-Key. */
export const idempotencyStore = (): BasePersistenceLayer =>
  new LazyDynamoPersistenceLayer(resourceName(tables.idempotency));

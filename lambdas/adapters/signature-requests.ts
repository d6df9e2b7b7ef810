import { type SignatureRequest, SignatureRequestSchema } from '../core/signing/authorization';
import { resourceName, tables } from '../deployment/resources';
import { Conflict } from '../ports/documents';
import type {
  AuthorizationRecord,
  AuthorizationRecords,
  SignatureRequests,
} from '../ports/signature-authorization';
import { documentClient } from './aws-clients';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from './sdk-commands';

/*
 * Prepared signatures and the authorizations that cover them, in the views table beside the documents:
 * `SIGREQ#<id>` (until used or expired) and `AUTHZ#<id>` (kept: the evidence of who authorized what).
 */

const views = () => resourceName(tables.views);

export const dynamoSignatureRequests: SignatureRequests = {
  async save(request) {
    await documentClient().send(
      new PutCommand({
        TableName: views(),
        Item: { pk: `SIGREQ#${request.id}`, sk: 'REQUEST', request },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  },
  async get(id) {
    const { Item } = await documentClient().send(
      new GetCommand({
        TableName: views(),
        Key: { pk: `SIGREQ#${id}`, sk: 'REQUEST' },
        ConsistentRead: true,
      }),
    );
    return Item ? SignatureRequestSchema.parse(Item.request) : undefined;
  },
  async authorize(ids, authorizationId) {
    try {
      await documentClient().send(
        new TransactWriteCommand({
          TransactItems: ids.map((id) => ({
            Update: {
              TableName: views(),
              Key: { pk: `SIGREQ#${id}`, sk: 'REQUEST' },
              UpdateExpression: 'SET #r.authorizationId = :a',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#r.authorizationId)',
              ExpressionAttributeNames: { '#r': 'request' },
              ExpressionAttributeValues: { ':a': authorizationId },
            },
          })),
        }),
      );
    } catch (error) {
      if ((error as Error).name === 'TransactionCanceledException') throw new Conflict(['authorized']);
      throw error;
    }
  },
  async markUsed(id, at) {
    await documentClient().send(
      new UpdateCommand({
        TableName: views(),
        Key: { pk: `SIGREQ#${id}`, sk: 'REQUEST' },
        UpdateExpression: 'SET #r.usedAt = :at',
        ExpressionAttributeNames: { '#r': 'request' },
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  },
};

export const dynamoAuthorizationRecords: AuthorizationRecords = {
  async save(record) {
    await documentClient().send(
      new PutCommand({
        TableName: views(),
        Item: { pk: `AUTHZ#${record.id}`, sk: 'AUTHORIZATION', record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  },
  async get(id) {
    const { Item } = await documentClient().send(
      new GetCommand({
        TableName: views(),
        Key: { pk: `AUTHZ#${id}`, sk: 'AUTHORIZATION' },
        ConsistentRead: true,
      }),
    );
    return Item?.record as AuthorizationRecord | undefined;
  },
};

export type { SignatureRequest };

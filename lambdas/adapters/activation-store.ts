import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { resourceName, tables } from '../deployment/resources';
import type {
  Authenticators,
  Challenges,
  Passkey,
  PendingChallenge,
  TotpEnrolment,
} from '../ports/authenticators';
import type { ActivationStore } from '../ports/signature-authorization';
import type { LazyClient } from './lazy-sdk';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from './sdk-commands';

/*
 * The activation table (lambdas/deployment/resources.ts): `AUTHN#<person>` holds a person's passkeys and
 * authenticator app; `CHALLENGE#<id>` a challenge awaiting its answer; `SAD#<id>` activation data and the
 * digests already signed with it. Expiring items carry `expiresAt` (epoch seconds) for DynamoDB's TTL.
 */

const table = () => resourceName(tables.activation);
const epoch = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

const isConditionFailure = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';

/** Each store takes its client: the signer builds an untraced one, other functions pass aws-clients'. */
type Client = () => LazyClient<DynamoDBDocumentClient>;

export const dynamoAuthenticators = (documentClient: Client): Authenticators => ({
  async passkeys(personId) {
    const { Items } = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :passkey)',
        ExpressionAttributeValues: { ':pk': `AUTHN#${personId}`, ':passkey': 'PASSKEY#' },
        ConsistentRead: true,
      }),
    );
    return (Items ?? []).map((item) => item.passkey as Passkey);
  },
  async addPasskey(personId, passkey) {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: { pk: `AUTHN#${personId}`, sk: `PASSKEY#${passkey.credentialId}`, passkey },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  },
  async removePasskey(personId, credentialId) {
    await documentClient().send(
      new DeleteCommand({
        TableName: table(),
        Key: { pk: `AUTHN#${personId}`, sk: `PASSKEY#${credentialId}` },
      }),
    );
  },
  async setCounter(personId, credentialId, counter) {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: `AUTHN#${personId}`, sk: `PASSKEY#${credentialId}` },
        UpdateExpression: 'SET passkey.#c = :c',
        ExpressionAttributeNames: { '#c': 'counter' },
        ExpressionAttributeValues: { ':c': counter },
      }),
    );
  },
  async totp(personId) {
    const { Item } = await documentClient().send(
      new GetCommand({
        TableName: table(),
        Key: { pk: `AUTHN#${personId}`, sk: 'TOTP' },
        ConsistentRead: true,
      }),
    );
    return Item?.totp as TotpEnrolment | undefined;
  },
  async saveTotp(personId, enrolment) {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: `AUTHN#${personId}`, sk: 'TOTP' },
        UpdateExpression: 'SET totp = :t',
        ExpressionAttributeValues: { ':t': enrolment },
      }),
    );
  },
  async removeTotp(personId) {
    await documentClient().send(
      new DeleteCommand({ TableName: table(), Key: { pk: `AUTHN#${personId}`, sk: 'TOTP' } }),
    );
  },
  async spendTotpStep(personId, step) {
    try {
      await documentClient().send(
        new UpdateCommand({
          TableName: table(),
          Key: { pk: `AUTHN#${personId}`, sk: 'TOTP' },
          UpdateExpression: 'SET lastStep = :s',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastStep) OR lastStep < :s)',
          ExpressionAttributeValues: { ':s': step },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },
});

export const dynamoChallenges = (documentClient: Client): Challenges => ({
  async save(challenge) {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: {
          pk: `CHALLENGE#${challenge.id}`,
          sk: 'CHALLENGE',
          challenge,
          expiresAt: epoch(challenge.expiresAt),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  },
  async take(id) {
    const { Attributes } = await documentClient().send(
      new DeleteCommand({
        TableName: table(),
        Key: { pk: `CHALLENGE#${id}`, sk: 'CHALLENGE' },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes?.challenge as PendingChallenge | undefined;
  },
});

export const dynamoActivations = (documentClient: Client): ActivationStore => ({
  async save(activation) {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: {
          pk: `SAD#${activation.id}`,
          sk: 'TOKEN',
          token: activation.token,
          expiresAt: activation.expiresAt,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  },
  async token(id) {
    const { Item } = await documentClient().send(
      new GetCommand({ TableName: table(), Key: { pk: `SAD#${id}`, sk: 'TOKEN' }, ConsistentRead: true }),
    );
    return typeof Item?.token === 'string' ? Item.token : undefined;
  },
  async signatureOf(id, digest) {
    const { Item } = await documentClient().send(
      new GetCommand({
        TableName: table(),
        Key: { pk: `SAD#${id}`, sk: `SIGNED#${digest}` },
        ConsistentRead: true,
      }),
    );
    return typeof Item?.signature === 'string'
      ? new Uint8Array(Buffer.from(Item.signature, 'base64'))
      : undefined;
  },
  async keep(id, digest, signature, expiresAt) {
    try {
      await documentClient().send(
        new PutCommand({
          TableName: table(),
          Item: {
            pk: `SAD#${id}`,
            sk: `SIGNED#${digest}`,
            signature: Buffer.from(signature).toString('base64'),
            expiresAt,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return signature;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const { Item } = await documentClient().send(
        new GetCommand({
          TableName: table(),
          Key: { pk: `SAD#${id}`, sk: `SIGNED#${digest}` },
          ConsistentRead: true,
        }),
      );
      return new Uint8Array(Buffer.from(String(Item?.signature), 'base64'));
    }
  },
});

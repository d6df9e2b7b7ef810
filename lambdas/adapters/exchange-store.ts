import { resourceName, tables } from '../deployment/resources';
import type {
  ExchangeLedger,
  ExternalDelivery,
  OutgoingRegisterRecipients,
  ReceivedDocument,
  ReceivedDocuments,
} from '../ports/exchange';
import { documentClient } from './aws-clients';
import { queryAll } from './query-all';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from './sdk-commands';

/*
 * The exchange's records in the views table, beside the documents they are about:
 *   EXT#<document> / TO#<agency>                 an external delivery (the sender's ledger), its last status
 *   EXT#<document> / HIST#<agency>#<at>#<state>  every status it went through, in order
 *   EXTDOC#<package DocumentId> / DOC            which document a status message's ResponseFor names
 *   EXTPENDING / <document>                      a document with deliveries still to hand to the exchange
 *   RCV#<organisation or UNADDRESSED> / <key>    what came in for an organisation (once per key: a package
 *                                                received twice is recorded once)
 */

const table = () => resourceName(tables.views);
const isConditionFailure = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';
const UNADDRESSED = 'UNADDRESSED';

async function putHistory(delivery: ExternalDelivery): Promise<void> {
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: {
        pk: `EXT#${delivery.documentId}`,
        sk: `HIST#${delivery.organId}#${delivery.updatedAt}#${delivery.state}`,
        delivery,
      },
    }),
  );
}

async function deliveriesOf(documentId: string): Promise<ExternalDelivery[]> {
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :to)',
    ExpressionAttributeValues: { ':pk': `EXT#${documentId}`, ':to': 'TO#' },
    ConsistentRead: true,
  });
  return items.map((item) => item.delivery as ExternalDelivery);
}

export const dynamoExchangeLedger: ExchangeLedger = {
  deliveries: deliveriesOf,

  async add(deliveries) {
    for (const delivery of deliveries) {
      await documentClient().send(
        new PutCommand({
          TableName: table(),
          Item: { pk: `EXTDOC#${delivery.exchangeDocumentId}`, sk: 'DOC', documentId: delivery.documentId },
        }),
      );
      if (delivery.state === 'pending')
        await documentClient().send(
          new PutCommand({
            TableName: table(),
            Item: { pk: 'EXTPENDING', sk: delivery.documentId, since: delivery.updatedAt },
          }),
        );
      try {
        await documentClient().send(
          new PutCommand({
            TableName: table(),
            Item: { pk: `EXT#${delivery.documentId}`, sk: `TO#${delivery.organId}`, delivery },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        await putHistory(delivery);
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
  },

  async put(delivery) {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: { pk: `EXT#${delivery.documentId}`, sk: `TO#${delivery.organId}`, delivery },
      }),
    );
    await putHistory(delivery);
    if (delivery.state === 'pending') return;
    // The marker goes once nothing of the document is left to send (a later add puts it back).
    if ((await deliveriesOf(delivery.documentId)).every((d) => d.state !== 'pending'))
      await documentClient().send(
        new DeleteCommand({ TableName: table(), Key: { pk: 'EXTPENDING', sk: delivery.documentId } }),
      );
  },

  async find(exchangeDocumentId, organId) {
    const pointer = await documentClient().send(
      new GetCommand({ TableName: table(), Key: { pk: `EXTDOC#${exchangeDocumentId}`, sk: 'DOC' } }),
    );
    const documentId = pointer.Item?.documentId;
    if (typeof documentId !== 'string') return undefined;
    const item = await documentClient().send(
      new GetCommand({
        TableName: table(),
        Key: { pk: `EXT#${documentId}`, sk: `TO#${organId}` },
        ConsistentRead: true,
      }),
    );
    return item.Item?.delivery as ExternalDelivery | undefined;
  },

  async pendingDocuments() {
    const items = await queryAll({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'EXTPENDING' },
      ConsistentRead: true,
    });
    return items.map((item) => String(item.sk));
  },

  async history(documentId) {
    const items = await queryAll({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :h)',
      ExpressionAttributeValues: { ':pk': `EXT#${documentId}`, ':h': 'HIST#' },
      ConsistentRead: true,
    });
    return items
      .map((item) => item.delivery as ExternalDelivery)
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
  },

  addHistory: putHistory,
};

/** The partition of a received document: its organisation's, or the unaddressed (`item#…` keys). */
const partitionOf = (key: string) =>
  `RCV#${key.startsWith('item#') ? UNADDRESSED : (key.split('#')[0] ?? UNADDRESSED)}`;

export const dynamoReceivedDocuments: ReceivedDocuments = {
  async get(key) {
    const out = await documentClient().send(
      new GetCommand({ TableName: table(), Key: { pk: partitionOf(key), sk: key }, ConsistentRead: true }),
    );
    return out.Item?.document as ReceivedDocument | undefined;
  },

  async add(document) {
    try {
      await documentClient().send(
        new PutCommand({
          TableName: table(),
          Item: { pk: partitionOf(document.key), sk: document.key, document },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },

  async put(document) {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: { pk: partitionOf(document.key), sk: document.key, document },
      }),
    );
  },

  async list(orgId) {
    const items = await queryAll({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `RCV#${orgId ?? UNADDRESSED}` },
    });
    return items
      .map((item) => item.document as ReceivedDocument)
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  },
};

/**
 * The outgoing register's row (written on issue, core/domain/registers.ts): its recipients list grows, each
 * name once (a retried send adds nothing).
 */
export const dynamoOutgoingRegister: OutgoingRegisterRecipients = {
  async addRecipients(entry, names) {
    for (const name of names) {
      try {
        await documentClient().send(
          new UpdateCommand({
            TableName: table(),
            Key: {
              pk: `REG#outgoing#${entry.orgId}#${entry.year}`,
              sk: String(entry.number).padStart(8, '0'),
            },
            UpdateExpression: 'SET #row.#recipients = list_append(#row.#recipients, :names)',
            ConditionExpression: 'attribute_exists(pk) AND NOT contains(#row.#recipients, :name)',
            ExpressionAttributeNames: { '#row': 'row', '#recipients': 'recipients' },
            ExpressionAttributeValues: { ':names': [name], ':name': name },
          }),
        );
      } catch (error) {
        // Already there, or no row (a document issued before registers were kept): nothing to add.
        if (!isConditionFailure(error)) throw error;
      }
    }
  },
};

import * as z from 'zod';
import { DELIVERY_STATUSES, WebhookEventTypeSchema } from '../core/webhooks/webhooks';
import { resourceName, tables } from '../deployment/resources';
import type { Webhook, WebhookDelivery, WebhookStore } from '../ports/webhooks';
import { documentClient } from './aws-clients';
import { queryAll } from './query-all';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from './sdk-commands';

/*
 * Webhooks in their own table (lambdas/deployment/resources.ts `webhooks`): a subscription under its
 * organisation, so that a caller only ever finds its own organisation's; a delivery under its subscription,
 * newest last (its id starts with the event's time). A pending delivery carries `duePk`/`dueSk`, the sparse
 * `due` index the sender reads (`<nextAttemptAt>#<webhook>#<id>`); delivered or dead ones leave it.
 */

const table = () => resourceName(tables.webhooks);
const KEEP_SECONDS = 30 * 86_400;
const DUE = 'DUE';

const isConditionFailure = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';

const StoredWebhookSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  url: z.string(),
  events: z.array(WebhookEventTypeSchema),
  enabled: z.boolean(),
  description: z.string().optional(),
  createdAt: z.string(),
  createdBy: z.string(),
  secrets: z.array(
    z.object({ id: z.string(), sealed: z.string(), createdAt: z.string(), expiresAt: z.string().optional() }),
  ),
});

const StoredDeliverySchema = z.object({
  id: z.string(),
  webhookId: z.string(),
  orgId: z.string(),
  eventId: z.string(),
  eventType: WebhookEventTypeSchema,
  documentId: z.string(),
  payload: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.int().min(0),
  createdAt: z.string(),
  nextAttemptAt: z.string().optional(),
  lastAttemptAt: z.string().optional(),
  lastStatusCode: z.int().optional(),
  lastError: z.string().optional(),
  deliveredAt: z.string().optional(),
  claimId: z.string().optional(),
  claimedUntil: z.string().optional(),
});

const webhookKey = (orgId: string, id: string) => ({ pk: `ORG#${orgId}`, sk: `WEBHOOK#${id}` });
const deliveryKey = (webhookId: string, id: string) => ({ pk: `HOOK#${webhookId}`, sk: `D#${id}` });

/** The item of a delivery: its fields (no undefined), its key, and while pending its place in `due`. */
function deliveryItem(d: WebhookDelivery): Record<string, unknown> {
  const fields = Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined));
  return {
    ...deliveryKey(d.webhookId, d.id),
    delivery: fields,
    expiresAt: Math.floor(Date.parse(d.createdAt) / 1000) + KEEP_SECONDS,
    ...(d.status === 'pending' && d.nextAttemptAt
      ? { duePk: DUE, dueSk: `${d.nextAttemptAt}#${d.webhookId}#${d.id}` }
      : {}),
  };
}

const toDelivery = (item: Record<string, unknown>): WebhookDelivery =>
  StoredDeliverySchema.parse(item.delivery);

export const dynamoWebhookStore: WebhookStore = {
  async listWebhooks(orgId) {
    const items = await queryAll({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :w)',
      ExpressionAttributeValues: { ':pk': `ORG#${orgId}`, ':w': 'WEBHOOK#' },
    });
    return items.map((item) => StoredWebhookSchema.parse(item.webhook));
  },
  async getWebhook(orgId, id) {
    const { Item } = await documentClient().send(
      new GetCommand({ TableName: table(), Key: webhookKey(orgId, id), ConsistentRead: true }),
    );
    return Item ? StoredWebhookSchema.parse(Item.webhook) : undefined;
  },
  async putWebhook(webhook: Webhook) {
    const stored = Object.fromEntries(Object.entries(webhook).filter(([, v]) => v !== undefined));
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: { ...webhookKey(webhook.orgId, webhook.id), webhook: stored },
      }),
    );
  },
  async deleteWebhook(orgId, id) {
    await documentClient().send(new DeleteCommand({ TableName: table(), Key: webhookKey(orgId, id) }));
  },
  async addDelivery(delivery) {
    try {
      await documentClient().send(
        new PutCommand({
          TableName: table(),
          Item: deliveryItem(delivery),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },
  async getDelivery(webhookId, id) {
    const { Item } = await documentClient().send(
      new GetCommand({ TableName: table(), Key: deliveryKey(webhookId, id), ConsistentRead: true }),
    );
    return Item ? toDelivery(Item) : undefined;
  },
  async listDeliveries(webhookId, limit) {
    const { Items } = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :d)',
        ExpressionAttributeValues: { ':pk': `HOOK#${webhookId}`, ':d': 'D#' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map(toDelivery);
  },
  async saveDelivery(delivery) {
    await documentClient().send(new PutCommand({ TableName: table(), Item: deliveryItem(delivery) }));
  },
  // Both conditional on the item's own state, so two senders (the minute's schedule and another run at
  // once) never both try one attempt: the loser's condition fails and it leaves the delivery alone.
  async claimDelivery(delivery, claim, now) {
    const claimed = { ...delivery, claimId: claim.id, claimedUntil: claim.until };
    try {
      await documentClient().send(
        new PutCommand({
          TableName: table(),
          Item: deliveryItem(claimed),
          ConditionExpression:
            '#d.#status = :pending AND #d.attempts = :attempts AND ' +
            '(attribute_not_exists(#d.claimedUntil) OR #d.claimedUntil < :now)',
          ExpressionAttributeNames: { '#d': 'delivery', '#status': 'status' },
          ExpressionAttributeValues: { ':pending': 'pending', ':attempts': delivery.attempts, ':now': now },
        }),
      );
      return claimed;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  },
  async settleDelivery(delivery, claimId) {
    const { claimId: _claim, claimedUntil: _until, ...settled } = delivery;
    try {
      await documentClient().send(
        new PutCommand({
          TableName: table(),
          Item: deliveryItem(settled),
          ConditionExpression: '#d.claimId = :claim',
          ExpressionAttributeNames: { '#d': 'delivery' },
          ExpressionAttributeValues: { ':claim': claimId },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },
  async dueDeliveries(at, limit) {
    const { Items } = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'due',
        KeyConditionExpression: 'duePk = :due AND dueSk <= :at',
        // Every key due at `at` sorts before `<at>$` ('$' follows '#').
        ExpressionAttributeValues: { ':due': DUE, ':at': `${at}$` },
        Limit: limit,
      }),
    );
    // The index is eventually consistent: read each again, and keep what is still pending and due.
    const fresh = await Promise.all(
      (Items ?? []).map((item) =>
        dynamoWebhookStore.getDelivery(
          String(item.delivery?.webhookId ?? ''),
          String(item.delivery?.id ?? ''),
        ),
      ),
    );
    return fresh.filter(
      (d): d is WebhookDelivery =>
        d?.status === 'pending' && d.nextAttemptAt !== undefined && d.nextAttemptAt <= at,
    );
  },
};

import { type NotificationPreferences, NotificationPreferencesSchema } from '../core/notifications/email';
import { type ReminderWatch, ReminderWatchSchema } from '../core/notifications/reminders';
import { NotificationFactsSchema } from '../core/notifications/rules';
import { resourceName, tables } from '../deployment/resources';
import type {
  NotificationStore,
  RecipientReminderLog,
  ReminderWatches,
  StoredNotification,
} from '../ports/notifications';
import { documentClient } from './aws-clients';
import { queryAll } from './query-all';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from './sdk-commands';

/*
 * Notifications in their own table, one partition per person: `N#<at>#<document>#<seq>` per notification
 * (`unread` present until read, so the count is a filtered query of one partition), `PREFS`, and
 * `MAIL#<document>#<seq>` once its e-mail was sent. Notifications and mail records expire after 180 days.
 */

const table = () => resourceName(tables.notifications);
const pk = (personId: string) => `PERSON#${personId}`;
const KEEP_SECONDS = 180 * 86_400;
const expiresAt = (at: string) => Math.floor(new Date(at).getTime() / 1000) + KEEP_SECONDS;

const isConditionFailure = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';

function toNotification(item: Record<string, unknown>): StoredNotification {
  const facts = NotificationFactsSchema.parse(item.facts);
  return {
    ...facts,
    id: String(item.sk).slice(2),
    ...(typeof item.readAt === 'string' ? { readAt: item.readAt } : {}),
  };
}

async function markOne(personId: string, id: string, at: string): Promise<boolean> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: pk(personId), sk: `N#${id}` },
        UpdateExpression: 'REMOVE unread SET readAt = :at',
        ConditionExpression: 'attribute_exists(unread)',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

async function unreadIds(personId: string): Promise<string[]> {
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :n)',
    FilterExpression: 'attribute_exists(unread)',
    ProjectionExpression: 'sk',
    ExpressionAttributeValues: { ':pk': pk(personId), ':n': 'N#' },
  });
  return items.map((item) => String(item.sk).slice(2));
}

export const dynamoNotificationStore: NotificationStore = {
  async add(personId, facts) {
    try {
      await documentClient().send(
        new PutCommand({
          TableName: table(),
          Item: {
            pk: pk(personId),
            sk: `N#${facts.at}#${facts.documentId}#${facts.seq}${facts.reminder ? `#${facts.reminder}` : ''}`,
            facts,
            unread: 1,
            expiresAt: expiresAt(facts.at),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },
  async list(personId, limit) {
    const { Items } = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :n)',
        ExpressionAttributeValues: { ':pk': pk(personId), ':n': 'N#' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map(toNotification);
  },
  async unreadCount(personId) {
    return (await unreadIds(personId)).length;
  },
  async markRead(personId, ids, at) {
    const chosen = ids ?? (await unreadIds(personId));
    const marked = await Promise.all(chosen.map((id) => markOne(personId, id, at)));
    return marked.filter(Boolean).length;
  },
  async preferences(personId) {
    const { Item } = await documentClient().send(
      new GetCommand({ TableName: table(), Key: { pk: pk(personId), sk: 'PREFS' }, ConsistentRead: true }),
    );
    return Item ? NotificationPreferencesSchema.parse(Item.preferences) : undefined;
  },
  async savePreferences(personId, preferences: NotificationPreferences) {
    await documentClient().send(
      new PutCommand({ TableName: table(), Item: { pk: pk(personId), sk: 'PREFS', preferences } }),
    );
  },
  async emailSent(personId, notificationId) {
    const { Item } = await documentClient().send(
      new GetCommand({
        TableName: table(),
        Key: { pk: pk(personId), sk: `MAIL#${notificationId}` },
        ConsistentRead: true,
      }),
    );
    return Item !== undefined;
  },
  async recordEmailSent(personId, notificationId, at) {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: { pk: pk(personId), sk: `MAIL#${notificationId}`, sentAt: at, expiresAt: expiresAt(at) },
      }),
    );
  },
};

/*
 * Reminder watches in one partition, `REMINDERS`, sorted by the time their stage is due
 * (`<at>#<org>#<document>#<stage>`): the sweep reads only what is due, however many watches wait. They are
 * written when documents are assigned (a few thousand a day at most), far below a partition's limits.
 */
const WATCHES = 'REMINDERS';
const watchKey = (w: ReminderWatch) => ({ pk: WATCHES, sk: `${w.at}#${w.orgId}#${w.documentId}#${w.stage}` });

export const dynamoReminderWatches: ReminderWatches = {
  async put(watch) {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: { ...watchKey(watch), watch: ReminderWatchSchema.parse(watch) },
      }),
    );
  },
  async due(at, limit) {
    const { Items } = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND sk <= :at',
        // Every key of a watch due at `at` sorts before `<at>$` ('$' follows '#').
        ExpressionAttributeValues: { ':pk': WATCHES, ':at': `${at}$` },
        ConsistentRead: true,
        Limit: limit,
      }),
    );
    return (Items ?? []).map((item) => ReminderWatchSchema.parse(item.watch));
  },
  async remove(watch) {
    await documentClient().send(new DeleteCommand({ TableName: table(), Key: watchKey(watch) }));
  },
};

/*
 * The sender's reminders to register, one item per document and recipient (`REMINDED#<document>`, the
 * recipient's id): the time of the last one, replaced only when it is older than the interval.
 */
const remindedKey = (documentId: string, orgId: string) => ({ pk: `REMINDED#${documentId}`, sk: orgId });

export const dynamoRecipientReminders: RecipientReminderLog = {
  async claim(documentId, orgId, at, notBefore) {
    try {
      await documentClient().send(
        new PutCommand({
          TableName: table(),
          Item: { ...remindedKey(documentId, orgId), at, expiresAt: expiresAt(at) },
          ConditionExpression: 'attribute_not_exists(pk) OR #at <= :notBefore',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':notBefore': notBefore },
        }),
      );
      return { ok: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const { Item } = await documentClient().send(
        new GetCommand({ TableName: table(), Key: remindedKey(documentId, orgId), ConsistentRead: true }),
      );
      return { ok: false, lastAt: typeof Item?.at === 'string' ? Item.at : at };
    }
  },
  async release(documentId, orgId, at) {
    try {
      await documentClient().send(
        new DeleteCommand({
          TableName: table(),
          Key: remindedKey(documentId, orgId),
          ConditionExpression: '#at = :at',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':at': at },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  },
};

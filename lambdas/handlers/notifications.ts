import { dynamoDirectory } from '../adapters/directory-store';
import { commit, listInbox, readDocument } from '../adapters/document-store';
import { dynamoNotificationStore, dynamoRecipientReminders } from '../adapters/notification-store';
import { notificationContracts } from '../contracts/notifications';
import { apiHandler, ok } from '../http/api';
import {
  listNotifications,
  markNotificationsRead,
  notificationPreferences,
  saveNotificationPreferences,
} from '../use-cases/notifications';
import { overdueDocuments } from '../use-cases/overdue';
import { type RecipientReminderPorts, remindRecipients } from '../use-cases/recipient-reminders';
import { writeOptions } from './wiring';

const ports = { notifications: dynamoNotificationStore, now: () => new Date() };
const overduePorts = {
  documents: { listInbox },
  directory: { listPeople: () => dynamoDirectory.listPeople() },
  now: () => new Date(),
};
const reminderPorts: RecipientReminderPorts = {
  documents: { read: readDocument, commit },
  directory: { loadDirectory: dynamoDirectory.loadDirectory, listPeople: () => dynamoDirectory.listPeople() },
  reminded: dynamoRecipientReminders,
  now: () => new Date(),
};

/**
 * A person's own notifications and preferences: nobody reads or changes another's. The sender's reminder to
 * recipients that have not registered a document is an event of its log, which the notifier delivers
 * (use-cases/recipient-reminders.ts).
 */
export const handler = apiHandler(
  'notifications',
  notificationContracts,
  {
    'POST /api/documents/{id}/recipient-reminders': async ({ caller, id, body }) =>
      ok(await remindRecipients(reminderPorts, caller, id, body.recipientOrgIds)),
    'GET /api/overdue': async ({ caller }) => ok(await overdueDocuments(overduePorts, caller)),
    'GET /api/notifications': async ({ caller, query, language }) =>
      ok(await listNotifications(ports, caller, language, query.limit)),
    'POST /api/notifications/read': async ({ caller, body }) =>
      ok(await markNotificationsRead(ports, caller, body.ids)),
    'GET /api/notifications/preferences': async ({ caller }) =>
      ok(await notificationPreferences(ports, caller)),
    'PUT /api/notifications/preferences': async ({ caller, body }) =>
      ok(await saveNotificationPreferences(ports, caller, body)),
  },
  writeOptions(),
);

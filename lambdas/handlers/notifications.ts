import { dynamoDirectory } from '../adapters/directory-store';
import { listInbox } from '../adapters/document-store';
import { dynamoNotificationStore } from '../adapters/notification-store';
import { notificationContracts } from '../contracts/notifications';
import { apiHandler, ok } from '../http/api';
import {
  listNotifications,
  markNotificationsRead,
  notificationPreferences,
  saveNotificationPreferences,
} from '../use-cases/notifications';
import { overdueDocuments } from '../use-cases/overdue';
import { readOptions } from './wiring';

const ports = { notifications: dynamoNotificationStore, now: () => new Date() };
const overduePorts = {
  documents: { listInbox },
  directory: { listPeople: () => dynamoDirectory.listPeople() },
  now: () => new Date(),
};

/** A person's own notifications and preferences: nobody reads or changes another's. */
export const handler = apiHandler(
  'notifications',
  notificationContracts,
  {
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
  readOptions,
);

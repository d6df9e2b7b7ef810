import { dynamoNotificationStore } from '../adapters/notification-store';
import { notificationContracts } from '../contracts/notifications';
import { apiHandler, ok } from '../http/api';
import {
  listNotifications,
  markNotificationsRead,
  notificationPreferences,
  saveNotificationPreferences,
} from '../use-cases/notifications';
import { readOptions } from './wiring';

const ports = { notifications: dynamoNotificationStore, now: () => new Date() };

/** A person's own notifications and preferences: nobody reads or changes another's. */
export const handler = apiHandler(
  'notifications',
  notificationContracts,
  {
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

import * as z from 'zod';
import { InstantSchema, LineSchema, OrgIdSchema } from '../core/domain/common';
import { UrgencySchema } from '../core/domain/document-types';
import { NotificationPreferencesSchema } from '../core/notifications/email';
import { NotificationKindSchema } from '../core/notifications/rules';
import type { RouteContract } from './contract';

/** A person's notifications (newest first) and how many are unread; their e-mail preferences. */

export const NotificationSchema = z
  .object({
    id: z.string().describe('Names the notification when marking it read'),
    documentId: z.string(),
    kind: NotificationKindSchema,
    title: z.string().describe("One line in the caller's language"),
    symbol: z.string().optional(),
    subject: z.string(),
    urgency: UrgencySchema,
    at: z.string(),
    dueDate: z.string().optional(),
    deliverBy: z.string().optional(),
    read: z.boolean(),
  })
  .meta({ id: 'Notification' });

export const NotificationListSchema = z.object({
  items: z.array(NotificationSchema),
  unread: z.int().min(0),
});

export const NotificationsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

export const MarkReadSchema = z
  .object({
    /** Without ids: every unread notification. */
    ids: z.array(LineSchema(300)).min(1).max(100).optional(),
  })
  .strict();

export const MarkReadResultSchema = z.object({ marked: z.int().min(0), unread: z.int().min(0) });

export { NotificationPreferencesSchema };

/** The overdue view of the caller's organisation (issue 16), most overdue first. */
export const OverdueListSchema = z.object({
  orgId: z.string(),
  today: z.string().describe('Hà Nội calendar date the view is computed for'),
  items: z.array(
    z.object({
      documentId: z.string(),
      symbol: z.string(),
      subject: z.string(),
      urgency: UrgencySchema,
      senderOrgId: z.string(),
      deadline: z.string(),
      state: z.string(),
      handler: z.object({ kind: z.enum(['person', 'unit']), id: z.string(), name: z.string() }).optional(),
      assignedBy: z.object({ id: z.string(), name: z.string() }).optional(),
      overdueDays: z.int().min(1).describe('Working days past the deadline (Vietnam calendar)'),
    }),
  ),
});

/** The sender reminds recipients that have not registered the document yet (issue 16, issue 18 item 3). */
export const RecipientRemindersBodySchema = z
  .object({ recipientOrgIds: z.array(OrgIdSchema).min(1).max(500) })
  .strict();

export const RecipientRemindersResultSchema = z.object({
  reminded: z.array(
    z.object({
      orgId: z.string(),
      clerks: z
        .int()
        .min(0)
        .describe("How many of the recipient's clerks are told (their list, and e-mail as they chose)"),
    }),
  ),
  at: InstantSchema,
});

export const notificationContracts = {
  'POST /api/documents/{id}/recipient-reminders': {
    summary:
      'Remind recipients that have not registered the document yet (their clerks), at most hourly each',
    body: RecipientRemindersBodySchema,
    response: RecipientRemindersResultSchema,
    idempotent: true,
  },
  'GET /api/overdue': {
    summary: "What is overdue in the caller's organisation, with whom, by how many working days",
    response: OverdueListSchema,
  },
  'GET /api/notifications': {
    summary: "The caller's notifications, newest first, and the unread count",
    query: NotificationsQuerySchema,
    response: NotificationListSchema,
  },
  'POST /api/notifications/read': {
    summary: 'Marks notifications read (all unread ones without ids)',
    body: MarkReadSchema,
    response: MarkReadResultSchema,
  },
  'GET /api/notifications/preferences': {
    summary: 'Which notifications also come by e-mail, to which address, in which language',
    response: NotificationPreferencesSchema,
  },
  'PUT /api/notifications/preferences': {
    summary: "Saves the caller's notification preferences",
    body: NotificationPreferencesSchema.strict(),
    response: NotificationPreferencesSchema,
  },
} as const satisfies Record<string, RouteContract>;

import type { NotificationPreferences } from '../core/notifications/email';
import type { ReminderWatch } from '../core/notifications/reminders';
import type { NotificationFacts } from '../core/notifications/rules';

/** A notification as a person's list holds it. */
export interface StoredNotification extends NotificationFacts {
  /** `<at>#<documentId>#<seq>`: what mark-read names (newest sort last). */
  readonly id: string;
  readonly readAt?: string;
}

/**
 * Each person's notifications, preferences, and the record of which e-mails went out. Implemented over
 * DynamoDB in adapters/notification-store.ts, in memory for use-case tests.
 */
export interface NotificationStore {
  /** Adds the notification unless the person already has it (a retried event adds nothing); true if added. */
  add(personId: string, facts: NotificationFacts): Promise<boolean>;
  /** Newest first. */
  list(personId: string, limit: number): Promise<StoredNotification[]>;
  unreadCount(personId: string): Promise<number>;
  /** Marks these (or, without ids, every unread one) read; returns how many changed. */
  markRead(personId: string, ids: readonly string[] | undefined, at: string): Promise<number>;
  preferences(personId: string): Promise<NotificationPreferences | undefined>;
  savePreferences(personId: string, preferences: NotificationPreferences): Promise<void>;
  /** Whether this notification's e-mail was sent already. */
  emailSent(personId: string, notificationId: string): Promise<boolean>;
  recordEmailSent(personId: string, notificationId: string, at: string): Promise<void>;
}

/** An outgoing e-mail, already composed as RFC 5322 text. */
export interface OutgoingEmail {
  readonly from: string;
  readonly to: string;
  readonly raw: string;
}

/** Sends e-mail: Amazon SES deployed, the local stack's SMTP server on a laptop. */
export interface EmailSender {
  send(email: OutgoingEmail): Promise<void>;
}

/** What an open inbox is told: something changed for this document; it reads its folders again. */
export interface LiveMessage {
  readonly type: 'changed';
  readonly documentId: string;
  readonly at: string;
}

/**
 * The live inbox's open connections (API Gateway WebSocket API deployed, the local gateway's socket on a
 * laptop), kept per organisation: whoever is connected there may see what concerns the organisation.
 */
export interface LiveConnections {
  connect(connectionId: string, person: { id: string; orgId: string }, at: string): Promise<void>;
  disconnect(connectionId: string): Promise<void>;
  /** Best effort: a connection that is gone is forgotten; a reconnecting client reads everything again. */
  push(orgIds: readonly string[], message: LiveMessage): Promise<number>;
}

/**
 * Reminder watches (core/notifications/reminders.ts), kept by the time their stage is due: the notifier
 * starts them from the log's events, the scheduled sweep takes those whose time came.
 */
export interface ReminderWatches {
  /** Keeps the watch (the same watch again changes nothing). */
  put(watch: ReminderWatch): Promise<void>;
  /** The watches due at or before `at`, oldest first, at most `limit`. */
  due(at: string, limit: number): Promise<ReminderWatch[]>;
  remove(watch: ReminderWatch): Promise<void>;
}

/**
 * When each recipient of a document was last reminded by its sender: the limit on how often (one claim per
 * interval, decided atomically, so two clicks at once remind once).
 */
export interface RecipientReminderLog {
  /**
   * Records a reminder of `orgId` at `at` unless one was recorded after `notBefore`; returns the time of
   * that earlier one when refused.
   */
  claim(
    documentId: string,
    orgId: string,
    at: string,
    notBefore: string,
  ): Promise<{ ok: true } | { ok: false; lastAt: string }>;
  /** Gives a claim back (its notifications could not be recorded), so that a retry is not refused. */
  release(documentId: string, orgId: string, at: string): Promise<void>;
}

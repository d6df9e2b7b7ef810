import { DomainError, type ErrorStatus } from '../errors';
import { defineMessages, type MessageParams, type Translation } from './catalogue';

/*
 * The refusals of a sender's reminder to recipients that have not registered a document yet
 * (use-cases/notifications.ts `remindRecipients`): a catalogue of its own, carried by the notifications
 * routes only (lambdas/core/i18n/README.md). Parameters are values: organisation names, a Hà Nội time.
 */
const RECIPIENT_REMINDER_TEXTS = {
  recipient_reminder_not_sender: {
    vi: 'Chỉ văn thư hoặc lãnh đạo của cơ quan gửi văn bản mới nhắc được nơi nhận.',
    en: 'Only a clerk or a leader of the sending organisation may remind its recipients.',
  },
  recipient_reminder_not_recipients: {
    vi: 'Không phải nơi nhận của văn bản này: {names}.',
    en: 'Not recipients of this document: {names}.',
  },
  recipient_reminder_not_waiting: {
    vi: 'Không cần nhắc vì đã tiếp nhận, từ chối hoặc văn bản đã bị thu hồi: {names}.',
    en: 'No reminder needed, as they registered or refused it, or it was recalled: {names}.',
  },
  recipient_reminder_too_soon: {
    vi: 'Đã nhắc trong vòng {minutes} phút qua; có thể nhắc lại từ {time}: {names}.',
    en: 'Reminded within the last {minutes} minutes; they may be reminded again from {time}: {names}.',
  },
} as const satisfies Record<string, Translation>;

export const recipientReminderMessages = /* @__PURE__ */ defineMessages(RECIPIENT_REMINDER_TEXTS);
export type RecipientReminderCode = keyof typeof RECIPIENT_REMINDER_TEXTS;

export const recipientReminderError = (
  code: RecipientReminderCode,
  status: ErrorStatus,
  params?: MessageParams<never>,
): DomainError => new DomainError(code, status, params, recipientReminderMessages);

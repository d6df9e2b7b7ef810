import * as z from 'zod';
import { isUrgent } from '../domain/document-types';
import type { Language } from '../i18n/catalogue';
import { notificationMessages as m, type NotificationCode } from '../i18n/notifications';
import { NOTIFICATION_KINDS, type NotificationFacts, type NotificationKind } from './rules';

/*
 * A person's choices (which notifications also come by e-mail, in which language) and the e-mail itself:
 * the document's number, subject, urgency, deadline and a link, never its content or file. The message is
 * built here as RFC 5322 text, so that Amazon SES (raw) and the local SMTP sink carry the very same bytes.
 */

export const EMAIL_CHOICES = [...NOTIFICATION_KINDS, 'urgent'] as const;
export const EmailChoiceSchema = z.enum(EMAIL_CHOICES);
export type EmailChoice = z.infer<typeof EmailChoiceSchema>;

export const NotificationPreferencesSchema = z.object({
  /** Where e-mail goes; without it, notifications stay in the list. */
  email: z.email().max(254).optional(),
  language: z.enum(['vi', 'en']).default('vi'),
  /** Kinds of notification that also come by e-mail; `urgent`: every urgent document, whatever the kind. */
  emailFor: z.array(EmailChoiceSchema).max(EMAIL_CHOICES.length),
});
export type NotificationPreferences = z.infer<typeof NotificationPreferencesSchema>;

/** Sensible defaults by role: arrivals for clerks, signatures and directions for leaders, work for handlers. */
export function defaultPreferences(role: string): NotificationPreferences {
  const byRole: Record<string, EmailChoice[]> = {
    clerk: [
      'arrival',
      'recalled',
      'replacement',
      'correction',
      'not-opened',
      'registration-reminder',
      'handover',
      'urgent',
    ],
    leader: ['to-sign', 'presented', 'overdue', 'not-opened', 'handover', 'urgent'],
    specialist: [
      'assignment',
      'returned',
      'deadline-soon',
      'deadline-today',
      'overdue',
      'handover',
      'urgent',
    ],
  };
  return { language: 'vi', emailFor: byRole[role] ?? [] };
}

export function wantsEmail(preferences: NotificationPreferences, facts: NotificationFacts): boolean {
  if (!preferences.email) return false;
  return (
    preferences.emailFor.includes(facts.kind) ||
    (preferences.emailFor.includes('urgent') && isUrgent(facts.urgency))
  );
}

const TITLES: Record<NotificationKind, NotificationCode> = {
  arrival: 'notification_arrival',
  'to-sign': 'notification_to_sign',
  presented: 'notification_presented',
  assignment: 'notification_assignment',
  returned: 'notification_returned',
  recalled: 'notification_recalled',
  replacement: 'notification_replacement',
  correction: 'notification_correction',
  'deadline-soon': 'notification_deadline_soon',
  'deadline-today': 'notification_deadline_today',
  overdue: 'notification_overdue',
  'not-opened': 'notification_not_opened',
  'registration-reminder': 'notification_registration_reminder',
  handover: 'notification_handover',
};

/** Hà Nội time (UTC+7, no daylight saving), as people read it: 05/01/2026 09:30. */
export function hanoiTime(iso: string): string {
  const t = new Date(new Date(iso).getTime() + 7 * 3600_000).toISOString();
  return `${t.slice(8, 10)}/${t.slice(5, 7)}/${t.slice(0, 4)} ${t.slice(11, 16)}`;
}

const calendarDate = (date: string) => `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;

/** The one-line title of a notification, in the list and as the e-mail's subject. */
export function notificationTitle(
  facts: NotificationFacts,
  language: Language,
  senderName: (orgId: string) => string,
): string {
  const title = m.render(TITLES[facts.kind], language, {
    symbol: facts.symbol ?? m.render('notification_draft_symbol', language),
    sender: facts.senderOrgId ? senderName(facts.senderOrgId) : '',
    date: facts.dueDate ? calendarDate(facts.dueDate) : '',
    time: facts.deliverBy ? hanoiTime(facts.deliverBy) : '',
    amends: facts.amends ?? '',
  });
  if (!isUrgent(facts.urgency)) return title;
  return m.render('notification_urgent_prefix', language, {
    urgency: m.render(`urgency_${facts.urgency}`, language).toUpperCase(),
    title,
  });
}

export const documentLink = (webUrl: string, documentId: string) =>
  `${webUrl.replace(/\/+$/, '')}/#/doc/${encodeURIComponent(documentId)}`;

export interface ComposedEmail {
  readonly subject: string;
  readonly text: string;
}

export function composeEmail(args: {
  facts: NotificationFacts;
  recipientName: string;
  language: Language;
  webUrl: string;
  senderName: (orgId: string) => string;
}): ComposedEmail {
  const { facts, language: lang } = args;
  const subject = notificationTitle(facts, lang, args.senderName);
  const lines = [
    m.render('mail_greeting', lang, { name: args.recipientName }),
    '',
    subject,
    '',
    m.render('mail_number', lang, { symbol: facts.symbol ?? m.render('notification_draft_symbol', lang) }),
    m.render('mail_subject', lang, { subject: facts.subject }),
    m.render('mail_urgency', lang, { urgency: m.render(`urgency_${facts.urgency}`, lang) }),
    ...(facts.dueDate ? [m.render('mail_due', lang, { date: calendarDate(facts.dueDate) })] : []),
    ...(facts.deliverBy ? [m.render('mail_deliver_by', lang, { time: hanoiTime(facts.deliverBy) })] : []),
    '',
    m.render('mail_link', lang, { url: documentLink(args.webUrl, facts.documentId) }),
    '',
    '--',
    m.render('mail_footer', lang),
  ];
  return { subject, text: lines.join('\r\n') };
}

/** RFC 2047 encoded words of at most 75 characters, split between code points. */
function encodeHeader(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  const chars = Array.from(value);
  const words: string[] = [];
  for (let i = 0; i < chars.length; i += 11) {
    words.push(`=?UTF-8?B?${Buffer.from(chars.slice(i, i + 11).join(''), 'utf8').toString('base64')}?=`);
  }
  return words.join('\r\n ');
}

/** A mailbox header value, its display name encoded when it is not ASCII (`UBND thành phố Hà Nội <…>`). */
function encodeMailbox(mailbox: string): string {
  const match = /^(.*?)\s*<([^>]+)>$/.exec(mailbox);
  if (!match) return mailbox;
  return `${encodeHeader((match[1] ?? '').trim())} <${match[2]}>`;
}

/** A stable Message-ID per notification: a message sent again is recognisably the same one. */
export const notificationMessageId = (personId: string, facts: NotificationFacts, domain: string) =>
  `<${encodeURIComponent(facts.documentId)}.${facts.seq}${facts.reminder ? `.${encodeURIComponent(facts.reminder)}` : ''}.${encodeURIComponent(personId)}@${domain}>`;

/** The whole message as sent: headers and a base64 UTF-8 plain-text body. */
export function mimeMessage(args: {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  date: Date;
  language: Language;
}): string {
  const body = Buffer.from(args.text, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');
  return [
    `From: ${encodeMailbox(args.from)}`,
    `To: ${encodeMailbox(args.to)}`,
    `Subject: ${encodeHeader(args.subject)}`,
    `Date: ${args.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${args.messageId}`,
    `Content-Language: ${args.language}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    'Auto-Submitted: auto-generated',
    '',
    body,
    '',
  ].join('\r\n');
}

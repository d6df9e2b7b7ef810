import { defineMessages, type Translation } from './catalogue';

/*
 * What notifications and their e-mails say (lambdas/core/notifications): a catalogue of its own, carried by
 * the notifier and the notifications routes only (lambdas/core/i18n/README.md).
 */
const NOTIFICATION_TEXTS = {
  notification_arrival: {
    vi: 'Văn bản đến: {symbol} của {sender}',
    en: 'Incoming document: {symbol} from {sender}',
  },
  notification_to_sign: {
    vi: 'Văn bản chờ anh/chị ký: {symbol}',
    en: 'A document awaits your signature: {symbol}',
  },
  notification_presented: {
    vi: 'Văn bản trình anh/chị cho ý kiến chỉ đạo: {symbol}',
    en: 'A document is presented to you for direction: {symbol}',
  },
  notification_assignment: {
    vi: 'Văn bản giao anh/chị xử lý: {symbol}',
    en: 'A document is assigned to you: {symbol}',
  },
  notification_returned: {
    vi: 'Dự thảo bị trả lại để sửa: {symbol}',
    en: 'Your draft was returned for revision: {symbol}',
  },
  notification_recalled: {
    vi: 'Văn bản đã bị thu hồi: {symbol} của {sender}',
    en: 'A document was recalled: {symbol} from {sender}',
  },
  notification_replacement: {
    vi: 'Văn bản thay thế văn bản số {amends}: {symbol} của {sender}',
    en: 'Document {symbol} from {sender} replaces document {amends}',
  },
  notification_correction: {
    vi: 'Văn bản đính chính văn bản số {amends}: {symbol} của {sender}',
    en: 'Document {symbol} from {sender} corrects document {amends}',
  },
  notification_deadline_soon: {
    vi: 'Sắp đến hạn xử lý ({date}): {symbol}',
    en: 'Deadline approaching ({date}): {symbol}',
  },
  notification_deadline_today: {
    vi: 'Hôm nay là hạn xử lý: {symbol}',
    en: 'Due today: {symbol}',
  },
  notification_overdue: {
    vi: 'Văn bản quá hạn xử lý (hạn {date}): {symbol}',
    en: 'A document is overdue (deadline {date}): {symbol}',
  },
  notification_not_opened: {
    vi: 'Văn bản hỏa tốc hẹn giờ chưa được tiếp nhận trước {time}: {symbol} của {sender}',
    en: 'A timed flash document was not received by {time}: {symbol} from {sender}',
  },
  notification_registration_reminder: {
    vi: 'Nhắc tiếp nhận văn bản đến: {symbol} của {sender}',
    en: 'Reminder to register an incoming document: {symbol} from {sender}',
  },
  notification_handover: {
    vi: 'Văn bản bàn giao cho anh/chị (người tiền nhiệm đã nghỉ): {symbol}',
    en: 'A document handed over to you (your predecessor left): {symbol}',
  },
  notification_urgent_prefix: { vi: '[{urgency}] {title}', en: '[{urgency}] {title}' },
  notification_draft_symbol: { vi: '(dự thảo chưa có số)', en: '(unnumbered draft)' },
  mail_greeting: { vi: 'Kính gửi {name},', en: 'Dear {name},' },
  mail_number: { vi: 'Số, ký hiệu: {symbol}', en: 'Number: {symbol}' },
  mail_subject: { vi: 'Trích yếu: {subject}', en: 'Subject: {subject}' },
  mail_urgency: { vi: 'Độ khẩn: {urgency}', en: 'Urgency: {urgency}' },
  mail_due: { vi: 'Hạn xử lý: {date}', en: 'Deadline: {date}' },
  mail_deliver_by: { vi: 'Phải đến nơi nhận trước: {time}', en: 'To reach its recipients by: {time}' },
  mail_link: { vi: 'Mở văn bản: {url}', en: 'Open the document: {url}' },
  mail_footer: {
    vi: 'Thư này do hệ thống docflow gửi tự động và không kèm nội dung văn bản. Anh/chị có thể chọn loại thông báo nhận qua thư trong trang Hồ sơ.',
    en: 'This message was sent automatically by docflow and carries no document content. You can choose which notifications reach you by e-mail on your Profile page.',
  },
  urgency_normal: { vi: 'Thường', en: 'Normal' },
  urgency_urgent: { vi: 'Khẩn', en: 'Urgent' },
  'urgency_very-urgent': { vi: 'Thượng khẩn', en: 'Very urgent' },
  urgency_flash: { vi: 'Hỏa tốc', en: 'Flash' },
  'urgency_flash-timed': { vi: 'Hỏa tốc hẹn giờ', en: 'Flash, timed' },
} as const satisfies Record<string, Translation>;

export const notificationMessages = /* @__PURE__ */ defineMessages(NOTIFICATION_TEXTS);
export type NotificationCode = keyof typeof NOTIFICATION_TEXTS;

import { defineMessages } from '../../../lambdas/core/i18n/catalogue';

/* The notification preferences' texts (Preferences.tsx, on the profile page): a catalogue of its own. */
export const preferenceMessages = defineMessages({
  title: { vi: 'Thông báo qua thư điện tử', en: 'Notifications by e-mail' },
  intro: {
    vi: 'Mọi thông báo đều có trong danh sách thông báo. Chọn những loại anh/chị muốn nhận thêm qua thư; thư chỉ có số, trích yếu, độ khẩn, hạn và đường dẫn, không có nội dung văn bản.',
    en: 'Every notification is in your notification list. Choose which ones also reach you by e-mail; a message carries the number, subject, urgency, deadline and a link, never the document itself.',
  },
  email: { vi: 'Địa chỉ thư điện tử', en: 'E-mail address' },
  emailHint: { vi: 'Để trống nếu không muốn nhận thư.', en: 'Leave empty to get no e-mail.' },
  language: { vi: 'Ngôn ngữ của thư', en: 'Language of the messages' },
  vi: { vi: 'Tiếng Việt', en: 'Vietnamese' },
  en: { vi: 'Tiếng Anh', en: 'English' },
  kinds: { vi: 'Nhận thư khi có', en: 'E-mail me about' },
  kind_arrival: { vi: 'Văn bản đến', en: 'Incoming documents' },
  'kind_to-sign': { vi: 'Văn bản chờ ký', en: 'Documents to sign' },
  kind_presented: { vi: 'Văn bản trình cho ý kiến chỉ đạo', en: 'Documents presented for direction' },
  kind_assignment: { vi: 'Văn bản được giao xử lý', en: 'Documents assigned to me' },
  kind_returned: { vi: 'Dự thảo bị trả lại', en: 'Drafts returned for revision' },
  kind_recalled: { vi: 'Văn bản bị thu hồi', en: 'Recalled documents' },
  kind_replacement: { vi: 'Văn bản thay thế văn bản đã nhận', en: 'Documents replacing one received' },
  kind_correction: { vi: 'Văn bản đính chính văn bản đã nhận', en: 'Documents correcting one received' },
  'kind_deadline-soon': { vi: 'Sắp đến hạn xử lý', en: 'Deadlines approaching' },
  'kind_deadline-today': { vi: 'Đến hạn xử lý hôm nay', en: 'Deadlines today' },
  kind_overdue: { vi: 'Văn bản quá hạn xử lý', en: 'Overdue documents' },
  'kind_not-opened': {
    vi: 'Văn bản hỏa tốc hẹn giờ chưa được tiếp nhận đúng hạn',
    en: 'Timed flash documents not received in time',
  },
  'kind_registration-reminder': {
    vi: 'Lời nhắc tiếp nhận của nơi gửi',
    en: "Senders' reminders to register a document",
  },
  kind_handover: {
    vi: 'Việc được bàn giao khi người khác nghỉ',
    en: 'Work handed over to me when someone leaves',
  },
  kind_urgent: { vi: 'Mọi văn bản khẩn trở lên', en: 'Every urgent document' },
  save: { vi: 'Lưu lựa chọn', en: 'Save my choices' },
  saved: { vi: 'Đã lưu.', en: 'Saved.' },
});

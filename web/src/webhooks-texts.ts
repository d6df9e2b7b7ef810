import { defineMessages, type Language } from '../../lambdas/core/i18n/catalogue';

/* The webhooks screen's texts (WebhooksPage.tsx): a catalogue of its own, in the shape of every other. */
export const webhookScreenMessages = defineMessages({
  nav: { vi: 'Thông báo cho hệ thống ngoài', en: 'Webhooks' },
  title: { vi: 'Webhook cho hệ thống bên ngoài', en: 'Webhooks for external systems' },
  intro: {
    vi: 'Hệ thống bên ngoài (cổng một cửa, bảng điều hành) nhận thông báo khi văn bản của cơ quan được ban hành, gửi, nhận, vào sổ, giao xử lý, hoàn thành hoặc thu hồi. Mỗi lần gửi được ký bằng HMAC-SHA256; nội dung chỉ gồm mã và thông tin như trong sổ, không có tệp văn bản hay trích yếu.',
    en: "External systems (one-stop portals, dashboards) are told when the organisation's documents are issued, sent, received, registered, assigned, completed or recalled. Each delivery is signed with HMAC-SHA256; it carries ids and register metadata only, never the file or the subject.",
  },
  url: { vi: 'Địa chỉ nhận (https)', en: 'Endpoint (https)' },
  description: { vi: 'Mô tả', en: 'Description' },
  events: { vi: 'Sự kiện', en: 'Events' },
  register: { vi: 'Đăng ký webhook', en: 'Register webhook' },
  secretTitle: { vi: 'Khóa bí mật (chỉ hiển thị một lần)', en: 'Signing secret (shown once)' },
  secretHint: {
    vi: 'Hãy sao chép khóa này vào hệ thống nhận ngay bây giờ; docflow không hiển thị lại.',
    en: 'Copy this secret into the receiving system now; docflow will not show it again.',
  },
  registered: { vi: 'Đã đăng ký webhook.', en: 'Webhook registered.' },
  rotate: { vi: 'Đổi khóa', en: 'Rotate secret' },
  rotateConfirm: {
    vi: 'Tạo khóa mới? Khóa cũ vẫn ký thêm 24 giờ để hệ thống nhận kịp chuyển sang khóa mới.',
    en: 'Make a new secret? The old one keeps signing for 24 hours so that the receiver can switch.',
  },
  rotated: {
    vi: 'Đã tạo khóa mới; khóa cũ còn ký đến {time}.',
    en: 'New secret made; the old one signs until {time}.',
  },
  enable: { vi: 'Bật', en: 'Enable' },
  disable: { vi: 'Tắt', en: 'Disable' },
  remove: { vi: 'Xóa', en: 'Delete' },
  removeConfirm: {
    vi: 'Xóa webhook đến {url}? Các lần gửi đang chờ sẽ không được gửi.',
    en: 'Delete the webhook to {url}? Pending deliveries will not be sent.',
  },
  removed: { vi: 'Đã xóa webhook.', en: 'Webhook deleted.' },
  deliveries: { vi: 'Các lần gửi', en: 'Deliveries' },
  hideDeliveries: { vi: 'Ẩn các lần gửi', en: 'Hide deliveries' },
  noDeliveries: { vi: 'Chưa có lần gửi nào.', en: 'No deliveries yet.' },
  replay: { vi: 'Gửi lại', en: 'Replay' },
  replayed: { vi: 'Sẽ gửi lại trong vòng một phút.', en: 'It will be sent again within a minute.' },
  empty: { vi: 'Cơ quan chưa đăng ký webhook nào.', en: 'The organisation has no webhooks yet.' },
  enabled: { vi: 'Đang bật', en: 'Enabled' },
  disabled: { vi: 'Đang tắt', en: 'Disabled' },
  secrets: { vi: '{count} khóa đang ký', en: '{count} signing secrets in force' },
  col_time: { vi: 'Thời gian', en: 'Time' },
  col_event: { vi: 'Sự kiện', en: 'Event' },
  col_status: { vi: 'Trạng thái', en: 'Status' },
  col_attempts: { vi: 'Số lần thử', en: 'Tries' },
  col_last: { vi: 'Kết quả gần nhất', en: 'Last outcome' },
  status_pending: { vi: 'Đang chờ gửi', en: 'Pending' },
  status_delivered: { vi: 'Đã gửi', en: 'Delivered' },
  status_dead: { vi: 'Thất bại (đã hết số lần thử)', en: 'Failed (no tries left)' },
  'event_document.issued': { vi: 'Ban hành', en: 'Issued' },
  'event_document.sent': { vi: 'Gửi đi', en: 'Sent' },
  'event_document.received': { vi: 'Nhận đến', en: 'Received' },
  'event_document.registered': { vi: 'Vào sổ văn bản đến', en: 'Registered' },
  'event_document.assigned': { vi: 'Giao xử lý', en: 'Assigned' },
  'event_document.completed': { vi: 'Hoàn thành xử lý', en: 'Completed' },
  'event_document.recalled': { vi: 'Thu hồi', en: 'Recalled' },
  adminsOnly: {
    vi: 'Chỉ quản trị viên của cơ quan quản lý webhook.',
    en: "Only the organisation's administrators manage webhooks.",
  },
});

export type WebhookScreenKey = (typeof webhookScreenMessages.codes)[number];

export const webhookScreenTranslator =
  (language: Language) => (key: WebhookScreenKey, params?: Readonly<Record<string, string | number>>) =>
    webhookScreenMessages.render(key, language, params);

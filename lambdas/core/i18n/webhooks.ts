import { DomainError, type ErrorStatus } from '../errors';
import { defineMessages, type MessageParams, type Translation } from './catalogue';

/*
 * The refusals of managing webhooks (use-cases/webhooks.ts): a catalogue of its own, carried only by the
 * webhooks function (lambdas/core/i18n/README.md). Parameters are values: ids, a URL.
 */
const WEBHOOK_TEXTS = {
  webhook_not_found: {
    vi: 'Không tìm thấy webhook {id} của cơ quan.',
    en: "Webhook {id} was not found in the organisation's webhooks.",
  },
  webhook_delivery_not_found: {
    vi: 'Không tìm thấy lần gửi {id} của webhook này.',
    en: 'Delivery {id} of this webhook was not found.',
  },
  webhook_admins_only: {
    vi: 'Chỉ quản trị viên của cơ quan mới quản lý được webhook của cơ quan.',
    en: "Only an administrator of the organisation may manage the organisation's webhooks.",
  },
  webhook_invalid_url: {
    vi: 'Địa chỉ {url} không phải là một URL hợp lệ (không được có tên đăng nhập, mật khẩu hay phần #).',
    en: '{url} is not a valid URL (it may not carry a user name, a password or a # fragment).',
  },
  webhook_https_required: {
    vi: 'Địa chỉ nhận webhook phải dùng https: {url}.',
    en: 'A webhook endpoint must use https: {url}.',
  },
  webhook_private_address: {
    vi: 'Không gửi webhook đến địa chỉ nội bộ (loopback, mạng riêng, link-local): {url}.',
    en: 'Webhooks are not sent to internal addresses (loopback, private networks, link-local): {url}.',
  },
  webhook_too_many: {
    vi: 'Mỗi cơ quan có tối đa {max} webhook; hãy xóa bớt webhook không dùng.',
    en: 'An organisation has at most {max} webhooks; delete the ones no longer used.',
  },
  webhook_disabled: {
    vi: 'Webhook {id} đang tắt; hãy bật lại trước khi gửi lại.',
    en: 'Webhook {id} is disabled; enable it before replaying.',
  },
} as const satisfies Record<string, Translation>;

export const webhookMessages = /* @__PURE__ */ defineMessages(WEBHOOK_TEXTS);
export type WebhookErrorCode = keyof typeof WEBHOOK_TEXTS;

export const webhookError = (
  code: WebhookErrorCode,
  status: ErrorStatus,
  params?: MessageParams<never>,
): DomainError => new DomainError(code, status, params, webhookMessages);

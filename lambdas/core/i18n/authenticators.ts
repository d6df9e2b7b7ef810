import { DomainError, type ErrorStatus } from '../errors';
import { defineMessages, type Localized, type MessageParams, type Translation } from './catalogue';

/*
 * The activation function's texts (docs/SECURITY.md): passkeys and authenticator apps, and the refusals of
 * an authorization of prepared signatures. A catalogue of its own, carried only by the code that
 * authorizes (the `signing` function, near its bundle budget, makes signatures but never authorizes
 * them), as each DomainError made here renders from it (lambdas/core/i18n/README.md).
 */
const AUTHENTICATOR_TEXTS = {
  signature_request_used: {
    vi: 'Yêu cầu ký {id} đã được xác nhận hoặc đã ký rồi.',
    en: 'Signature request {id} was already authorized or signed.',
  },
  signature_request_expired: {
    vi: 'Yêu cầu ký {id} đã hết hạn; hãy bấm ký lại.',
    en: 'Signature request {id} has expired; start the signature again.',
  },
  signature_requests_mixed: {
    vi: 'Một lần xác nhận chỉ dùng cho các chữ ký bằng cùng một khóa (của bạn, hoặc con dấu của cùng một cơ quan).',
    en: 'One authorization covers signatures with one key only (yours, or the seal of one organisation).',
  },
  authorization_challenge_unknown: {
    vi: 'Phiên xác nhận ký không còn hiệu lực (đã dùng hoặc quá 5 phút); hãy bắt đầu lại.',
    en: 'The authorization session is no longer valid (used, or older than 5 minutes); start again.',
  },
  authorization_failed: {
    vi: 'Xác nhận không thành công: {reason}. Chưa có gì được ký.',
    en: 'The authorization failed: {reason}. Nothing was signed.',
  },
  authenticator_missing: {
    vi: 'Bạn chưa đăng ký khóa truy cập (passkey) hoặc ứng dụng tạo mã xác thực; hãy đăng ký ở trang cá nhân trước khi ký.',
    en: 'You have no passkey or authenticator app registered; register one on your profile page before signing.',
  },
  totp_already_enrolled: {
    vi: 'Bạn đã đăng ký một ứng dụng tạo mã xác thực; muốn thay ứng dụng khác thì hãy gỡ ứng dụng hiện tại trước.',
    en: 'You already have an authenticator app enrolled; remove it first to enrol another one.',
  },
  totp_code_invalid: {
    vi: 'Mã xác thực không đúng hoặc đã được dùng; hãy nhập mã mới trong ứng dụng.',
    en: 'The authenticator code is wrong or was already used; enter a new code from the app.',
  },
  // Why an authorization failed ({reason} of `authorization_failed`)
  reason_passkey_rejected: {
    vi: 'khóa truy cập (passkey) không được chấp nhận ({detail})',
    en: 'the passkey was not accepted ({detail})',
  },
  reason_passkey_not_verified: {
    vi: 'không xác minh được khóa truy cập (passkey)',
    en: 'the passkey could not be verified',
  },
  reason_passkey_unknown: {
    vi: 'khóa truy cập (passkey) này chưa được đăng ký cho bạn',
    en: 'this passkey is not registered to you',
  },
  reason_user_verification_missing: {
    vi: 'thiết bị chưa xác minh người dùng (mã PIN, vân tay hoặc khuôn mặt)',
    en: 'the device did not verify the user (PIN, fingerprint or face)',
  },
  // Parameters of the shared messages (`not_found`, `validation_failed`), given as text in both languages
  what_passkey: { vi: 'khóa truy cập (passkey)', en: 'the passkey' },
  invalid_request_ids: {
    vi: 'requestIds: cần từ 1 đến {max} yêu cầu ký, mỗi yêu cầu một lần',
    en: 'requestIds: 1 to {max} signature requests, each once',
  },
} as const satisfies Record<string, Translation>;

export const authenticatorMessages = /* @__PURE__ */ defineMessages(AUTHENTICATOR_TEXTS);
export type AuthenticatorCode = keyof typeof AUTHENTICATOR_TEXTS;

/**
 * A refusal of the authorization, rendered from this catalogue; a parameter that is text for people is
 * given in both languages (`authenticatorText`).
 */
export const authenticatorError = (
  code: AuthenticatorCode,
  status: ErrorStatus,
  params?: MessageParams<never>,
): DomainError => new DomainError(code, status, params, authenticatorMessages);

/** One of these texts as a parameter of a shared message, in both languages. */
export const authenticatorText = (
  code: AuthenticatorCode,
  params?: MessageParams<AuthenticatorCode>,
): Localized => authenticatorMessages.both(code, params);

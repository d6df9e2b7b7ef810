/** Parameters interpolated into a message: `{name}` in the template is replaced by `params.name`. */
export type MessageParams = Readonly<Record<string, string | number>>;

export type Language = 'vi' | 'en';

interface Message {
  readonly vi: string;
  readonly en: string;
}

/**
 * Every message shown to a person, in Vietnamese (the default) and English. Codes are stable and part of
 * the API contract (`error.code`); texts may be improved freely.
 */
export const messages = {
  route_not_found: { vi: 'Không tìm thấy địa chỉ {method} {path}.', en: 'No such route: {method} {path}.' },
  invalid_json: {
    vi: 'Nội dung yêu cầu không phải JSON hợp lệ: {detail}',
    en: 'The request body is not valid JSON: {detail}',
  },
  validation_failed: { vi: 'Dữ liệu không hợp lệ: {detail}', en: 'Invalid input: {detail}' },
  unauthenticated: {
    vi: 'Bạn cần đăng nhập (thiếu mã xác thực hoặc mã đã hết hạn).',
    en: 'You need to sign in (the token is missing, invalid or expired).',
  },
  forbidden: {
    vi: 'Bạn không có quyền thực hiện thao tác này: {reason}',
    en: 'You may not do this: {reason}',
  },
  not_found: { vi: 'Không tìm thấy {what}.', en: '{what} was not found.' },
  internal: {
    vi: 'Đã xảy ra lỗi hệ thống; thao tác chưa được thực hiện. Vui lòng thử lại.',
    en: 'Something went wrong on our side; nothing was changed. Please try again.',
  },
  unknown_user: { vi: 'Không có người dùng {userId}.', en: 'There is no user {userId}.' },
  service_unavailable: {
    vi: 'Dịch vụ {service} chưa sẵn sàng.',
    en: 'The {service} service is not available.',
  },
} as const satisfies Record<string, Message>;

export type MessageCode = keyof typeof messages;

/** Picks the language from an Accept-Language header: English only when asked for before Vietnamese. */
export function negotiateLanguage(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'vi';
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.find((r) => r.trim().startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((r) => r.tag.startsWith('vi') || r.tag.startsWith('en'))
    .sort((a, b) => b.q - a.q);
  return ranked[0]?.tag.startsWith('en') ? 'en' : 'vi';
}

export function renderMessage(code: MessageCode, language: Language, params: MessageParams = {}): string {
  const template: string = messages[code][language];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  );
}

import { DomainError, type ErrorStatus } from '../errors';
import { defineMessages, type MessageParams, type Translation } from './catalogue';

/*
 * The refusal of documents containing state secrets, asked at drafting (issue #17). A catalogue of its own
 * (lambdas/core/i18n/README.md), carried only by the function that starts drafts: `signing` is near its
 * 1 MiB budget.
 */
const CLASSIFICATION_TEXTS = {
  document_secret_refused: {
    vi: 'Không tiếp nhận văn bản có nội dung bí mật nhà nước (độ mật: {level}). Theo Luật Bảo vệ bí mật nhà nước 2018 và Nghị định 30/2020/NĐ-CP, văn bản mật chỉ được soạn thảo, chuyển giao và lưu giữ trên hệ thống được phép xử lý bí mật nhà nước, không qua hệ thống này. Không có nội dung nào của văn bản được lưu lại.',
    en: 'Documents containing state secrets (classification: {level}) are not accepted. Under the 2018 Law on the Protection of State Secrets and Decree 30/2020, a classified document is drafted, transmitted and kept only on systems approved for state secrets, not in this one. Nothing of the document was stored.',
  },
  classification_secret: { vi: 'Mật', en: 'Secret' },
  classification_top_secret: { vi: 'Tối mật', en: 'Top secret' },
  classification_most_secret: { vi: 'Tuyệt mật', en: 'Most secret' },
} as const satisfies Record<string, Translation>;

export const classificationMessages = /* @__PURE__ */ defineMessages(CLASSIFICATION_TEXTS);
export type ClassificationCode = keyof typeof CLASSIFICATION_TEXTS;

export const classificationText = (code: ClassificationCode, params?: MessageParams<never>) =>
  classificationMessages.both(code, params);

export const classificationError = (
  code: ClassificationCode,
  status: ErrorStatus,
  params?: MessageParams<never>,
): DomainError => new DomainError(code, status, params, classificationMessages);

import { DomainError, type ErrorStatus } from '../errors';
import { defineMessages, type MessageParams, type Translation } from './catalogue';

/*
 * Texts of a document's files besides its PDF: attachments, Word drafts and their conversion, the
 * classification asked at drafting, and archiving with archive timestamps (PAdES B-LTA). A catalogue of its
 * own (lambdas/core/i18n/README.md), carried by the functions that handle these files.
 */
const DOCUMENT_FILES_TEXTS = {
  word_conversion_failed: {
    vi: 'Không chuyển được tệp Word sang PDF: {detail}. Hãy mở tệp trong Word hoặc LibreOffice, lưu lại ở dạng .docx rồi tải lên lại, hoặc tải lên bản PDF.',
    en: 'The Word file could not be converted to PDF: {detail}. Open it in Word or LibreOffice, save it again as .docx and upload it again, or upload a PDF.',
  },
  word_not_word: {
    vi: 'Tệp tải lên không phải tệp {format} hợp lệ (không đọc được cấu trúc tệp).',
    en: 'The uploaded file is not a valid {format} file (its structure cannot be read).',
  },
  word_converter_unavailable: {
    vi: 'Dịch vụ chuyển Word sang PDF tạm thời không hoạt động; bản nháp chưa thay đổi. Hãy thử lại sau ít phút hoặc tải lên bản PDF.',
    en: 'The Word-to-PDF service is unavailable for now; the draft is unchanged. Try again in a few minutes, or upload a PDF.',
  },
} as const satisfies Record<string, Translation>;

export const documentFilesMessages = /* @__PURE__ */ defineMessages(DOCUMENT_FILES_TEXTS);
export type DocumentFilesCode = keyof typeof DOCUMENT_FILES_TEXTS;

export const documentFilesText = (code: DocumentFilesCode, params?: MessageParams<never>) =>
  documentFilesMessages.both(code, params);

/** A refusal about attachments, Word drafts, classification or archiving. */
export const documentFilesError = (
  code: DocumentFilesCode,
  status: ErrorStatus,
  params?: MessageParams<never>,
): DomainError => new DomainError(code, status, params, documentFilesMessages);

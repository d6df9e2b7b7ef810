import { DomainError, type ErrorStatus } from '../errors';
import { defineMessages, type MessageParams, type Translation } from './catalogue';

/*
 * The national document exchange (edXML, QCVN 102:2016/BTTTT): why a package or a status message is
 * refused, and the statuses people see for an external recipient. A catalogue of its own, carried only by
 * the functions that exchange (lambdas/core/i18n/README.md).
 */
const EXCHANGE_TEXTS = {
  exchange_not_xml: {
    vi: 'Gói tin không phải XML hợp lệ: {detail}',
    en: 'The package is not well-formed XML: {detail}',
  },
  exchange_not_edxml: {
    vi: 'Gói tin không phải edXML: phần tử gốc phải là edXML (hoặc edXMLEnvelope) thuộc không gian tên {namespace}.',
    en: 'The package is not edXML: its root must be edXML (or edXMLEnvelope) in the namespace {namespace}.',
  },
  exchange_schema_invalid: {
    vi: 'Gói tin không đúng lược đồ edXML (QCVN 102:2016/BTTTT): {detail}',
    en: 'The package does not follow the edXML schema (QCVN 102:2016/BTTTT): {detail}',
  },
  exchange_header_invalid: {
    vi: 'Thông tin văn bản trong gói tin không hợp lệ: {detail}',
    en: "The package's document details are not valid: {detail}",
  },
  exchange_bad_base64: {
    vi: 'Tệp đính kèm {contentId} không được mã hóa base64 đúng cách.',
    en: 'Attachment {contentId} is not correctly base64-encoded.',
  },
  exchange_attachment_missing: {
    vi: 'Gói tin liệt kê tệp {contentId} nhưng không chứa nội dung của tệp đó.',
    en: 'The package lists file {contentId} but does not contain it.',
  },
  exchange_attachment_unlisted: {
    vi: 'Gói tin chứa tệp {contentId} không có trong danh mục tệp (edXMLManifest).',
    en: 'The package contains file {contentId}, which its manifest (edXMLManifest) does not list.',
  },
  exchange_attachment_duplicate: {
    vi: 'Tệp {contentId} xuất hiện hai lần trong gói tin.',
    en: 'File {contentId} appears twice in the package.',
  },
  exchange_too_large: {
    vi: 'Gói tin vượt quá {limit} byte.',
    en: 'The package is larger than {limit} bytes.',
  },
  exchange_not_status: {
    vi: 'Gói tin không phải thông điệp trạng thái (thiếu phần tử StatusCode).',
    en: 'The package is not a status message (it has no StatusCode element).',
  },
  exchange_not_document: {
    vi: 'Gói tin không phải văn bản (thiếu phần tử MessageHeader hoặc là thông điệp trạng thái).',
    en: 'The package is not a document (it has no MessageHeader element, or it is a status message).',
  },
  exchange_unknown_recipient: {
    vi: 'Không có cơ quan nào trong hệ thống mang mã định danh {code}.',
    en: 'No organisation here has the agency code {code}.',
  },
  exchange_clerk_only: {
    vi: 'Chỉ văn thư của {orgName} được gửi văn bản này qua Trục liên thông văn bản quốc gia.',
    en: 'Only a clerk of {orgName} may send this document through the national document exchange.',
  },
  exchange_not_issued: {
    vi: 'Văn bản chưa được ban hành nên chưa gửi ra ngoài được.',
    en: 'The document has not been issued, so it cannot be sent outside yet.',
  },
  exchange_internal_recipient: {
    vi: 'Mã định danh {code} là của {orgName} trong thành phố: hãy gửi trong hệ thống.',
    en: 'Agency code {code} belongs to {orgName}, inside the city: send it within docflow.',
  },
  exchange_unavailable: {
    vi: 'Chưa kết nối được Trục liên thông văn bản quốc gia; văn bản đã được ghi nhận và sẽ được gửi lại tự động.',
    en: 'The national document exchange could not be reached; the sending is recorded and will be retried automatically.',
  },
  exchange_signatures_invalid: {
    vi: 'Chữ ký số trên văn bản không hợp lệ hoặc không chứng thực được.',
    en: 'The signatures on the document are not valid or cannot be verified.',
  },
  exchange_attachment_signatures_invalid: {
    vi: 'Chữ ký số trên tệp đính kèm {name} không hợp lệ hoặc không chứng thực được.',
    en: 'The signatures on the attached file {name} are not valid or cannot be verified.',
  },
  exchange_received_clerk_only: {
    vi: 'Chỉ văn thư hoặc lãnh đạo của {orgName} được xử lý văn bản đến từ Trục liên thông.',
    en: 'Only a clerk or the head of {orgName} may act on documents that came in through the exchange.',
  },
  exchange_received_state_recalled: { vi: 'Đã thu hồi', en: 'Recalled' },
  exchange_status_pending: { vi: 'Chờ gửi', en: 'Waiting to be sent' },
  exchange_status_sent: { vi: 'Đã gửi lên Trục', en: 'Handed to the exchange' },
  exchange_status_arrived: { vi: 'Đã đến', en: 'Arrived' },
  exchange_status_refused: { vi: 'Từ chối', en: 'Refused' },
  exchange_status_accepted: { vi: 'Đã tiếp nhận', en: 'Accepted' },
  exchange_status_assigned: { vi: 'Phân công', en: 'Assigned' },
  exchange_status_in_progress: { vi: 'Đang xử lý', en: 'In progress' },
  exchange_status_done: { vi: 'Hoàn thành', en: 'Done' },
  exchange_status_recall_requested: { vi: 'Đề nghị thu hồi', en: 'Recall requested' },
  exchange_status_recall_accepted: { vi: 'Đồng ý thu hồi', en: 'Recall accepted' },
  exchange_status_recall_refused: { vi: 'Từ chối thu hồi', en: 'Recall refused' },
} as const satisfies Record<string, Translation>;

export const exchangeMessages = /* @__PURE__ */ defineMessages(EXCHANGE_TEXTS);
export type ExchangeCode = keyof typeof EXCHANGE_TEXTS;

/** A refusal of a package or status message; its parameters are values (codes, ids, parser details). */
export const exchangeError = (
  code: ExchangeCode,
  status: ErrorStatus,
  params?: MessageParams<never>,
): DomainError => new DomainError(code, status, params, exchangeMessages);

/** The name people see for an exchange status (`in-progress` → `exchange_status_in_progress`). */
export const exchangeStatusCode = (
  status:
    | 'pending'
    | 'sent'
    | 'arrived'
    | 'refused'
    | 'accepted'
    | 'assigned'
    | 'in-progress'
    | 'done'
    | 'recall-requested'
    | 'recall-accepted'
    | 'recall-refused',
): ExchangeCode => `exchange_status_${status.replaceAll('-', '_')}` as ExchangeCode;

import {
  defineMessages,
  type Localized,
  list,
  type MessageParam,
  type MessageParams,
  type Translation,
  text,
} from './catalogue';
import { PROBLEM_TEXTS } from './problems';

/*
 * Texts of the audit reports, which keep both languages side by side (a document audit's and an evidence
 * package's problems and summary): evidence read by either audience. Problem codes (`revision-altered`, …)
 * are the reports' own; these are the texts that go with them. A catalogue of its own, with the verifier's
 * problems it quotes, so that only the functions that audit carry it.
 */
const AUDIT_TEXTS = {
  // --- A document's audit (lambdas/core/audit/checks.ts, audit-document.ts) ----------------------------------
  audit_join: { vi: '{a}; {b}', en: '{a}; {b}' },
  audit_log_broken: {
    vi: 'Nhật ký luân chuyển không toàn vẹn tại sự kiện {seq} ({problem}): {message}.',
    en: 'The circulation log is not intact at event {seq} ({problem}): {message}.',
  },
  audit_revision: { vi: 'Phiên bản {index} ({role})', en: 'Revision {index} ({role})' },
  audit_role_draft: { vi: 'dự thảo', en: 'draft' },
  audit_role_signed: { vi: 'đã ký', en: 'signed' },
  audit_role_issued: { vi: 'ban hành (số, dấu)', en: 'issued' },
  audit_role_archived: {
    vi: 'lưu trữ (dấu thời gian lưu trữ)',
    en: 'archived (archive timestamp)',
  },
  audit_role_other: { vi: 'khác', en: 'other' },
  audit_revision_missing: {
    vi: '{revision}, SHA-256 {sha}, được các sự kiện {seqs} nêu tên nhưng không tìm thấy tệp.',
    en: '{revision}, SHA-256 {sha}, named by events {seqs}, is missing.',
  },
  audit_revision_altered: {
    vi: '{revision} đã bị thay đổi sau khi lưu: tệp có SHA-256 {actual}, nhật ký ghi {sha} (sự kiện {seqs}).',
    en: '{revision} was changed after it was stored: the file hashes to {actual}, the log records {sha} (events {seqs}).',
  },
  audit_revision_unreadable: {
    vi: '{revision} không đọc được như một tệp PDF ({why}).',
    en: '{revision} cannot be read as a PDF ({why}).',
  },
  audit_signature_modified: {
    vi: '{revision}: chữ ký {index} ({signer}) hợp lệ nhưng tài liệu bị sửa sau khi ký: {why}.',
    en: '{revision}: signature {index} ({signer}) is valid but the document was modified after signing: {why}.',
  },
  audit_signature_invalid: {
    vi: '{revision}: chữ ký {index} ({signer}) KHÔNG hợp lệ: {why}.',
    en: '{revision}: signature {index} ({signer}) is NOT valid: {why}.',
  },
  audit_why_modified: { vi: 'tài liệu bị sửa sau khi ký', en: 'modified after signing' },
  audit_why_invalid: { vi: 'chữ ký không hợp lệ', en: 'invalid' },
  audit_revision_unsigned: {
    vi: '{revision} không có chữ ký số, trong khi nhật ký ghi nhận việc ký.',
    en: '{revision} carries no signature, though the log records a signing.',
  },
  audit_revision_not_incremental: {
    vi: '{revision} không nối tiếp phiên bản {previous}: nội dung trước khi ký đã bị viết lại.',
    en: '{revision} does not extend revision {previous}: the content before it was signed was rewritten.',
  },
  audit_current_mismatch: {
    vi: 'Phiên bản hiện hành ({current}) không phải phiên bản cuối cùng nhật ký ghi nhận ({last}).',
    en: 'The current version ({current}) is not the last one the log records ({last}).',
  },
  audit_signature_count_mismatch: {
    vi: 'Nhật ký ghi nhận {events} lần ký, phiên bản cuối có {signatures} chữ ký.',
    en: 'The log records {events} signings, the last revision carries {signatures} signatures.',
  },
  audit_tree_head_malformed: {
    vi: 'Bản ghi đầu cây (tree head) không đúng định dạng.',
    en: 'The signed tree head is malformed.',
  },
  audit_tree_head_invalid: {
    vi: 'Đầu cây ký số không hợp lệ: {problem}.',
    en: 'Signed tree head: {problem}.',
  },
  audit_transparency_missing: {
    vi: 'Sự kiện {seq} không có trong nhật ký minh bạch toàn hệ thống.',
    en: 'Event {seq} is not in the system-wide transparency log.',
  },
  audit_transparency_mismatch: {
    vi: 'Sự kiện {seq} có mã băm {hash}, nhưng nhật ký minh bạch đã ghi {recorded} (lá {leaf}): sự kiện đã bị sửa sau khi ghi.',
    en: 'Event {seq} hashes to {hash}, but the transparency log recorded {recorded} at leaf {leaf}: the event was changed after it was written.',
  },
  audit_proof_invalid: {
    vi: 'Bằng chứng có mặt của sự kiện {seq} trong nhật ký minh bạch không hợp lệ: {problems}.',
    en: 'The inclusion proof of event {seq} does not hold: {problems}.',
  },
  audit_proof_head_unverified: {
    vi: 'bản ghi đầu cây của bằng chứng không hợp lệ',
    en: 'its tree head does not verify',
  },
  audit_proof_other_head: {
    vi: 'bằng chứng của sự kiện {seq} dành cho một bản ghi đầu cây khác',
    en: 'the proof of event {seq} is for another tree head',
  },
  audit_proof_other_event: {
    vi: 'bằng chứng nói về một sự kiện khác (mã băm {hash})',
    en: 'it is about another event (hash {hash})',
  },
  audit_proof_path: {
    vi: 'đường đi từ lá {leaf} không dẫn tới gốc đã ký của cây cỡ {size}',
    en: 'the path from leaf {leaf} does not lead to the signed root of the tree of {size}',
  },
  audit_summary_valid: {
    vi: 'Văn bản {documentId}: HỢP LỆ. Nhật ký {events} sự kiện toàn vẹn; {revisions} phiên bản tệp; mọi chữ ký hợp lệ.',
    en: 'Document {documentId}: VALID. Log of {events} events intact; {revisions} file revisions; every signature valid.',
  },
  audit_summary_invalid: {
    vi: 'Văn bản {documentId}: KHÔNG HỢP LỆ ({problems} vấn đề).',
    en: 'Document {documentId}: NOT VALID ({problems} problems).',
  },
  audit_summary_chain: { vi: 'Nhật ký luân chuyển: {state}.', en: 'Circulation log: {state}.' },
  audit_summary_share: {
    vi: 'Chỉ kiểm tra phần nhật ký {orgId} được xem ({events} sự kiện): mỗi sự kiện khớp mã băm của mình và có trong nhật ký minh bạch toàn hệ thống; phần còn lại của nhật ký thuộc các cơ quan khác.',
    en: "Only {orgId}'s share of the log is checked ({events} events): each event matches its hash and is in the system-wide transparency log; the rest of the log belongs to other organisations.",
  },
  audit_log_broken_elsewhere: {
    vi: 'Nhật ký luân chuyển không toàn vẹn ở phần không thuộc quyền xem của bạn; kiểm soát viên xem được chỗ sai.',
    en: 'The circulation log is not intact in a part you do not see; an auditor can see where.',
  },
  audit_chain_intact: { vi: 'toàn vẹn', en: 'intact' },
  audit_chain_altered: { vi: 'BỊ THAY ĐỔI', en: 'ALTERED' },
  audit_summary_revision: {
    vi: 'Phiên bản {index} ({role}, {sha}): {file}',
    en: 'Revision {index} ({role}, {sha}): {file}',
  },
  audit_summary_revision_within: {
    vi: 'Phiên bản {index} ({role}, {sha}): {file}; chữ ký được kiểm tra trong phiên bản {within}',
    en: 'Revision {index} ({role}, {sha}): {file}; its signatures verified within revision {within}',
  },
  audit_file_ok: { vi: 'tệp nguyên vẹn', en: 'file intact' },
  audit_attachment_missing: {
    vi: 'Phụ lục {id} ({title}), SHA-256 {sha}, đã được đóng dấu khi ban hành nhưng không tìm thấy tệp.',
    en: 'Attachment {id} ({title}), SHA-256 {sha}, was sealed at issue but its file is missing.',
  },
  audit_attachment_altered: {
    vi: 'Phụ lục {id} ({title}): tệp không còn là tệp đã đóng dấu (SHA-256 {sha}).',
    en: 'Attachment {id} ({title}): the file is no longer the one sealed (SHA-256 {sha}).',
  },
  audit_attachment_invalid: {
    vi: 'Phụ lục {id} ({title}): chữ ký số của cơ quan không hợp lệ: {problems}.',
    en: "Attachment {id} ({title}): the organisation's seal is not valid: {problems}.",
  },
  audit_summary_replaces: {
    vi: 'Văn bản này thay thế văn bản số {symbol} (mã {documentId}).',
    en: 'This document replaces document {symbol} (id {documentId}).',
  },
  audit_summary_corrects: {
    vi: 'Văn bản này đính chính văn bản số {symbol} (mã {documentId}).',
    en: 'This document corrects document {symbol} (id {documentId}).',
  },
  audit_summary_replaced_by: {
    vi: 'Đã bị thay thế bởi văn bản số {symbol} (mã {documentId}).',
    en: 'Replaced by document {symbol} (id {documentId}).',
  },
  audit_summary_corrected_by: {
    vi: 'Đã được đính chính bởi văn bản số {symbol} (mã {documentId}).',
    en: 'Corrected by document {symbol} (id {documentId}).',
  },
  audit_summary_attachment: {
    vi: 'Phụ lục {id} ({title}), SHA-256 {sha}: {result}',
    en: 'Attachment {id} ({title}), SHA-256 {sha}: {result}',
  },
  audit_attachment_valid: { vi: 'chữ ký số của cơ quan hợp lệ', en: "the organisation's seal is valid" },
  audit_attachment_not_valid: { vi: 'KHÔNG HỢP LỆ', en: 'NOT VALID' },
  audit_file_missing: { vi: 'THIẾU TỆP', en: 'FILE MISSING' },
  audit_file_altered: { vi: 'TỆP BỊ THAY ĐỔI', en: 'FILE ALTERED' },
  audit_file_unreadable: { vi: 'không đọc được', en: 'unreadable' },
  audit_authorization_malformed: {
    vi: 'Sự kiện {seq}: bản ghi xác nhận ký không đúng định dạng.',
    en: 'Event {seq}: the signing authorization is malformed.',
  },
  audit_authorization_invalid: {
    vi: 'Sự kiện {seq}: xác nhận ký của {holder} không hợp lệ ({problems}).',
    en: 'Event {seq}: the signing authorization of {holder} is not valid ({problems}).',
  },
  audit_authorization_not_in_file: {
    vi: 'Sự kiện {seq}: không có chữ ký nào trong tệp được tạo trên giá trị băm đã xác nhận {digest}.',
    en: 'Event {seq}: no signature in the file was made over the authorized digest {digest}.',
  },
  // --- An evidence package's check (lambdas/core/audit/evidence-check.ts) -------------------------------------
  evidence_summary_valid: {
    vi: 'Gói chứng cứ của văn bản {documentId}: HỢP LỆ ({files} tệp).',
    en: 'Evidence package of document {documentId}: VALID ({files} files).',
  },
  evidence_summary_invalid: {
    vi: 'Gói chứng cứ của văn bản {documentId}: KHÔNG HỢP LỆ ({problems} vấn đề).',
    en: 'Evidence package of document {documentId}: NOT VALID ({problems} problems).',
  },
  evidence_summary_unreadable: {
    vi: 'Gói chứng cứ: KHÔNG HỢP LỆ ({problems} vấn đề).',
    en: 'Evidence package: NOT VALID ({problems} problems).',
  },
  evidence_package_unreadable: {
    vi: 'Tệp không phải gói ZIP đọc được: {detail}.',
    en: 'Not a readable ZIP: {detail}.',
  },
  evidence_manifest_missing: {
    vi: 'Gói không có manifest.json hợp lệ.',
    en: 'The package has no valid manifest.json.',
  },
  evidence_manifest_unsigned: { vi: 'manifest.json không có chữ ký.', en: 'manifest.json is not signed.' },
  evidence_manifest_signature_invalid: {
    vi: 'Chữ ký của manifest.json không khớp: manifest đã bị sửa.',
    en: 'The signature of manifest.json does not match: the manifest was edited.',
  },
  evidence_manifest_signer_untrusted: {
    vi: 'Người ký manifest: {problem}.',
    en: 'Manifest signer: {problem}.',
  },
  evidence_manifest_signature_unreadable: {
    vi: 'Chữ ký manifest không đọc được: {detail}.',
    en: 'The manifest signature cannot be read: {detail}.',
  },
  evidence_file_missing: { vi: 'Thiếu tệp {path}.', en: 'File {path} is missing.' },
  evidence_file_hash_mismatch: {
    vi: 'Tệp {path} đã bị thay đổi: SHA-256 là {actual}…, manifest ghi {expected}….',
    en: 'File {path} was changed: it hashes to {actual}…, the manifest says {expected}….',
  },
  evidence_file_unlisted: {
    vi: 'Tệp {path} không có trong manifest.',
    en: 'File {path} is not in the manifest.',
  },
  evidence_log_unreadable: { vi: 'Không đọc được log/events.json.', en: 'log/events.json cannot be read.' },
  evidence_log_head_missing: {
    vi: 'Gói không có đầu chuỗi nhật ký (log/head.json).',
    en: 'log/head.json (the chain head) is missing.',
  },
  evidence_log_head_mismatch: {
    vi: 'Đầu chuỗi trong log/head.json khác với manifest.',
    en: 'The chain head in log/head.json differs from the manifest.',
  },
  evidence_proofs_unreadable: {
    vi: 'Không đọc được bằng chứng của nhật ký minh bạch.',
    en: 'The transparency proofs cannot be read.',
  },
  evidence_revision_unnamed: {
    vi: 'Phiên bản {index} ({sha}…) không được sự kiện nào trong nhật ký nêu tên.',
    en: 'Revision {index} ({sha}…) is named by no event of the log.',
  },
  evidence_current_not_last: {
    vi: 'Phiên bản cuối cùng trong gói không phải phiên bản hiện hành.',
    en: 'The last revision in the package is not the current one.',
  },
} as const satisfies Record<string, Translation>;

/**
 * Why the audit routes refuse a request: parameters of the shared messages (`forbidden`, `not_found`,
 * `validation_failed`, `pdf_damaged`), given in both languages so that only the functions that audit (and
 * the CLI) carry them.
 */
const AUDIT_REFUSAL_TEXTS = {
  reason_auditors_search: {
    vi: 'chỉ kiểm soát viên mới được tra cứu văn bản của mọi cơ quan',
    en: "only auditors may search every organisation's documents",
  },
  what_transparency_event: {
    vi: 'sự kiện {seq} trong nhật ký minh bạch',
    en: 'event {seq} in the transparency log',
  },
  what_tree_head: {
    vi: 'bản ghi đầu cây ký số của cây cỡ {size}',
    en: 'the signed tree head of the tree of size {size}',
  },
  invalid_period_reversed: {
    vi: 'ngày bắt đầu {from} sau ngày kết thúc {to}',
    en: 'the start {from} comes after the end {to}',
  },
  invalid_period_too_long: {
    vi: 'mỗi lần chỉ tra cứu được tối đa {years} năm',
    en: 'at most {years} years at a time',
  },
  invalid_tree_sizes_reversed: {
    vi: 'cây thứ nhất ({from} lá) lớn hơn cây thứ hai ({to} lá)',
    en: 'the first tree ({from} leaves) is larger than the second ({to} leaves)',
  },
  detail_pdf_validation_data_unreadable: {
    vi: 'không đọc được dữ liệu kiểm tra chữ ký (DSS) trong tệp ({detail})',
    en: 'its validation data cannot be read ({detail})',
  },
} as const satisfies Record<string, Translation>;

export const auditRefusals = /* @__PURE__ */ defineMessages(AUDIT_REFUSAL_TEXTS);
export type AuditRefusalCode = keyof typeof AUDIT_REFUSAL_TEXTS;
/** One of these texts as a parameter of a shared message, in both languages. */
export const auditRefusal = (code: AuditRefusalCode, params?: MessageParams<AuditRefusalCode>): Localized =>
  auditRefusals.both(code, params);

// Wrapped so that a bundle which only imports this module's neighbours (schemas) drops the texts.
export const reports = /* @__PURE__ */ (() => defineMessages({ ...AUDIT_TEXTS, ...PROBLEM_TEXTS }))();
export type ReportCode = (typeof reports.codes)[number];
export type ReportParam = MessageParam<ReportCode>;
export type ReportParams = MessageParams<ReportCode>;

export const reportText = (code: ReportCode, params?: ReportParams): ReportParam => text(code, params);
/** Several parameters joined with "; ". */
export const reportList = (items: readonly ReportParam[]): ReportParam =>
  list<ReportCode>('audit_join', items);

import {
  defineMessages,
  type Language,
  type Localized,
  type MessageParam,
  machineForms,
  type Translation,
} from './catalogue';

/*
 * What the verifier and the log check report, as messages. Their reports keep these problems in English,
 * exactly as the `en` templates below spell them (the stable form for machines: evidence packages, the
 * CLI's JSON, stored audits); the texts follow lambdas/core/pki/trust.ts, lambdas/core/cms/verify.ts,
 * lambdas/core/pdf/verify.ts, lambdas/core/transparency/tree-head.ts, lambdas/core/log/chain.ts and
 * lambdas/core/signing/assertion.ts, and a
 * test holds them to what those modules really produce. `problemText` reads a problem back into its message
 * and renders it in the reader's language; a problem it does not know is shown as it is.
 */
export const PROBLEM_TEXTS = {
  // Certificate path (pki/trust.ts)
  problem_self_signed_not_anchor: {
    vi: 'chứng thư tự ký “{name}” không phải gốc tin cậy',
    en: 'self-signed certificate "{name}" is not a trust anchor',
  },
  problem_no_issuer: { vi: 'không tìm thấy nơi cấp chứng thư “{name}”', en: 'no issuer found for "{name}"' },
  problem_chain_too_long: { vi: 'chuỗi chứng thư quá dài', en: 'certificate chain too long' },
  problem_no_trust_anchor: {
    vi: 'chuỗi chứng thư không dẫn tới gốc tin cậy',
    en: 'chain does not reach a trust anchor',
  },
  problem_not_valid_at: {
    vi: 'chứng thư “{name}” không có hiệu lực tại thời điểm {time}',
    en: '"{name}" is not valid at {time}',
  },
  problem_not_a_ca: { vi: '“{name}” không phải tổ chức cấp chứng thư', en: '"{name}" is not a CA' },
  problem_may_not_sign_certificates: {
    vi: '“{name}” không được phép ký chứng thư',
    en: '"{name}" may not sign certificates',
  },
  problem_path_length_exceeded: {
    vi: 'vượt giới hạn độ dài chuỗi của “{name}”',
    en: 'path length constraint of "{name}" exceeded',
  },
  problem_no_crl: { vi: 'không có danh sách thu hồi (CRL) cho “{name}”', en: 'no CRL for "{name}"' },
  problem_revoked: {
    vi: 'chứng thư “{name}” đã bị thu hồi lúc {time} ({reason})',
    en: '"{name}" was revoked at {time} ({reason})',
  },
  // CMS (cms/verify.ts)
  problem_signer_certificate_missing: {
    vi: 'chữ ký không kèm chứng thư của người ký',
    en: 'the signer certificate is not in the CMS',
  },
  problem_unsupported_digest_algorithm: {
    vi: 'thuật toán băm không được hỗ trợ: {algorithm}',
    en: 'unsupported digest algorithm {algorithm}',
  },
  problem_no_signed_attributes: { vi: 'chữ ký không có thuộc tính được ký', en: 'no signed attributes' },
  problem_digest_mismatch: {
    vi: 'giá trị băm không khớp với nội dung đã ký',
    en: 'the message digest does not match the signed content',
  },
  problem_signature_value_invalid: {
    vi: 'giá trị chữ ký không khớp với chứng thư của người ký',
    en: 'the signature value does not verify with the signer certificate',
  },
  problem_signing_certificate_v2_mismatch: {
    vi: 'thuộc tính signing-certificate-v2 không chỉ đúng chứng thư của người ký',
    en: 'signing-certificate-v2 does not name the signer certificate',
  },
  problem_timestamp_not_covering: {
    vi: 'dấu thời gian không gắn với chữ ký này',
    en: 'the timestamp does not cover this signature',
  },
  problem_timestamp_unsupported_digest: {
    vi: 'dấu thời gian dùng thuật toán băm không được hỗ trợ',
    en: 'unsupported digest in the timestamp token',
  },
  problem_timestamp_not_tsa: {
    vi: 'dấu thời gian không được ký bằng chứng thư cấp dấu thời gian',
    en: 'the timestamp was not signed by a time-stamping certificate',
  },
  // PDF (pdf/verify.ts)
  problem_byte_range_malformed: {
    vi: 'vùng dữ liệu được ký (ByteRange) không hợp lệ',
    en: 'the byte range is malformed',
  },
  problem_byte_range_gap: {
    vi: 'vùng dữ liệu được ký bỏ sót phần ngoài giá trị chữ ký',
    en: 'the byte range leaves more than the signature value unsigned',
  },
  problem_byte_range_not_revision_end: {
    vi: 'vùng dữ liệu được ký không kết thúc ở cuối một phiên bản của tệp',
    en: 'the byte range does not end at the end of a revision',
  },
  problem_signature_unreadable: {
    vi: 'không đọc được giá trị chữ ký: {detail}',
    en: 'the signature value cannot be read: {detail}',
  },
  problem_signing_time_attribute: {
    vi: 'chuẩn PAdES không cho phép thuộc tính signing-time trong CMS (chỉ để thông tin)',
    en: 'PAdES baseline forbids a CMS signing-time attribute (informational)',
  },
  problem_no_tsa_certificate: {
    vi: 'không có chứng thư của đơn vị cấp dấu thời gian',
    en: 'no TSA certificate',
  },
  problem_not_document_signing: {
    vi: 'chứng thư của người ký không dùng để ký văn bản',
    en: 'the signer certificate is not meant for document signing',
  },
  problem_archive_lapsed: {
    vi: 'bằng chứng lưu trữ đã hết giá trị lúc {until}, trước thời điểm {time}',
    en: 'the archive evidence lapsed at {until}, before {time}',
  },
  problem_archive_timestamp_not_holding: {
    vi: 'dấu thời gian lưu trữ {index} không còn giá trị',
    en: 'archive timestamp {index} does not hold',
  },
  // Signed tree heads of the transparency log (transparency/tree-head.ts)
  problem_tree_head_signature: {
    vi: 'chữ ký của bản ghi đầu cây cỡ {size} không khớp (bản ghi đã bị sửa hoặc được ký bằng khóa khác)',
    en: 'tree head of size {size}: the signature does not match (the head was altered or signed by another key)',
  },
  problem_tree_head_certificate: {
    vi: 'chứng thư ký bản ghi đầu cây: {problem}',
    en: 'tree head signing certificate: {problem}',
  },
  problem_tree_head_unreadable_certificate: {
    vi: 'không đọc được chứng thư của bản ghi đầu cây ({detail})',
    en: 'tree head: unreadable certificate ({detail})',
  },
  // A signer's authorization, checked offline (signing/assertion.ts)
  problem_authorization_digest_not_named: {
    vi: 'bản xác nhận không nêu giá trị băm mà khóa đã ký',
    en: 'the authorization does not name the digest the key signed',
  },
  problem_assertion_not_authentication: {
    vi: 'phản hồi của khóa truy cập không phải một lần xác thực',
    en: 'the assertion is not an authentication',
  },
  problem_assertion_other_challenge: {
    vi: 'phản hồi của khóa truy cập trả lời một yêu cầu xác nhận khác',
    en: 'the assertion answers another challenge',
  },
  problem_assertion_user_not_verified: {
    vi: 'thiết bị xác thực không xác minh người dùng',
    en: 'the authenticator did not verify the user',
  },
  problem_assertion_signature_invalid: {
    vi: 'chữ ký trong phản hồi không khớp với khóa truy cập đã đăng ký',
    en: 'the assertion signature does not verify with the registered passkey',
  },
  problem_assertion_unreadable: {
    vi: 'không đọc được phản hồi của khóa truy cập: {detail}',
    en: 'the assertion cannot be read: {detail}',
  },
  // The hash chain of a document's log (log/chain.ts)
  chain_malformed: {
    vi: 'sự kiện thứ {n} không phải sự kiện luân chuyển hợp lệ',
    en: 'event #{n} is not a valid circulation event',
  },
  chain_foreign_document: {
    vi: 'sự kiện {seq} thuộc văn bản {documentId}',
    en: 'event {seq} belongs to document {documentId}',
  },
  chain_duplicate_seq: { vi: 'số thứ tự {seq} xuất hiện hai lần', en: 'seq {seq} appears twice' },
  chain_reordered_after: {
    vi: 'sự kiện số {seq} đứng sau sự kiện số {previous}',
    en: 'seq {seq} comes after seq {previous}',
  },
  chain_reordered_where: {
    vi: 'sự kiện số {seq} đứng ở chỗ của sự kiện số {expected}',
    en: 'seq {seq} comes where seq {expected} belongs',
  },
  chain_gap: { vi: 'thiếu sự kiện số {seqs}', en: 'seq {seqs} missing' },
  chain_hash_mismatch: {
    vi: 'sự kiện {seq} không khớp với mã băm của nó (đã bị sửa sau khi ghi)',
    en: 'event {seq} does not match its hash (edited after it was written)',
  },
  chain_bad_start: {
    vi: 'sự kiện đầu tiên phải nối với 64 chữ số 0',
    en: 'the first event must link to 64 zeros',
  },
  chain_broken_link: {
    vi: 'sự kiện {seq} không nối với sự kiện {previous}',
    en: 'event {seq} does not link to event {previous}',
  },
  chain_head_mismatch: {
    vi: 'nhật ký kết thúc ở sự kiện số {seq}, nhưng cần kết thúc ở sự kiện số {expected} với mã băm {hash}…',
    en: 'the log ends at seq {seq}, but seq {expected} with hash {hash}… is expected',
  },
} as const satisfies Record<string, Translation>;

export const problems = /* @__PURE__ */ defineMessages(PROBLEM_TEXTS);
export type ProblemCode = (typeof problems.codes)[number];

const read = /* @__PURE__ */ (() => machineForms(problems, problems.codes))();

/** A problem in its English machine form as a message parameter: its message when known, else as it is. */
export const problemRef = (problem: string): MessageParam<ProblemCode> => read(problem) ?? problem;

/** The problem in the reader's language (English: exactly as the verifier reported it). */
export const problemText = (problem: string, language: Language): string =>
  problems.renderParam(problemRef(problem), language);

/** The problem in both languages, as a parameter of a message of another catalogue. */
export const problemPair = (problem: string): Localized => ({
  vi: problemText(problem, 'vi'),
  en: problemText(problem, 'en'),
});

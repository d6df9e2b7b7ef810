import type { DomainError } from '../errors';
import type { AuthenticatorCode } from './authenticators';
import {
  defineMessages,
  type Language,
  type Localized,
  list,
  type Messages,
  negotiateLanguage,
  type MessageParam as Param,
  type MessageParams as Params,
  type Translation,
  text,
} from './catalogue';
import type { ClassificationCode } from './classification';
import type { DelegationCode } from './delegations';
import type { DocumentFilesCode } from './document-files';
import type { ExchangeCode } from './exchange';
import type { JointCode } from './joint';
import type { PeopleCode } from './people';
import type { RecipientReminderCode } from './recipient-reminders';
import type { SignatureImageCode } from './signature-images';
import type { WebhookErrorCode } from './webhooks';

export { type Language, type Localized, negotiateLanguage };

/**
 * Every message the server shows a person, in Vietnamese (the default) and English. Codes are stable and
 * part of the API contract (`error.code`); texts may be improved freely. Parameters that are text for people
 * are references to other messages here (`text(code)`), rendered in the same language.
 */
const ERROR_TEXTS = {
  payload_too_large: {
    vi: 'Nội dung gửi lên quá lớn (tối đa {limit}).',
    en: 'The request is too large (at most {limit}).',
  },
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
    vi: 'Bạn không có quyền thực hiện thao tác này: {reason}.',
    en: 'You may not do this: {reason}.',
  },
  not_found: { vi: 'Không tìm thấy {what}.', en: 'Could not find {what}.' },
  certificate_rejected: {
    vi: 'Chứng thư số không được chấp nhận: {detail}',
    en: 'The certificate was not accepted: {detail}',
  },
  // Said when the outcome is unknown (a timeout, a lost connection to a service): never "not done".
  internal: {
    vi: 'Đã xảy ra lỗi hệ thống nên chưa rõ thao tác đã được thực hiện hay chưa. Hãy gửi lại đúng yêu cầu này (cùng khóa Idempotency-Key): việc gửi lại là an toàn và cho biết kết quả.',
    en: 'Something went wrong on our side, so it is not known whether this was done. Send the same request again (the same Idempotency-Key): that is safe and tells you the outcome.',
  },
  unknown_user: { vi: 'Không có người dùng {userId}.', en: 'There is no user {userId}.' },
  idempotency_key_reused: {
    vi: 'Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác; hãy dùng khóa mới cho yêu cầu mới.',
    en: 'This Idempotency-Key was already used for a different request; use a new key for a new request.',
  },
  idempotency_in_progress: {
    vi: 'Yêu cầu với khóa Idempotency-Key này đang được xử lý; vui lòng thử lại sau giây lát.',
    en: 'A request with this Idempotency-Key is still being processed; please retry in a moment.',
  },
  busy: {
    vi: 'Hệ thống đang bận xử lý các yêu cầu cùng loại; thao tác chưa được thực hiện, vui lòng thử lại.',
    en: 'The system is busy with requests of the same kind; nothing was changed, please try again.',
  },
  document_recalled: {
    vi: '{orgName} đã thu hồi văn bản này nên bản của cơ quan bạn không còn được cung cấp. Lý do thu hồi: {reason}',
    en: '{orgName} recalled this document, so your organisation’s copy is no longer served. Reason given: {reason}',
  },
  position_request_decided: {
    vi: 'Yêu cầu giao vị trí này đã được xử lý ({status}); không thể quyết định lại.',
    en: 'This position request has already been decided ({status}); it cannot be decided again.',
  },
  position_request_stale: {
    vi: 'Vị trí của người này đã thay đổi kể từ khi có yêu cầu; hãy từ chối yêu cầu này và lập yêu cầu mới.',
    en: "This person's position has changed since the request was made; reject it and make a new request.",
  },
  upload_missing: {
    vi: 'Chưa có tệp PDF được tải lên cho văn bản này; hãy tải tệp lên địa chỉ đã cấp rồi thử lại.',
    en: 'No PDF has been uploaded for this document yet; upload it to the URL given, then try again.',
  },
  service_unavailable: {
    vi: 'Dịch vụ {service} chưa sẵn sàng.',
    en: 'The {service} service is not available.',
  },
  invalid_path: {
    vi: 'Địa chỉ yêu cầu có mã hóa phần trăm (%) không hợp lệ: {path}',
    en: 'The request path has an invalid percent-encoding (%): {path}',
  },
  request_timeout: {
    vi: 'Nội dung yêu cầu được gửi quá chậm hoặc bị ngắt giữa chừng (quá {seconds} giây); yêu cầu chưa được thực hiện.',
    en: 'The request body came too slowly or stopped half-way (over {seconds} s); nothing was done.',
  },
  invalid_cursor: {
    vi: 'Tham số cursor không hợp lệ hoặc không thuộc thư mục này; hãy mở lại trang đầu của thư mục.',
    en: 'The cursor is invalid or belongs to another folder; open the first page of the folder again.',
  },
  // Details of validation_failed: why a piece of text cannot be stored, signed and printed as it is.
  text_lone_surrogate: {
    vi: 'chứa ký tự Unicode hỏng (nửa cặp surrogate ở vị trí {position}), không thể lưu và ký số',
    en: 'contains a broken Unicode character (a lone surrogate at position {position}), which cannot be stored or signed',
  },
  text_control_character: {
    vi: 'chứa ký tự điều khiển không in được ({codePoint} ở vị trí {position})',
    en: 'contains a control character that cannot be printed ({codePoint} at position {position})',
  },
  // --- Why something is forbidden ({reason} of `forbidden`) ---------------------------------------------
  reason_administrators_only: {
    vi: 'chỉ quản trị hệ thống mới được làm việc này',
    en: 'only administrators may do this',
  },
  reason_administrators_read_no_documents: {
    vi: 'vị trí quản trị hệ thống dùng để quản lý cán bộ, không dùng để đọc văn bản',
    en: "an administrator's position is for managing people, not for reading documents",
  },
  reason_own_position: {
    vi: 'không ai được tự thay đổi vị trí công tác hay vai trò của chính mình',
    en: 'nobody may change their own position or role',
  },
  reason_second_administrator: {
    vi: 'yêu cầu giao quyền quản trị hay kiểm soát phải do một quản trị hệ thống khác phê duyệt',
    en: 'a request to grant administration or audit rights must be approved by another administrator',
  },
  reason_administration_log: {
    vi: 'chỉ quản trị hệ thống và kiểm soát viên mới được xem nhật ký quản trị',
    en: 'only administrators and auditors may read the administration log',
  },
  reason_auditors_read_only: {
    vi: 'kiểm soát viên chỉ được xem, không được thay đổi văn bản',
    en: 'auditors may read documents but not change them',
  },
  reason_own_organisation_people: {
    vi: 'chỉ xem được danh sách cán bộ của cơ quan mình',
    en: 'you may only list the people of your own organisation',
  },
  reason_issuer_recalls: {
    vi: 'chỉ cơ quan ban hành mới được thu hồi văn bản',
    en: 'only the issuing organisation may recall the document',
  },
  // --- What was not found ({what} of `not_found`) ---------------------------------------------------------
  what_document: { vi: 'văn bản', en: 'the document' },
  what_attachment: { vi: 'phụ lục', en: 'the attachment' },
  what_user: { vi: 'người dùng {id}', en: 'user {id}' },
  what_organisation: { vi: 'cơ quan {id}', en: 'organisation {id}' },
  what_position_request: { vi: 'yêu cầu giao vị trí {id}', en: 'position request {id}' },
  // --- What is invalid ({detail} of `validation_failed`) --------------------------------------------------
  invalid_deadline_passed: { vi: 'hạn xử lý {deadline} đã qua', en: 'the deadline {deadline} has passed' },
  invalid_flash_timed_needs_deliver_by: {
    vi: 'văn bản hỏa tốc hẹn giờ phải có thời điểm phải chuyển đến (deliverBy)',
    en: 'a flash-timed document needs the time it must arrive by (deliverBy)',
  },
  invalid_deliver_by_only_flash_timed: {
    vi: 'chỉ văn bản hỏa tốc hẹn giờ mới có thời điểm phải chuyển đến (deliverBy)',
    en: 'only a flash-timed document has a time it must arrive by (deliverBy)',
  },
  invalid_ref_leader: {
    vi: '{field}: {id} không phải lãnh đạo của {orgName}',
    en: '{field}: {id} is not a leader of {orgName}',
  },
  invalid_ref_handler: {
    vi: '{field}: {ref} không phải cán bộ hay đơn vị của {orgName} có thể xử lý văn bản',
    en: '{field}: {ref} is not a person or unit of {orgName} who can handle documents',
  },
  invalid_ref_member: {
    vi: '{field}: {ref} không phải cán bộ hay đơn vị của {orgName}',
    en: '{field}: {ref} is not a person or unit of {orgName}',
  },
  invalid_ref_issued_document: {
    vi: '{field}: {id} không phải văn bản {orgName} đã ban hành',
    en: '{field}: {id} is not a document {orgName} has issued',
  },
  invalid_unknown_organisation: {
    vi: 'orgId: không có cơ quan {orgId} trong danh bạ',
    en: 'orgId: there is no organisation {orgId} in the directory',
  },
  // Checks of the directory's own schemas (zod custom issues; the English is what the directory loader prints).
  invalid_leader_needs_rank: { vi: 'lãnh đạo phải có cấp (rank)', en: 'a leader has a rank' },
  invalid_rank_only_leaders: { vi: 'chỉ lãnh đạo mới có cấp (rank)', en: 'only leaders have a rank' },
  invalid_tuq_time_limited: {
    vi: 'ủy quyền ký (TUQ.) phải có thời hạn',
    en: 'a TUQ. authorisation is time-limited',
  },
  invalid_tuq_not_passed_on: {
    vi: 'người được ủy quyền ký (TUQ.) không được ủy quyền lại',
    en: 'a TUQ. authorisation cannot be passed on',
  },
  invalid_validity_reversed: {
    vi: 'ngày hết hiệu lực (validUntil) phải sau ngày bắt đầu hiệu lực (validFrom)',
    en: 'validUntil must be after validFrom',
  },
  // --- What is wrong with a file ({detail} of `pdf_damaged`, `cms_malformed`) ------------------------------
  detail_pdf_no_pages: { vi: 'tệp không có trang nào', en: 'it has no pages' },
  detail_pdf_xref_unreadable: {
    vi: 'không đọc được bảng tham chiếu chéo (xref)',
    en: 'its cross-reference table cannot be read',
  },
  detail_pdf_needs_repair: {
    vi: 'không lần theo được dữ liệu tham chiếu chéo hoặc cây trang của tệp ({detail}), nên chưa kiểm tra được ở đây khi tệp chưa được sửa; công cụ kiểm tra dòng lệnh của kiểm soát viên (docflow verify) vẫn kiểm tra được tệp này',
    en: "its cross-reference data or page tree cannot be followed ({detail}), so it cannot be verified here without being repaired first; the auditors' command-line verifier (docflow verify) can still examine it",
  },
  detail_cms_unsupported_digest: {
    vi: 'thuật toán băm không được hỗ trợ',
    en: 'unsupported digest algorithm',
  },
  // --- Joining lists ----------------------------------------------------------------------------------------
  join_or: { vi: '{a} hoặc {b}', en: '{a} or {b}' },
  join_semicolon: { vi: '{a}; {b}', en: '{a}; {b}' },
  // --- Circulation workflow (lambdas/core/domain): labels interpolated into the messages below -------------
  label_outgoing_state_draft: { vi: 'Dự thảo', en: 'a draft' },
  label_outgoing_state_under_review: { vi: 'Đang xem xét', en: 'under review' },
  label_outgoing_state_submitted_to_signer: { vi: 'Trình ký', en: 'awaiting signature' },
  label_outgoing_state_signed: { vi: 'Đã ký', en: 'signed but not issued' },
  label_outgoing_state_issued: { vi: 'Đã phát hành', en: 'issued but not sent' },
  label_outgoing_state_sent: { vi: 'Đã gửi', en: 'sent' },
  label_outgoing_state_archived: { vi: 'Đã lưu hồ sơ', en: 'archived' },
  label_outgoing_state_recalled: { vi: 'Đã thu hồi', en: 'recalled' },
  label_outgoing_state_replaced: { vi: 'Đã bị thay thế', en: 'replaced by another document' },
  label_incoming_state_arrived: { vi: 'Mới đến', en: 'newly arrived and not registered' },
  label_incoming_state_returned: { vi: 'Đã trả lại', en: 'returned to its sender' },
  label_incoming_state_registered: { vi: 'Đã vào sổ', en: 'registered but not presented' },
  label_incoming_state_presented: { vi: 'Đã trình lãnh đạo', en: 'presented to the leader' },
  label_incoming_state_assigned: { vi: 'Đã phân công', en: 'assigned' },
  label_incoming_state_in_progress: { vi: 'Đang xử lý', en: 'in progress' },
  label_incoming_state_resolved: { vi: 'Đã giải quyết', en: 'resolved' },
  label_incoming_state_forwarded: { vi: 'Đã chuyển tiếp', en: 'forwarded to another organisation' },
  label_incoming_state_recalled: { vi: 'Đã bị thu hồi', en: 'recalled by its sender' },
  label_role_leader: { vi: 'lãnh đạo', en: 'leaders' },
  label_role_specialist: { vi: 'chuyên viên', en: 'specialists' },
  label_role_clerk: { vi: 'văn thư', en: 'clerks' },
  label_role_auditor: { vi: 'kiểm soát viên', en: 'auditors' },
  label_role_admin: { vi: 'quản trị hệ thống', en: 'administrators' },
  label_rank_head: { vi: 'người đứng đầu', en: 'head' },
  label_rank_deputy: { vi: 'cấp phó của người đứng đầu', en: 'deputy heads' },
  label_rank_acting_head: { vi: 'người được giao quyền cấp trưởng', en: 'acting head' },
  label_leaders_of: { vi: 'lãnh đạo {orgName}', en: 'the leaders of {orgName}' },
  label_capacity_own: { vi: 'tự ký', en: 'own authority' },
  label_unknown_signer: { vi: 'không rõ người ký', en: 'unknown signer' },
  label_action_create: { vi: 'soạn thảo văn bản', en: 'draft a document' },
  label_action_revise: { vi: 'sửa dự thảo', en: 'revise the draft' },
  label_action_submit: { vi: 'trình dự thảo', en: 'submit the draft for review' },
  label_action_approve: { vi: 'duyệt dự thảo', en: 'approve the draft' },
  label_action_return_for_revision: { vi: 'trả lại dự thảo để sửa', en: 'return the draft for revision' },
  label_action_sign: { vi: 'ký văn bản', en: 'sign the document' },
  label_action_issue: { vi: 'phát hành văn bản', en: 'issue the document' },
  label_action_seal: { vi: 'đóng dấu văn bản liên tịch', en: 'seal the joint document' },
  label_action_send: { vi: 'gửi văn bản', en: 'send the document' },
  label_action_change_attachments: { vi: 'thêm hoặc bỏ phụ lục', en: 'add or remove attachments' },
  label_action_archive: { vi: 'lưu hồ sơ văn bản', en: 'archive the document' },
  label_action_recall: { vi: 'thu hồi văn bản', en: 'recall the document' },
  label_action_replace: { vi: 'thay thế văn bản', en: 'replace the document' },
  label_action_correct: { vi: 'đính chính văn bản', en: 'correct the document' },
  label_action_place: {
    vi: 'đặt vị trí chữ ký, con dấu và số, ngày',
    en: 'place the signature, seal and number/date',
  },
  label_action_arrive: { vi: 'chuyển văn bản đến nơi nhận', en: 'deliver the document' },
  label_action_return: { vi: 'trả lại văn bản đến', en: 'return the incoming document to its sender' },
  label_action_register: { vi: 'vào sổ văn bản đến', en: 'register the incoming document' },
  label_action_present: { vi: 'trình văn bản đến', en: 'present the incoming document' },
  label_action_assign: { vi: 'phân công xử lý văn bản đến', en: 'assign the incoming document' },
  label_action_reassign: { vi: 'giao lại việc xử lý văn bản đến', en: 'reassign the incoming document' },
  label_action_start: { vi: 'bắt đầu xử lý văn bản đến', en: 'start handling the incoming document' },
  label_action_resolve: { vi: 'hoàn thành xử lý văn bản đến', en: 'resolve the incoming document' },
  label_action_forward: { vi: 'chuyển tiếp văn bản đến', en: 'forward the incoming document' },
  label_action_recall_delivery: { vi: 'thu hồi văn bản đã gửi', en: 'recall a delivered document' },
  // --- Circulation workflow: errors ----------------------------------------------------------------------
  forbidden_role: {
    vi: 'Bạn không có quyền {actionName}: việc này dành cho {rolesName}.',
    en: 'You may not {actionName}: only {rolesName} may.',
  },
  forbidden_other_organisation: {
    vi: 'Bạn không có quyền {actionName}: văn bản thuộc {orgName}, không phải đơn vị bạn công tác.',
    en: 'You may not {actionName}: the document belongs to {orgName}, where you do not work.',
  },
  forbidden_not_drafter: {
    vi: 'Bạn không có quyền {actionName}: chỉ người soạn thảo dự thảo này mới được làm việc này.',
    en: 'You may not {actionName}: only the drafter of this draft may.',
  },
  forbidden_not_designated_signer: {
    vi: 'Bạn không có quyền ký văn bản: văn bản đã được trình cho người khác ký.',
    en: 'You may not sign the document: it was submitted to another signer.',
  },
  forbidden_not_handler: {
    vi: 'Bạn không có quyền {actionName}: văn bản được giao cho người hoặc đơn vị khác xử lý.',
    en: 'You may not {actionName}: the document is assigned to another person or unit.',
  },
  forbidden_other_unit: {
    vi: 'Bạn không có quyền {actionName}: văn bản được giao cho đơn vị {unitCode}, không phải đơn vị bạn phụ trách.',
    en: 'You may not {actionName}: the document is assigned to unit {unitCode}, which you do not lead.',
  },
  forbidden_not_sender: {
    vi: 'Bạn không có quyền {actionName}: chỉ cơ quan gửi ({orgName}) mới được làm việc này.',
    en: 'You may not {actionName}: only the sender, {orgName}, may.',
  },
  capacity_not_applicable: {
    vi: 'Tư cách ký "{capacity}" không áp dụng cho {orgName}: chỉ cơ quan làm việc theo chế độ tập thể mới ký "TM.".',
    en: 'The signing capacity "{capacity}" does not apply to {orgName}: only a collective body signs "TM.".',
  },
  capacity_not_entitled: {
    vi: 'Bạn không có quyền ký với tư cách "{capacity}": tư cách này dành cho {holderName} của {orgName}.',
    en: 'You may not sign as "{capacity}": that capacity belongs to the {holderName} of {orgName}.',
  },
  capacity_no_delegation: {
    vi: 'Bạn không có quyền ký "{capacity}": bạn không được {orgName} giao ký {capacity} bằng văn bản còn hiệu lực cho loại văn bản này.',
    en: 'You may not sign "{capacity}": you hold no {capacity} assignment from {orgName} that is in force and covers this type of document.',
  },
  delegation_revoked: {
    vi: 'Không thể ký "{capacity}": văn bản giao ký {capacity} của {orgName} cho bạn đã bị thu hồi lúc {time}.',
    en: 'You may not sign "{capacity}": your {capacity} assignment from {orgName} was revoked at {time}.',
  },
  delegation_ended: {
    vi: 'Không thể ký "{capacity}": văn bản giao ký {capacity} của {orgName} cho bạn đã hết hiệu lực lúc {time}.',
    en: 'You may not sign "{capacity}": your {capacity} assignment from {orgName} ended at {time}.',
  },
  delegation_not_started: {
    vi: 'Chưa thể ký "{capacity}": văn bản giao ký {capacity} của {orgName} cho bạn có hiệu lực từ {time}.',
    en: 'You may not sign "{capacity}" yet: your {capacity} assignment from {orgName} takes effect at {time}.',
  },
  outgoing_exists: { vi: 'Văn bản {documentId} đã tồn tại.', en: 'Document {documentId} already exists.' },
  outgoing_cannot_revise: {
    vi: 'Không thể sửa văn bản khi văn bản đang ở trạng thái {stateName}; chỉ sửa được dự thảo.',
    en: 'Cannot revise the document while it is {stateName}; only a draft can be revised.',
  },
  outgoing_cannot_submit: {
    vi: 'Không thể trình văn bản khi văn bản đang ở trạng thái {stateName}; chỉ trình được dự thảo.',
    en: 'Cannot submit the document while it is {stateName}; only a draft can be submitted for review.',
  },
  outgoing_cannot_approve: {
    vi: 'Không thể duyệt văn bản khi văn bản đang ở trạng thái {stateName}; chỉ duyệt được văn bản đang xem xét.',
    en: 'Cannot approve the document while it is {stateName}; only a document under review can be approved.',
  },
  outgoing_cannot_return_for_revision: {
    vi: 'Không thể trả lại văn bản để sửa khi văn bản đang ở trạng thái {stateName}; chỉ trả lại được văn bản đang xem xét hoặc đang trình ký.',
    en: 'Cannot return the document for revision while it is {stateName}; only a document under review or awaiting signature can be returned.',
  },
  outgoing_cannot_sign: {
    vi: 'Không thể ký văn bản khi văn bản đang ở trạng thái {stateName}; văn bản phải được duyệt và trình ký trước.',
    en: 'Cannot sign the document while it is {stateName}; it must be approved and submitted for signature first.',
  },
  outgoing_cannot_issue: {
    vi: 'Không thể phát hành văn bản khi văn bản đang ở trạng thái {stateName}; chỉ phát hành văn bản đã ký và chưa phát hành.',
    en: 'Cannot issue the document while it is {stateName}; only a signed document that has not been issued can be issued.',
  },
  outgoing_cannot_seal: {
    vi: 'Không thể đóng dấu văn bản liên tịch khi văn bản đang ở trạng thái {stateName}; cơ quan cùng ban hành đóng dấu sau khi cơ quan chủ trì phát hành.',
    en: 'Cannot seal the joint document while it is {stateName}; co-issuers seal after the lead organisation has issued it.',
  },
  outgoing_cannot_send: {
    vi: 'Không thể gửi văn bản khi văn bản đang ở trạng thái {stateName}; chỉ gửi được văn bản đã phát hành.',
    en: 'Cannot send the document while it is {stateName}; only an issued document can be sent.',
  },
  outgoing_cannot_archive: {
    vi: 'Không thể lưu hồ sơ văn bản khi văn bản đang ở trạng thái {stateName}; chỉ lưu hồ sơ văn bản đã gửi.',
    en: 'Cannot archive the document while it is {stateName}; only a sent document can be archived.',
  },
  outgoing_cannot_renew_archive: {
    vi: 'Không thể gia hạn dấu thời gian lưu trữ khi văn bản đang ở trạng thái {stateName}; chỉ văn bản đã lưu hồ sơ mới có dấu thời gian lưu trữ.',
    en: 'Cannot renew the archive timestamp while the document is {stateName}; only an archived document has one.',
  },
  outgoing_cannot_recall: {
    vi: 'Không thể thu hồi văn bản khi văn bản đang ở trạng thái {stateName}; chỉ thu hồi được văn bản đã phát hành.',
    en: 'Cannot recall the document while it is {stateName}; only an issued document can be recalled.',
  },
  outgoing_cannot_replace: {
    vi: 'Không thể thay thế văn bản khi văn bản đang ở trạng thái {stateName}; chỉ thay thế được văn bản đã phát hành.',
    en: 'Cannot replace the document while it is {stateName}; only an issued document can be replaced.',
  },
  outgoing_cannot_add_attachment: {
    vi: 'Không thể thêm phụ lục khi văn bản đang ở trạng thái {stateName}; chỉ dự thảo mới thay đổi được phụ lục.',
    en: 'Cannot add an attachment while the document is {stateName}; only a draft’s attachments can change.',
  },
  outgoing_cannot_remove_attachment: {
    vi: 'Không thể bỏ phụ lục khi văn bản đang ở trạng thái {stateName}; chỉ dự thảo mới thay đổi được phụ lục.',
    en: 'Cannot remove an attachment while the document is {stateName}; only a draft’s attachments can change.',
  },
  attachments_too_many: {
    vi: 'Văn bản đã có đủ {max} phụ lục, không thêm được nữa.',
    en: 'The document already has the most attachments allowed ({max}).',
  },
  outgoing_cannot_place: {
    vi: 'Không thể đặt lại vị trí chữ ký khi văn bản đang ở trạng thái {stateName}.',
    en: 'Cannot move the signature while the document is {stateName}.',
  },
  placement_fixed_once_signed: {
    vi: 'Văn bản đã được ký: vị trí chữ ký và dòng số, ngày không còn thay đổi được; chỉ con dấu có thể di chuyển.',
    en: 'The document is signed: the signature and the number/date line can no longer move; only the seal can.',
  },
  placement_refused: {
    vi: 'Không thể đặt {itemName} ở vị trí này: {reason}',
    en: 'The {itemName} cannot go there: {reason}',
  },
  placement_file_changed: {
    vi: 'Tệp văn bản vừa được thay đổi; hãy tải lại trang và đặt lại vị trí.',
    en: 'The document file has just changed; reload the page and place again.',
  },
  placement_item_signature: { vi: 'chữ ký', en: 'signature' },
  placement_item_seal: { vi: 'con dấu', en: 'seal' },
  placement_item_number: { vi: 'số, ký hiệu', en: 'number' },
  placement_item_date: { vi: 'dòng địa danh, ngày tháng', en: 'date line' },
  placement_page_missing: { vi: 'văn bản không có trang {page}.', en: 'the document has no page {page}.' },
  placement_off_page: { vi: 'vị trí nằm ngoài trang {page}.', en: 'it is outside page {page}.' },
  placement_covers_text: {
    vi: 'vị trí đè lên chữ của trang {page}.',
    en: 'it would cover text on page {page}.',
  },
  placement_covers_image: {
    vi: 'vị trí đè lên hình ảnh của trang {page}.',
    en: 'it would cover an image on page {page}.',
  },
  placement_seal_apart: {
    vi: 'con dấu phải đóng trùm lên khoảng một phần ba chữ ký, bên trái (trang {page}).',
    en: 'the seal must overlap the left third of the signature (page {page}).',
  },
  replacement_is_self: {
    vi: 'Văn bản không thể thay thế chính nó.',
    en: 'A document cannot replace itself.',
  },
  // Replacement and correction (core/domain/amendments.ts).
  outgoing_cannot_correct: {
    vi: 'Không thể đính chính văn bản khi văn bản đang ở trạng thái {stateName}; chỉ đính chính được văn bản đã phát hành.',
    en: 'Cannot correct the document while it is {stateName}; only an issued document can be corrected.',
  },
  correction_is_self: {
    vi: 'Văn bản không thể đính chính chính nó.',
    en: 'A document cannot correct itself.',
  },
  amended_cannot_replace: {
    vi: 'Văn bản số {symbol} đang ở trạng thái {stateName} nên không thể bị thay thế; chỉ thay thế được văn bản đã phát hành còn hiệu lực.',
    en: 'Document {symbol} is {stateName} and cannot be replaced; only an issued document in force can be replaced.',
  },
  amended_cannot_correct: {
    vi: 'Văn bản số {symbol} đang ở trạng thái {stateName} nên không thể đính chính; chỉ đính chính được văn bản đã phát hành còn hiệu lực.',
    en: 'Document {symbol} is {stateName} and cannot be corrected; only an issued document in force can be corrected.',
  },
  invalid_ref_amended_document: {
    vi: '{field}: {id} không phải văn bản {orgName} đã ban hành còn hiệu lực (chưa bị thu hồi hay thay thế)',
    en: '{field}: {id} is not a document {orgName} has issued that is still in force (not recalled nor replaced)',
  },
  document_changed_while_signing: {
    vi: 'Văn bản đã thay đổi trong lúc ký nên chữ ký chưa được ghi nhận. Hãy mở lại văn bản và ký lại.',
    en: 'The document changed while it was being signed, so the signature was not recorded. Open it again and sign again.',
  },
  numbering_conflict: {
    vi: 'Số văn bản đã thay đổi: số dự kiến {expected}, số tiếp theo là {actual}. Vui lòng cấp số lại.',
    en: 'The document number has changed: expected {expected}, the next number is {actual}. Please number it again.',
  },
  issue_date_changed: {
    vi: 'Ngày ban hành đã thay đổi ({expected} → {actual}). Vui lòng cấp số lại.',
    en: 'The issue date has changed ({expected} → {actual}). Please number it again.',
  },
  recipient_unknown: {
    vi: '{field}: nơi nhận "{id}" không có trong danh bạ.',
    en: '{field}: there is no recipient "{id}" in the directory.',
  },
  recipient_is_sender: {
    vi: '{field}: {orgName} không thể gửi văn bản cho chính mình.',
    en: '{field}: {orgName} cannot send a document to itself.',
  },
  recipients_empty: { vi: 'Văn bản chưa có nơi nhận.', en: 'The document has no recipients.' },
  incoming_exists: {
    vi: 'Văn bản đã được chuyển đến {orgName}.',
    en: 'The document has already been delivered to {orgName}.',
  },
  incoming_not_addressed: {
    vi: 'Văn bản không được gửi hay chuyển tiếp cho {orgName}.',
    en: 'The document was neither sent nor forwarded to {orgName}.',
  },
  incoming_source_not_sent: {
    vi: 'Không thể chuyển văn bản đến nơi nhận khi văn bản đang ở trạng thái {stateName}; chỉ văn bản đã gửi mới đến được nơi nhận.',
    en: 'Cannot deliver the document while it is {stateName}; only a sent document can arrive.',
  },
  incoming_cannot_return: {
    vi: 'Không thể trả lại văn bản đến khi văn bản đang ở trạng thái {stateName}; chỉ trả lại được văn bản mới đến, chưa vào sổ.',
    en: 'Cannot return the incoming document while it is {stateName}; only a document that has arrived and is not registered can be returned.',
  },
  incoming_cannot_register: {
    vi: 'Không thể vào sổ văn bản đến khi văn bản đang ở trạng thái {stateName}; chỉ vào sổ văn bản mới đến.',
    en: 'Cannot register the incoming document while it is {stateName}; only a newly arrived document can be registered.',
  },
  incoming_cannot_present: {
    vi: 'Không thể trình văn bản đến khi văn bản đang ở trạng thái {stateName}; chỉ trình được văn bản đã vào sổ.',
    en: 'Cannot present the incoming document while it is {stateName}; only a registered document can be presented.',
  },
  incoming_cannot_assign: {
    vi: 'Không thể phân công xử lý khi văn bản đến đang ở trạng thái {stateName}; chỉ phân công văn bản đã trình lãnh đạo.',
    en: 'Cannot assign the incoming document while it is {stateName}; only a document presented to the leader can be assigned.',
  },
  incoming_cannot_reassign: {
    vi: 'Không thể giao lại việc xử lý khi văn bản đến đang ở trạng thái {stateName}; chỉ giao lại văn bản đã phân công hoặc đang xử lý.',
    en: 'Cannot reassign the incoming document while it is {stateName}; only an assigned document or one in progress can be reassigned.',
  },
  incoming_cannot_start: {
    vi: 'Không thể bắt đầu xử lý khi văn bản đến đang ở trạng thái {stateName}; chỉ bắt đầu xử lý văn bản đã phân công.',
    en: 'Cannot start handling the incoming document while it is {stateName}; only an assigned document can be started.',
  },
  incoming_cannot_resolve: {
    vi: 'Không thể hoàn thành xử lý khi văn bản đến đang ở trạng thái {stateName}; chỉ hoàn thành văn bản đang xử lý.',
    en: 'Cannot resolve the incoming document while it is {stateName}; only a document in progress can be resolved.',
  },
  incoming_cannot_forward: {
    vi: 'Không thể chuyển tiếp văn bản đến khi văn bản đang ở trạng thái {stateName}; chỉ chuyển tiếp văn bản đã vào sổ và chưa giải quyết xong.',
    en: 'Cannot forward the incoming document while it is {stateName}; only a registered document that is not resolved can be forwarded.',
  },
  incoming_cannot_recall: {
    vi: 'Không thể thu hồi văn bản tại nơi nhận khi văn bản đang ở trạng thái {stateName}; văn bản đã trả lại hoặc đã thu hồi thì không cần thu hồi.',
    en: 'Cannot recall the delivered document while it is {stateName}; a returned or already recalled document needs no recall.',
  },
  // What the system writes into a record when it returns a document on its own (records are in Vietnamese).
  note_signatures_invalid: {
    vi: 'Chữ ký số không hợp lệ: {detail}',
    en: 'The digital signatures are not valid: {detail}',
  },
  note_reason_unknown: { vi: 'không rõ lý do', en: 'no reason given' },
  note_file_altered: {
    vi: 'tệp văn bản lưu trữ đã bị thay đổi sau khi được ghi nhận (SHA-256 {sha}…)',
    en: 'the stored file was changed after it was recorded (SHA-256 {sha}…)',
  },
  incoming_signatures_invalid: {
    vi: 'Không thể vào sổ: chữ ký số trên văn bản không hợp lệ ({detail}). Hãy trả lại văn bản cho nơi gửi.',
    en: 'Cannot register: a digital signature on the document is not valid ({detail}). Return it to the sender.',
  },
  forward_target_invalid: {
    vi: '{field}: không thể chuyển tiếp văn bản cho {orgName}.',
    en: '{field}: the document cannot be forwarded to {orgName}.',
  },
  // --- A PDF's verification report (lambdas/core/pdf/verify.ts): its summary, in both languages ----------
  report_no_signature: { vi: 'Tài liệu không có chữ ký số.', en: 'The document has no digital signature.' },
  report_signature_timestamped: {
    vi: 'Chữ ký {index}: {signer}, dấu thời gian {time}: {verdict}.',
    en: 'Signature {index}: {signer}, timestamped {time}: {verdict}.',
  },
  report_signature_claimed_time: {
    vi: 'Chữ ký {index}: {signer}, thời điểm ký khai báo {time}: {verdict}.',
    en: 'Signature {index}: {signer}, claimed time {time}: {verdict}.',
  },
  report_signature_untimed: {
    vi: 'Chữ ký {index}: {signer}: {verdict}.',
    en: 'Signature {index}: {signer}: {verdict}.',
  },
  report_signer_capacity: { vi: '{signer} ({capacity})', en: '{signer} ({capacity})' },
  report_signer_delegation: {
    vi: '{signer} ({capacity}, được giao theo {basis})',
    en: '{signer} ({capacity}, under {basis})',
  },
  report_verdict_valid: { vi: 'hợp lệ', en: 'valid' },
  report_verdict_modified: {
    vi: 'hợp lệ nhưng tài liệu bị sửa đổi sau khi ký',
    en: 'valid, but the document was modified after signing',
  },
  report_verdict_invalid: { vi: 'KHÔNG hợp lệ', en: 'NOT valid' },
  report_document_timestamp: {
    vi: 'Dấu thời gian lưu trữ {index}: {signer}, lúc {time} (giờ Hà Nội): {verdict}.',
    en: 'Archive timestamp {index}: {signer}, at {time} (Hanoi time): {verdict}.',
  },
  report_archive_holds_until: {
    vi: 'Chuỗi {count} dấu thời gian lưu trữ hợp lệ: bằng chứng có giá trị đến {time} (giờ Hà Nội).',
    en: 'The chain of {count} archive timestamp(s) is valid: the evidence holds until {time} (Hanoi time).',
  },
  report_archive_broken: {
    vi: 'Chuỗi {count} dấu thời gian lưu trữ KHÔNG còn giá trị (dấu cuối cùng có giá trị đến {time}, giờ Hà Nội).',
    en: 'The chain of {count} archive timestamp(s) does NOT hold (the last one held until {time}, Hanoi time).',
  },
  // --- Signing core (lambdas/core/pki, cms, pdf) ----------------------------------------------------------
  file_too_large: {
    vi: 'Tệp quá lớn để ký hoặc kiểm tra: {size} byte (tối đa {limit} byte).',
    en: 'The file is too large to sign or verify: {size} bytes (at most {limit}).',
  },
  pdf_not_a_pdf: { vi: 'Tệp không phải là tài liệu PDF.', en: 'The file is not a PDF document.' },
  pdf_truncated: {
    vi: 'Tệp PDF bị cắt cụt hoặc chưa tải lên hết (thiếu phần kết thúc %%EOF).',
    en: 'The PDF is truncated or incompletely uploaded (its closing %%EOF is missing).',
  },
  pdf_encrypted: {
    vi: 'Tệp PDF được mã hóa bằng mật khẩu; hãy gửi bản không mã hóa.',
    en: 'The PDF is password-encrypted; please send an unencrypted copy.',
  },
  pdf_damaged: {
    vi: 'Tệp PDF bị hỏng, không đọc được cấu trúc ({detail}). Hãy xuất lại tệp PDF từ phần mềm đã tạo ra nó.',
    en: 'The PDF is damaged and its structure cannot be read ({detail}). Export the PDF again from the program that made it.',
  },
  pdf_page_not_found: {
    vi: 'Tài liệu không có trang {page} để đặt chữ ký.',
    en: 'The document has no page {page} to place the signature on.',
  },
  pdf_appearance_text_unsupported: {
    vi: 'Phông chữ không hiển thị được các ký tự: {characters}',
    en: 'The font cannot display these characters: {characters}',
  },
  pdf_image_unsupported: {
    vi: 'Không đưa được ảnh này vào chữ ký ({detail}); hãy dùng ảnh PNG 8 bit không xen kẽ (interlace) hoặc ảnh JPEG.',
    en: 'This image cannot be placed in the signature ({detail}); use an 8-bit non-interlaced PNG or a JPEG.',
  },
  pdf_image_damaged: {
    vi: 'Ảnh đưa vào chữ ký bị hỏng hoặc không đầy đủ: {detail}',
    en: 'The image for the signature is damaged or incomplete: {detail}',
  },
  signing_key_mismatch: {
    vi: 'Chứng thư số không khớp với khóa ký {keyId}.',
    en: 'The certificate does not match signing key {keyId}.',
  },
  signing_certificate_not_valid: {
    vi: 'Chứng thư số {serial} không có hiệu lực vào thời điểm ký {at} (hiệu lực từ {notBefore} đến {notAfter}).',
    en: 'Certificate {serial} is not valid at signing time {at} (valid from {notBefore} to {notAfter}).',
  },
  signing_certificate_revoked: {
    vi: 'Chứng thư số {serial} đã bị thu hồi lúc {revokedAt} (lý do: {reason}); không thể ký.',
    en: 'Certificate {serial} was revoked at {revokedAt} (reason: {reason}); it cannot sign.',
  },
  // RFC 5280 CRL reasons ({reason} of `signing_certificate_revoked`)
  revocation_reason_unspecified: { vi: 'không nêu lý do', en: 'unspecified' },
  revocation_reason_keyCompromise: { vi: 'lộ khóa bí mật', en: 'key compromise' },
  revocation_reason_cACompromise: { vi: 'tổ chức cấp chứng thư bị lộ khóa', en: 'CA compromise' },
  revocation_reason_affiliationChanged: { vi: 'thay đổi nơi công tác', en: 'affiliation changed' },
  revocation_reason_superseded: { vi: 'đã có chứng thư thay thế', en: 'superseded' },
  revocation_reason_cessationOfOperation: { vi: 'ngừng hoạt động', en: 'cessation of operation' },
  revocation_reason_certificateHold: { vi: 'tạm dừng hiệu lực', en: 'certificate on hold' },
  revocation_reason_privilegeWithdrawn: { vi: 'bị rút quyền', en: 'privilege withdrawn' },
  signing_revocation_unknown: {
    vi: 'Không có danh sách thu hồi (CRL) hợp lệ của nơi cấp chứng thư số {serial}; chưa thể ký.',
    en: 'No valid revocation list (CRL) from the issuer of certificate {serial}; signing is not possible yet.',
  },
  cms_malformed: {
    vi: 'Tệp chữ ký (.p7s) không đúng định dạng CMS: {detail}',
    en: 'The signature file (.p7s) is not valid CMS: {detail}',
  },
  pdf_issue_fields_missing: {
    vi: 'Văn bản đã ký nhưng chưa có ô số, ký hiệu và ngày ban hành; cần tạo các ô này trước khi lãnh đạo ký.',
    en: 'The document is signed but has no number and date fields; they must be added before the leader signs.',
  },
  // --- Sole control of signatures (lambdas/core/signing, docs/SECURITY.md) -------------------------------
  signature_request_unknown: {
    vi: 'Không có yêu cầu ký {id} nào đang chờ bạn xác nhận.',
    en: 'There is no signature request {id} waiting for your authorization.',
  },
  signature_request_not_authorized: {
    vi: 'Chữ ký này chưa được bạn xác nhận bằng khóa truy cập (passkey) hoặc mã xác thực; chưa có gì được ký.',
    en: 'You have not authorized this signature with your passkey or authenticator code yet; nothing was signed.',
  },
  signature_activation_expired: {
    vi: 'Lần xác nhận ký đã hết hạn (quá 5 phút); chưa có gì được ký. Hãy xác nhận lại.',
    en: 'The signature authorization has expired (after 5 minutes); nothing was signed. Authorize it again.',
  },
  signature_activation_other_key: {
    vi: 'Lần xác nhận này không dành cho khóa ký này; chưa có gì được ký.',
    en: 'This authorization is not for this signing key; nothing was signed.',
  },
  signature_activation_other_digest: {
    vi: 'Lần xác nhận này không bao gồm văn bản này (nội dung cần ký đã khác); chưa có gì được ký.',
    en: 'This authorization does not cover this document (what is to be signed differs); nothing was signed.',
  },
  signature_activation_invalid: {
    vi: 'Dữ liệu kích hoạt chữ ký không hợp lệ; chưa có gì được ký.',
    en: 'The signature activation data is not valid; nothing was signed.',
  },
  authenticator_not_yours: {
    vi: 'Bạn chỉ quản lý được phương thức xác thực của chính mình.',
    en: 'You can only manage your own authenticators.',
  },
  seal_not_yours: {
    vi: 'Chỉ văn thư của {orgName} được xác nhận đóng dấu của cơ quan.',
    en: "Only a clerk of {orgName} may authorize the organisation's seal.",
  },
} as const satisfies Record<string, Translation>;

export const messages = /* @__PURE__ */ defineMessages(ERROR_TEXTS);

/** The codes of the messages every function carries. */
export type MessageCode = (typeof messages.codes)[number];
/** Every code a DomainError may carry: these, and those of the catalogues only some functions carry. */
export type ErrorCode =
  | MessageCode
  | AuthenticatorCode
  | SignatureImageCode
  | DocumentFilesCode
  | ClassificationCode
  | ExchangeCode
  | DelegationCode
  | JointCode
  | PeopleCode
  | RecipientReminderCode
  | WebhookErrorCode;
/** Parameters interpolated into a message: `{name}` in the template is replaced by `params.name`. */
export type MessageParams = Params<MessageCode>;
export type MessageParam = Param<MessageCode>;

/** A parameter that is another message, rendered in the language of the message it fills in. */
export const messageText = (code: MessageCode, params?: MessageParams): MessageParam =>
  text<MessageCode>(code, params);

/** Several parameters joined two at a time by a `join_*` message ("a or b", "a; b"). */
export const messageList = (
  join: 'join_or' | 'join_semicolon',
  items: readonly MessageParam[],
): MessageParam => list<MessageCode>(join, items);

export const renderMessage = (code: MessageCode, language: Language, params: MessageParams = {}): string =>
  messages.render(code, language, params);

/** A domain error in one language, from the catalogue its code is in. */
export function renderError(error: DomainError, language: Language): string {
  const catalogue: Messages<string> = error.messages ?? messages;
  return catalogue.render(error.code, language, error.params);
}

/**
 * A zod custom issue saying one of these messages: its English text for whoever reads zod's error directly
 * (the directory loader), and the message itself in `params.message`, which the API renders in the caller's
 * language (lambdas/http/validation.ts).
 */
export const issueMessage = (code: MessageCode, params?: MessageParams) => ({
  message: renderMessage(code, 'en', params),
  params: { message: messageText(code, params) },
});

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
    vi: 'Bạn không có quyền thực hiện thao tác này: {reason}',
    en: 'You may not do this: {reason}',
  },
  not_found: { vi: 'Không tìm thấy {what}.', en: '{what} was not found.' },
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
  label_action_create: { vi: 'soạn thảo văn bản', en: 'draft a document' },
  label_action_revise: { vi: 'sửa dự thảo', en: 'revise the draft' },
  label_action_submit: { vi: 'trình dự thảo', en: 'submit the draft for review' },
  label_action_approve: { vi: 'duyệt dự thảo', en: 'approve the draft' },
  label_action_return_for_revision: { vi: 'trả lại dự thảo để sửa', en: 'return the draft for revision' },
  label_action_sign: { vi: 'ký văn bản', en: 'sign the document' },
  label_action_issue: { vi: 'phát hành văn bản', en: 'issue the document' },
  label_action_send: { vi: 'gửi văn bản', en: 'send the document' },
  label_action_archive: { vi: 'lưu hồ sơ văn bản', en: 'archive the document' },
  label_action_recall: { vi: 'thu hồi văn bản', en: 'recall the document' },
  label_action_replace: { vi: 'thay thế văn bản', en: 'replace the document' },
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
    vi: 'Bạn không có quyền {actionVi}: việc này dành cho {rolesVi}.',
    en: 'You may not {actionEn}: only {rolesEn} may.',
  },
  forbidden_other_organisation: {
    vi: 'Bạn không có quyền {actionVi}: văn bản thuộc {orgName}, không phải đơn vị bạn công tác.',
    en: 'You may not {actionEn}: the document belongs to {orgName}, where you do not work.',
  },
  forbidden_not_drafter: {
    vi: 'Bạn không có quyền {actionVi}: chỉ người soạn thảo dự thảo này mới được làm việc này.',
    en: 'You may not {actionEn}: only the drafter of this draft may.',
  },
  forbidden_not_designated_signer: {
    vi: 'Bạn không có quyền ký văn bản: văn bản đã được trình cho người khác ký.',
    en: 'You may not sign the document: it was submitted to another signer.',
  },
  forbidden_not_handler: {
    vi: 'Bạn không có quyền {actionVi}: văn bản được giao cho người hoặc đơn vị khác xử lý.',
    en: 'You may not {actionEn}: the document is assigned to another person or unit.',
  },
  forbidden_other_unit: {
    vi: 'Bạn không có quyền {actionVi}: văn bản được giao cho đơn vị {unitCode}, không phải đơn vị bạn phụ trách.',
    en: 'You may not {actionEn}: the document is assigned to unit {unitCode}, which you do not lead.',
  },
  forbidden_not_sender: {
    vi: 'Bạn không có quyền {actionVi}: chỉ cơ quan gửi ({orgName}) mới được làm việc này.',
    en: 'You may not {actionEn}: only the sender, {orgName}, may.',
  },
  capacity_not_applicable: {
    vi: 'Tư cách ký "{capacity}" không áp dụng cho {orgName}: chỉ cơ quan làm việc theo chế độ tập thể mới ký "TM.".',
    en: 'The signing capacity "{capacity}" does not apply to {orgName}: only a collective body signs "TM.".',
  },
  capacity_not_entitled: {
    vi: 'Bạn không có quyền ký với tư cách "{capacity}": tư cách này dành cho {holderVi} của {orgName}.',
    en: 'You may not sign as "{capacity}": that capacity belongs to the {holderEn} of {orgName}.',
  },
  capacity_no_delegation: {
    vi: 'Bạn không có quyền ký "{capacity}": bạn không được {orgName} giao ký {capacity} bằng văn bản còn hiệu lực cho loại văn bản này.',
    en: 'You may not sign "{capacity}": you hold no {capacity} assignment from {orgName} that is in force and covers this type of document.',
  },
  outgoing_exists: { vi: 'Văn bản {documentId} đã tồn tại.', en: 'Document {documentId} already exists.' },
  outgoing_cannot_revise: {
    vi: 'Không thể sửa văn bản khi văn bản đang ở trạng thái {stateVi}; chỉ sửa được dự thảo.',
    en: 'Cannot revise the document while it is {stateEn}; only a draft can be revised.',
  },
  outgoing_cannot_submit: {
    vi: 'Không thể trình văn bản khi văn bản đang ở trạng thái {stateVi}; chỉ trình được dự thảo.',
    en: 'Cannot submit the document while it is {stateEn}; only a draft can be submitted for review.',
  },
  outgoing_cannot_approve: {
    vi: 'Không thể duyệt văn bản khi văn bản đang ở trạng thái {stateVi}; chỉ duyệt được văn bản đang xem xét.',
    en: 'Cannot approve the document while it is {stateEn}; only a document under review can be approved.',
  },
  outgoing_cannot_return_for_revision: {
    vi: 'Không thể trả lại văn bản để sửa khi văn bản đang ở trạng thái {stateVi}; chỉ trả lại được văn bản đang xem xét hoặc đang trình ký.',
    en: 'Cannot return the document for revision while it is {stateEn}; only a document under review or awaiting signature can be returned.',
  },
  outgoing_cannot_sign: {
    vi: 'Không thể ký văn bản khi văn bản đang ở trạng thái {stateVi}; văn bản phải được duyệt và trình ký trước.',
    en: 'Cannot sign the document while it is {stateEn}; it must be approved and submitted for signature first.',
  },
  outgoing_cannot_issue: {
    vi: 'Không thể phát hành văn bản khi văn bản đang ở trạng thái {stateVi}; chỉ phát hành văn bản đã ký và chưa phát hành.',
    en: 'Cannot issue the document while it is {stateEn}; only a signed document that has not been issued can be issued.',
  },
  outgoing_cannot_send: {
    vi: 'Không thể gửi văn bản khi văn bản đang ở trạng thái {stateVi}; chỉ gửi được văn bản đã phát hành.',
    en: 'Cannot send the document while it is {stateEn}; only an issued document can be sent.',
  },
  outgoing_cannot_archive: {
    vi: 'Không thể lưu hồ sơ văn bản khi văn bản đang ở trạng thái {stateVi}; chỉ lưu hồ sơ văn bản đã gửi.',
    en: 'Cannot archive the document while it is {stateEn}; only a sent document can be archived.',
  },
  outgoing_cannot_recall: {
    vi: 'Không thể thu hồi văn bản khi văn bản đang ở trạng thái {stateVi}; chỉ thu hồi được văn bản đã phát hành.',
    en: 'Cannot recall the document while it is {stateEn}; only an issued document can be recalled.',
  },
  outgoing_cannot_replace: {
    vi: 'Không thể thay thế văn bản khi văn bản đang ở trạng thái {stateVi}; chỉ thay thế được văn bản đã phát hành.',
    en: 'Cannot replace the document while it is {stateEn}; only an issued document can be replaced.',
  },
  replacement_is_self: {
    vi: 'Văn bản không thể thay thế chính nó.',
    en: 'A document cannot replace itself.',
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
    vi: 'Nơi nhận "{id}" không có trong danh bạ.',
    en: 'There is no recipient "{id}" in the directory.',
  },
  recipient_is_sender: {
    vi: '{orgName} không thể gửi văn bản cho chính mình.',
    en: '{orgName} cannot send a document to itself.',
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
    vi: 'Không thể chuyển văn bản đến nơi nhận khi văn bản đang ở trạng thái {stateVi}; chỉ văn bản đã gửi mới đến được nơi nhận.',
    en: 'Cannot deliver the document while it is {stateEn}; only a sent document can arrive.',
  },
  incoming_cannot_return: {
    vi: 'Không thể trả lại văn bản đến khi văn bản đang ở trạng thái {stateVi}; chỉ trả lại được văn bản mới đến, chưa vào sổ.',
    en: 'Cannot return the incoming document while it is {stateEn}; only a document that has arrived and is not registered can be returned.',
  },
  incoming_cannot_register: {
    vi: 'Không thể vào sổ văn bản đến khi văn bản đang ở trạng thái {stateVi}; chỉ vào sổ văn bản mới đến.',
    en: 'Cannot register the incoming document while it is {stateEn}; only a newly arrived document can be registered.',
  },
  incoming_cannot_present: {
    vi: 'Không thể trình văn bản đến khi văn bản đang ở trạng thái {stateVi}; chỉ trình được văn bản đã vào sổ.',
    en: 'Cannot present the incoming document while it is {stateEn}; only a registered document can be presented.',
  },
  incoming_cannot_assign: {
    vi: 'Không thể phân công xử lý khi văn bản đến đang ở trạng thái {stateVi}; chỉ phân công văn bản đã trình lãnh đạo.',
    en: 'Cannot assign the incoming document while it is {stateEn}; only a document presented to the leader can be assigned.',
  },
  incoming_cannot_reassign: {
    vi: 'Không thể giao lại việc xử lý khi văn bản đến đang ở trạng thái {stateVi}; chỉ giao lại văn bản đã phân công hoặc đang xử lý.',
    en: 'Cannot reassign the incoming document while it is {stateEn}; only an assigned document or one in progress can be reassigned.',
  },
  incoming_cannot_start: {
    vi: 'Không thể bắt đầu xử lý khi văn bản đến đang ở trạng thái {stateVi}; chỉ bắt đầu xử lý văn bản đã phân công.',
    en: 'Cannot start handling the incoming document while it is {stateEn}; only an assigned document can be started.',
  },
  incoming_cannot_resolve: {
    vi: 'Không thể hoàn thành xử lý khi văn bản đến đang ở trạng thái {stateVi}; chỉ hoàn thành văn bản đang xử lý.',
    en: 'Cannot resolve the incoming document while it is {stateEn}; only a document in progress can be resolved.',
  },
  incoming_cannot_forward: {
    vi: 'Không thể chuyển tiếp văn bản đến khi văn bản đang ở trạng thái {stateVi}; chỉ chuyển tiếp văn bản đã vào sổ và chưa giải quyết xong.',
    en: 'Cannot forward the incoming document while it is {stateEn}; only a registered document that is not resolved can be forwarded.',
  },
  incoming_cannot_recall: {
    vi: 'Không thể thu hồi văn bản tại nơi nhận khi văn bản đang ở trạng thái {stateVi}; văn bản đã trả lại hoặc đã thu hồi thì không cần thu hồi.',
    en: 'Cannot recall the delivered document while it is {stateEn}; a returned or already recalled document needs no recall.',
  },
  incoming_signatures_invalid: {
    vi: 'Không thể vào sổ: chữ ký số trên văn bản không hợp lệ ({detail}). Hãy trả lại văn bản cho nơi gửi.',
    en: 'Cannot register: a digital signature on the document is not valid ({detail}). Return it to the sender.',
  },
  forward_target_invalid: {
    vi: 'Không thể chuyển tiếp văn bản cho {orgName}.',
    en: 'The document cannot be forwarded to {orgName}.',
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
  // --- Officials' signature images (lambdas/core/domain/signature-image.ts) --------------------------------
  signature_image_not_yours: {
    vi: 'Bạn chỉ xem và thay được ảnh chữ ký của chính mình.',
    en: 'You can only view and replace your own signature image.',
  },
  signature_image_upload_missing: {
    vi: 'Chưa có ảnh chữ ký được tải lên theo mã này; hãy tải ảnh lên địa chỉ đã cấp rồi thử lại.',
    en: 'No signature image has been uploaded under this id; upload it to the URL given, then try again.',
  },
  signature_image_too_large: {
    vi: 'Ảnh chữ ký quá lớn: {size} byte (tối đa {limit} byte).',
    en: 'The signature image is too large: {size} bytes (at most {limit}).',
  },
  signature_image_not_png: {
    vi: 'Tệp không phải ảnh PNG. Ảnh chữ ký phải là tệp .png nền trong suốt.',
    en: 'The file is not a PNG image. A signature image must be a .png file with a transparent background.',
  },
  signature_image_damaged: {
    vi: 'Ảnh PNG bị hỏng hoặc chưa tải lên hết: {detail}',
    en: 'The PNG image is damaged or incompletely uploaded: {detail}',
  },
  signature_image_unsupported: {
    vi: 'Chưa hỗ trợ kiểu ảnh PNG này ({detail}); hãy lưu lại ảnh ở dạng PNG 8 bit thông thường, không xen kẽ (interlace).',
    en: 'This kind of PNG is not supported ({detail}); save the image again as an ordinary 8-bit, non-interlaced PNG.',
  },
  signature_image_dimensions: {
    vi: 'Ảnh chữ ký có kích thước {width}×{height} điểm ảnh; cần rộng từ {minWidth} đến {maxWidth} và cao từ {minHeight} đến {maxHeight} điểm ảnh.',
    en: 'The signature image is {width}×{height} pixels; it must be {minWidth} to {maxWidth} wide and {minHeight} to {maxHeight} high.',
  },
  signature_image_not_transparent: {
    vi: 'Ảnh chữ ký phải có nền trong suốt (Nghị định 30/2020/NĐ-CP, Phụ lục I); ảnh này chỉ có {percent}% điểm ảnh trong suốt, nền sẽ che nội dung văn bản.',
    en: 'A signature image must have a transparent background (Decree 30/2020, Appendix I); only {percent}% of this one is transparent, so it would hide the text beneath.',
  },
  signature_image_empty: {
    vi: 'Ảnh không có nét chữ ký nào (gần như trong suốt hoàn toàn).',
    en: 'The image shows no signature (it is almost entirely transparent).',
  },
  signature_image_not_blue: {
    vi: 'Chữ ký trên ảnh phải màu xanh (Nghị định 30/2020/NĐ-CP, Phụ lục I); màu trung bình của nét chữ ký là {color}.',
    en: 'The signature must be in blue ink (Decree 30/2020, Appendix I); the strokes average {color}.',
  },
  // --- Sole control of signatures (lambdas/core/signing, docs/SECURITY.md) -------------------------------
  signature_request_unknown: {
    vi: 'Không có yêu cầu ký {id} nào đang chờ bạn xác nhận.',
    en: 'There is no signature request {id} waiting for your authorization.',
  },
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
  authenticator_not_yours: {
    vi: 'Bạn chỉ quản lý được phương thức xác thực của chính mình.',
    en: 'You can only manage your own authenticators.',
  },
  totp_code_invalid: {
    vi: 'Mã xác thực không đúng hoặc đã được dùng; hãy nhập mã mới trong ứng dụng.',
    en: 'The authenticator code is wrong or was already used; enter a new code from the app.',
  },
  seal_not_yours: {
    vi: 'Chỉ văn thư của {orgName} được xác nhận đóng dấu của cơ quan.',
    en: "Only a clerk of {orgName} may authorize the organisation's seal.",
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

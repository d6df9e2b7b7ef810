import { createContext, useContext } from 'react';
import type { DeliveryStatus } from '../../lambdas/core/domain/delivery';
import type { DocumentTypeId, Urgency } from '../../lambdas/core/domain/document-types';
import type { EventType } from '../../lambdas/core/domain/events';
import type { IncomingState, OutgoingState } from '../../lambdas/core/domain/states';
import { defineMessages, type Language, type Translation } from '../../lambdas/core/i18n/catalogue';

export type { Language };

/**
 * What the web shows, in Vietnamese first and English on request, in the same catalogue shape as the
 * server's messages (lambdas/core/i18n): one entry per key with both texts, rendered by the same function.
 * Domain names (states, types, urgencies, events) are typed against the server's own enums, so a new state
 * cannot go unnamed.
 */
const UI = {
  appName: { vi: 'docflow', en: 'docflow' },
  appTagline: { vi: 'Văn bản điện tử', en: 'Official documents' },
  skipToContent: { vi: 'Bỏ qua, đến nội dung chính', en: 'Skip to main content' },
  language: { vi: 'Ngôn ngữ', en: 'Language' },
  switchLanguage: { vi: 'English', en: 'Tiếng Việt' },
  switchLanguageLabel: { vi: 'Switch to English', en: 'Chuyển sang tiếng Việt' },
  signOut: { vi: 'Đăng xuất', en: 'Sign out' },
  signInTitle: { vi: 'Đăng nhập', en: 'Sign in' },
  signInIntro: {
    vi: 'Hệ thống ký số và luân chuyển văn bản điện tử của thành phố Hà Nội (Nghị định 30/2020/NĐ-CP).',
    en: "Hanoi's e-signing and circulation of official documents (Decree 30/2020/ND-CP).",
  },
  signInDemo: {
    vi: 'Bản chạy thử trên máy: chọn một người dùng mẫu để đăng nhập.',
    en: 'Local demo: pick a demo user to sign in.',
  },
  signInAs: { vi: 'Đăng nhập với tư cách {name}, {title}, {org}', en: 'Sign in as {name}, {title}, {org}' },
  signInSearch: { vi: 'Tìm người dùng hoặc đơn vị', en: 'Find a user or organisation' },
  signInCognito: { vi: 'Đăng nhập bằng tài khoản công vụ', en: 'Sign in with your government account' },
  signInRedirecting: { vi: 'Đang chuyển đến trang đăng nhập…', en: 'Taking you to the sign-in page…' },
  signingIn: { vi: 'Đang đăng nhập…', en: 'Signing in…' },
  signInFailed: {
    vi: 'Đăng nhập không thành công. Vui lòng đăng nhập lại.',
    en: 'Sign-in did not succeed. Please sign in again.',
  },
  sessionExpired: {
    vi: 'Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.',
    en: 'Your session has expired. Please sign in again.',
  },
  loading: { vi: 'Đang tải…', en: 'Loading…' },
  retry: { vi: 'Thử lại', en: 'Try again' },
  close: { vi: 'Đóng', en: 'Close' },
  cancel: { vi: 'Hủy', en: 'Cancel' },
  back: { vi: 'Quay lại', en: 'Back' },
  none: { vi: 'Không có', en: 'None' },
  mainNav: { vi: 'Thư mục văn bản', en: 'Document folders' },
  folder_incoming: { vi: 'Văn bản đến', en: 'Incoming' },
  folder_outgoing: { vi: 'Văn bản đi', en: 'Outgoing' },
  folder_drafts: { vi: 'Dự thảo', en: 'Drafts' },
  'folder_to-sign': { vi: 'Chờ ký', en: 'To sign' },
  folder_assigned: { vi: 'Được giao xử lý', en: 'Assigned to me' },
  folderCount: { vi: '{count} văn bản', en: '{count} documents' },
  newDraft: { vi: 'Soạn dự thảo', en: 'New draft' },
  audit: { vi: 'Kiểm tra chữ ký', en: 'Verify signatures' },
  search: { vi: 'Tìm theo số, ký hiệu hoặc trích yếu', en: 'Search by number, symbol or subject' },
  searchHint: {
    vi: 'Số, ký hiệu, trích yếu hoặc số đến; gõ có dấu hay không dấu đều được.',
    en: 'Number, symbol, subject or arrival number, with or without accents.',
  },
  emptyFolder: { vi: 'Chưa có văn bản nào trong thư mục này.', en: 'No documents in this folder yet.' },
  noMatch: { vi: 'Không có văn bản nào khớp với “{query}”.', en: 'Nothing matches “{query}”.' },
  searchedThrough: {
    vi: 'Đã tìm đến các văn bản cập nhật lúc {time}; bấm “Trang sau” để tìm tiếp.',
    en: 'Searched back to documents updated at {time}; “Next page” searches further.',
  },
  nextPage: { vi: 'Trang sau', en: 'Next page' },
  firstPage: { vi: 'Trang đầu', en: 'First page' },
  pageInfo: { vi: 'Trang {page} · {count}/{total} văn bản', en: 'Page {page} · {count}/{total} documents' },
  colNumber: { vi: 'Số, ký hiệu', en: 'Number, symbol' },
  colSubject: { vi: 'Trích yếu', en: 'Subject' },
  colType: { vi: 'Loại', en: 'Type' },
  colUrgency: { vi: 'Độ khẩn', en: 'Urgency' },
  colState: { vi: 'Trạng thái', en: 'Status' },
  colDeadline: { vi: 'Hạn xử lý', en: 'Deadline' },
  colUpdated: { vi: 'Cập nhật', en: 'Updated' },
  colFrom: { vi: 'Nơi gửi', en: 'From' },
  arrivalNo: { vi: 'Số đến {n}', en: 'Arrival no. {n}' },
  noNumber: { vi: 'Chưa có số', en: 'Not numbered yet' },
  overdue: { vi: 'Quá hạn {days} ngày', en: '{days} days overdue' },
  dueToday: { vi: 'Hạn hôm nay', en: 'Due today' },
  dueIn: { vi: 'Còn {days} ngày', en: '{days} days left' },
  deadlineOn: { vi: 'Hạn {date}', en: 'Due {date}' },
  // Document view
  docMeta: { vi: 'Thông tin văn bản', en: 'Document details' },
  fieldSymbol: { vi: 'Số, ký hiệu', en: 'Number, symbol' },
  fieldDate: { vi: 'Ngày ban hành', en: 'Issued on' },
  fieldType: { vi: 'Loại văn bản', en: 'Type' },
  fieldSubject: { vi: 'Trích yếu', en: 'Subject' },
  fieldUrgency: { vi: 'Độ khẩn', en: 'Urgency' },
  fieldSigner: { vi: 'Người ký', en: 'Signed by' },
  signerPending: { vi: '{name} — chưa ký', en: '{name} — not signed yet' },
  fieldIssuer: { vi: 'Cơ quan ban hành', en: 'Issued by' },
  fieldRecipients: { vi: 'Nơi nhận', en: 'Recipients' },
  fieldPages: { vi: 'Số trang', en: 'Pages' },
  fieldArrival: { vi: 'Số đến, ngày đến', en: 'Arrival number, date' },
  fieldDrafter: { vi: 'Người soạn', en: 'Drafted by' },
  fieldState: { vi: 'Trạng thái', en: 'Status' },
  fieldYourState: { vi: 'Tình trạng tại đơn vị', en: 'Status here' },
  fieldAssignment: { vi: 'Phân công', en: 'Assignment' },
  fieldDeadline: { vi: 'Hạn xử lý', en: 'Deadline' },
  fieldNote: { vi: 'Ý kiến chỉ đạo', en: 'Direction' },
  fieldLead: { vi: 'Chủ trì', en: 'Lead' },
  fieldSupport: { vi: 'Phối hợp', en: 'Supporting' },
  fieldInfo: { vi: 'Để biết', en: 'For information' },
  recipientsCount: { vi: '{count} đơn vị', en: '{count} organisations' },
  preview: { vi: 'Bản xem trước', en: 'Preview' },
  pdfLoading: { vi: 'Đang hiển thị văn bản…', en: 'Rendering the document…' },
  pdfPage: { vi: 'Trang {page}/{pages} của văn bản', en: 'Page {page} of {pages} of the document' },
  pdfDownload: { vi: 'Tải tệp PDF', en: 'Download PDF' },
  pdfNone: { vi: 'Chưa có tệp văn bản.', en: 'No file yet.' },
  pdfError: { vi: 'Không hiển thị được tệp PDF: {message}', en: 'Could not display the PDF: {message}' },
  signatures: { vi: 'Chữ ký số', en: 'Digital signatures' },
  signaturesNone: { vi: 'Văn bản chưa được ký.', en: 'Not signed yet.' },
  sigPerson: { vi: 'Chữ ký cá nhân', en: 'Personal signature' },
  sigOrganisation: { vi: 'Chữ ký của cơ quan (con dấu)', en: "Organisation's signature (seal)" },
  sigAt: { vi: 'Ký lúc {time}', en: 'Signed {time}' },
  sigAppliedBy: { vi: 'Văn thư đóng dấu: {name}', en: 'Sealed by clerk: {name}' },
  sigValid: { vi: 'Hợp lệ', en: 'Valid' },
  sigInvalid: { vi: 'Không hợp lệ', en: 'Invalid' },
  sigModified: { vi: 'Văn bản đã bị sửa sau khi ký', en: 'Changed after signing' },
  sigUnchecked: { vi: 'Chưa kiểm tra', en: 'Not verified' },
  sigUncheckedWhy: {
    vi: 'Máy chủ chưa có dịch vụ kiểm tra chữ ký; chưa thể khẳng định hợp lệ.',
    en: 'The server has no signature verification yet; validity cannot be confirmed.',
  },
  sigCert: { vi: 'Chứng thư: {cn}', en: 'Certificate: {cn}' },
  sigTimestamp: { vi: 'Dấu thời gian: {time}', en: 'Timestamp: {time}' },
  sigReasons: { vi: 'Lý do', en: 'Why' },
  sigChecks: { vi: 'Kiểm tra', en: 'Checks' },
  checkDigest: { vi: 'Nội dung còn nguyên như lúc ký', en: 'Content exactly as signed' },
  checkSignature: { vi: 'Chữ ký khớp khóa công khai', en: 'Signature matches the public key' },
  checkChain: {
    vi: 'Chứng thư thuộc tổ chức chứng thực tin cậy',
    en: 'Certificate chains to a trusted authority',
  },
  checkTime: { vi: 'Chứng thư còn hiệu lực lúc ký', en: 'Certificate valid at signing time' },
  checkRevocation: { vi: 'Chứng thư chưa bị thu hồi', en: 'Certificate not revoked' },
  deliveries: { vi: 'Tình hình nhận văn bản', en: 'Recipients’ status' },
  deliveriesFilter: { vi: 'Lọc theo tên đơn vị', en: 'Filter by organisation' },
  deliveriesSummary: {
    vi: '{done}/{total} đơn vị đã tiếp nhận',
    en: '{done}/{total} organisations have accepted it',
  },
  timeline: { vi: 'Quá trình luân chuyển', en: 'Circulation trail' },
  timelineRepeat: { vi: '{count} lần', en: '{count} times' },
  chainValid: {
    vi: 'Nhật ký nguyên vẹn ({count} sự kiện, chuỗi băm khớp).',
    en: 'Trail intact ({count} events, hash chain verified).',
  },
  chainInvalid: {
    vi: 'Nhật ký bị thay đổi tại sự kiện {seq}: {message}',
    en: 'Trail altered at event {seq}: {message}',
  },
  actions: { vi: 'Thao tác', en: 'Actions' },
  noActions: {
    vi: 'Bạn không có thao tác nào với văn bản ở trạng thái này.',
    en: 'You have no action on this document in its current status.',
  },
  done: { vi: 'Đã thực hiện: {what}.', en: 'Done: {what}.' },
  // Actions
  act_upload: { vi: 'Tải lên tệp dự thảo', en: 'Upload the draft file' },
  act_replace: { vi: 'Thay tệp dự thảo', en: 'Replace the draft file' },
  act_submit: { vi: 'Trình duyệt', en: 'Submit for review' },
  act_approve: { vi: 'Duyệt, trình ký', en: 'Approve and submit to signer' },
  act_returnDraft: { vi: 'Trả lại dự thảo', en: 'Return the draft' },
  act_sign: { vi: 'Ký số', en: 'Sign' },
  act_issue: { vi: 'Cấp số, đóng dấu, phát hành', en: 'Number, seal and issue' },
  act_send: { vi: 'Gửi văn bản', en: 'Send' },
  act_recall: { vi: 'Thu hồi văn bản', en: 'Recall' },
  act_register: { vi: 'Vào sổ văn bản đến', en: 'Register as incoming' },
  act_returnToSender: { vi: 'Trả lại nơi gửi', en: 'Return to sender' },
  act_assign: { vi: 'Phân công xử lý', en: 'Assign' },
  act_start: { vi: 'Bắt đầu xử lý', en: 'Start handling' },
  act_resolve: { vi: 'Hoàn thành xử lý', en: 'Mark as resolved' },
  act_forward: { vi: 'Chuyển đơn vị khác', en: 'Forward to another organisation' },
  confirm: { vi: 'Xác nhận', en: 'Confirm' },
  working: { vi: 'Đang thực hiện…', en: 'Working…' },
  reason: { vi: 'Lý do', en: 'Reason' },
  reasonHint: {
    vi: 'Lý do sẽ được gửi kèm và ghi vào nhật ký.',
    en: 'The reason is sent along and kept in the trail.',
  },
  reasonRequired: { vi: 'Nhập lý do trước khi gửi.', en: 'Enter a reason first.' },
  leadRequired: { vi: 'Chọn người chủ trì xử lý.', en: 'Choose who leads the handling.' },
  deadlineRequired: { vi: 'Chọn hạn xử lý.', en: 'Choose a deadline.' },
  noteRequired: { vi: 'Nhập ý kiến chỉ đạo.', en: 'Enter the direction note.' },
  subjectRequired: { vi: 'Nhập trích yếu nội dung của văn bản.', en: "Enter the document's subject." },
  note: { vi: 'Ghi chú', en: 'Note' },
  signer: { vi: 'Người ký', en: 'Signer' },
  signerAny: { vi: 'Lãnh đạo có thẩm quyền (chưa chỉ định)', en: 'Any competent leader (not named)' },
  capacity: { vi: 'Thẩm quyền ký', en: 'Signing capacity' },
  capacityAuto: { vi: 'Theo chức vụ (hệ thống tự xác định)', en: 'From my position (decided by the system)' },
  capacity_own: { vi: 'Ký theo thẩm quyền của mình', en: 'On my own authority' },
  capacity_TM: { vi: 'TM. — thay mặt tập thể', en: 'TM. — on behalf of the collective body' },
  capacity_KT: { vi: 'KT. — ký thay người đứng đầu', en: 'KT. — deputy signing for the head' },
  capacity_Q: { vi: 'Q. — quyền người đứng đầu', en: 'Q. — acting head' },
  capacity_TL: { vi: 'TL. — thừa lệnh người đứng đầu', en: 'TL. — by order of the head' },
  capacity_TUQ: { vi: 'TUQ. — thừa ủy quyền người đứng đầu', en: 'TUQ. — by authorisation of the head' },
  onBehalfOfCollective: {
    vi: 'Đồng thời thay mặt tập thể (TM. Ủy ban nhân dân)',
    en: 'Also on behalf of the collective body (TM. People’s Committee)',
  },
  signWarning: {
    vi: 'Chữ ký số của bạn sẽ được gắn vào văn bản bằng khóa riêng của bạn. Không thể hoàn tác.',
    en: 'Your digital signature is applied with your own private key. This cannot be undone.',
  },
  issueWarning: {
    vi: 'Hệ thống cấp số và ngày ban hành, ghi vào sổ văn bản đi và đóng dấu số của cơ quan lên văn bản.',
    en: "The system assigns the number and date, enters it in the outgoing register and applies the organisation's seal.",
  },
  sendTo: { vi: 'Nơi nhận', en: 'Recipients' },
  groupWards: { vi: 'Tất cả phường, xã', en: 'All wards and communes' },
  groupDepartments: { vi: 'Tất cả sở, ngành', en: 'All departments' },
  orgSearch: { vi: 'Tìm đơn vị theo tên', en: 'Find an organisation by name' },
  orgSelected: { vi: 'Đã chọn {count}', en: '{count} selected' },
  orgNoneSelected: { vi: 'Chưa chọn nơi nhận nào.', en: 'No recipient selected.' },
  orgMore: { vi: 'Còn {count} đơn vị khác; gõ để tìm.', en: '{count} more; type to search.' },
  removeRecipient: { vi: 'Bỏ {name}', en: 'Remove {name}' },
  registerHint: {
    vi: 'Hệ thống cấp số đến và trình văn bản cho người đứng đầu.',
    en: 'The system assigns the arrival number and presents the document to the head.',
  },
  lead: { vi: 'Chủ trì xử lý', en: 'Lead' },
  support: { vi: 'Phối hợp', en: 'Supporting' },
  info: { vi: 'Để biết', en: 'For information' },
  deadline: { vi: 'Hạn xử lý', en: 'Deadline' },
  directionNote: { vi: 'Ý kiến chỉ đạo (bút phê)', en: 'Direction note' },
  choosePerson: { vi: '— Chọn người —', en: '— Choose a person —' },
  forwardTo: { vi: 'Chuyển đến đơn vị', en: 'Forward to' },
  replyId: { vi: 'Mã văn bản trả lời (nếu có)', en: 'Reply document id (optional)' },
  resolveNote: { vi: 'Kết quả xử lý', en: 'Outcome' },
  // Drafting
  draftTitle: { vi: 'Soạn dự thảo văn bản', en: 'New draft' },
  draftSubject: { vi: 'Trích yếu nội dung', en: 'Subject' },
  draftSubjectHint: {
    vi: 'Tối đa 500 ký tự, ví dụ: “Về việc triển khai …”.',
    en: 'At most 500 characters, e.g. “On implementing …”.',
  },
  draftType: { vi: 'Loại văn bản', en: 'Document type' },
  draftUrgency: { vi: 'Độ khẩn', en: 'Urgency' },
  draftFile: { vi: 'Tệp dự thảo (PDF)', en: 'Draft file (PDF)' },
  chooseFile: { vi: 'Chọn tệp', en: 'Choose a file' },
  noFileChosen: { vi: 'Chưa chọn tệp nào', en: 'No file chosen' },
  showAllDeliveries: { vi: 'Xem tất cả {count} đơn vị', en: 'Show all {count} organisations' },
  deadlineIs: { vi: 'Hạn xử lý: {date} ({weekday})', en: 'Deadline: {date} ({weekday})' },
  draftFileHint: { vi: 'Tệp PDF, tối đa 64 MB.', en: 'A PDF file, at most 64 MB.' },
  draftCreate: { vi: 'Tạo dự thảo và tải tệp lên', en: 'Create the draft and upload' },
  uploading: { vi: 'Đang tải lên… {percent}%', en: 'Uploading… {percent}%' },
  uploadDone: { vi: 'Đã tải lên và kiểm tra tệp.', en: 'Uploaded and checked.' },
  fileRequired: { vi: 'Chọn tệp PDF của dự thảo.', en: 'Choose the draft PDF.' },
  fileNotPdf: { vi: 'Tệp phải là PDF.', en: 'The file must be a PDF.' },
  fileTooLarge: { vi: 'Tệp lớn hơn giới hạn cho phép.', en: 'The file is larger than allowed.' },
  // Audit
  auditTitle: { vi: 'Kiểm tra chữ ký số', en: 'Verify digital signatures' },
  auditIntro: {
    vi: 'Kiểm tra mọi chữ ký trên văn bản: khóa, chứng thư, tổ chức chứng thực, thời điểm ký, tình trạng thu hồi và nội dung sau khi ký.',
    en: 'Checks every signature on a document: key, certificate, trusted authority, signing time, revocation, and changes after signing.',
  },
  auditDocId: { vi: 'Mã văn bản', en: 'Document id' },
  auditOpen: { vi: 'Mở và kiểm tra', en: 'Open and verify' },
  auditReport: { vi: 'Kết quả kiểm tra', en: 'Verification report' },
  auditDocValid: {
    vi: 'Văn bản hợp lệ: mọi chữ ký và nhật ký đều đúng',
    en: 'Document valid: every signature and the trail check out',
  },
  auditDocInvalid: { vi: 'Văn bản KHÔNG hợp lệ', en: 'Document NOT valid' },
  verifying: { vi: 'Đang kiểm tra chữ ký…', en: 'Verifying signatures…' },
  auditRevisions: { vi: 'Các phiên bản tệp', en: 'File versions' },
  revision: { vi: 'Phiên bản {n}', en: 'Version {n}' },
  revRole_draft: { vi: 'Dự thảo', en: 'Draft' },
  revRole_signed: { vi: 'Sau khi ký', en: 'After signing' },
  revRole_issued: { vi: 'Ban hành (số, dấu)', en: 'Issued (number, seal)' },
  revRole_other: { vi: 'Khác', en: 'Other' },
  revFile_ok: { vi: 'Tệp nguyên vẹn', en: 'File intact' },
  revFile_missing: { vi: 'Thiếu tệp', en: 'File missing' },
  revFile_altered: { vi: 'Tệp bị thay đổi', en: 'File altered' },
  revFile_unreadable: { vi: 'Không đọc được', en: 'Unreadable' },
  auditTransparency: {
    vi: 'Sổ cái minh bạch: {included}/{events} sự kiện đã được ghi nhận.',
    en: 'Transparency log: {included}/{events} events recorded.',
  },
  auditSummary: { vi: 'Báo cáo chi tiết', en: 'Full report' },
  auditEvidence: { vi: 'Tải gói chứng cứ (ZIP)', en: 'Download the evidence package (ZIP)' },
  auditEvidenceHint: {
    vi: 'Gồm mọi phiên bản tệp, nhật ký, chứng thư, danh sách thu hồi và báo cáo; kiểm tra lại được khi không có hệ thống.',
    en: 'Every file version, the trail, certificates, revocation lists and the report; re-checkable without the system.',
  },
  auditVerdict_valid: { vi: 'Mọi chữ ký hợp lệ', en: 'Every signature is valid' },
  auditVerdict_invalid: { vi: 'Có chữ ký không hợp lệ', en: 'A signature is invalid' },
  auditVerdict_modified: { vi: 'Văn bản đã bị sửa sau khi ký', en: 'Changed after signing' },
  auditVerdict_unsigned: { vi: 'Văn bản không có chữ ký', en: 'The file has no signature' },
  auditUpload: { vi: 'Kiểm tra một tệp PDF', en: 'Verify a PDF file' },
  auditUploadHint: {
    vi: 'Chọn tệp PDF đã ký để kiểm tra độc lập với hệ thống.',
    en: 'Choose a signed PDF to verify it on its own.',
  },
  auditUploadRun: { vi: 'Kiểm tra tệp', en: 'Verify the file' },
  auditUnavailable: {
    vi: 'Máy chủ chưa có dịch vụ kiểm tra chữ ký. Danh sách dưới đây là chữ ký đã ghi nhận, chưa phải kết quả kiểm tra.',
    en: 'The server has no signature verification yet. The list below is the signatures recorded, not a verification result.',
  },
  auditUploadUnavailable: {
    vi: 'Máy chủ chưa có dịch vụ kiểm tra tệp tải lên.',
    en: 'The server cannot verify uploaded files yet.',
  },
  auditCheckedAt: { vi: 'Kiểm tra lúc {time}', en: 'Checked {time}' },
  auditFile: { vi: 'Tệp: {size} · {revisions} lần lưu', en: 'File: {size} · {revisions} revisions' },
  auditRecent: { vi: 'Văn bản của đơn vị', en: "Your organisation's documents" },
  auditIssued: { vi: 'Văn bản đã ban hành (mọi cơ quan)', en: 'Issued documents (every organisation)' },
  auditSearch: {
    vi: 'Lọc theo số, trích yếu, người ký hoặc cơ quan',
    en: 'Filter by number, subject, signer or organisation',
  },
  auditUploadFile: { vi: 'Tệp PDF đã ký', en: 'Signed PDF file' },
  openDocument: { vi: 'Mở văn bản, xem quá trình luân chuyển', en: 'Open the document and its trail' },
  notFoundDoc: { vi: 'Không tìm thấy văn bản.', en: 'Document not found.' },
  // Profile and signature image
  profileLink: { vi: 'Thông tin cá nhân và chữ ký của {name}', en: 'Profile and signature of {name}' },
  profileTitle: { vi: 'Thông tin cá nhân', en: 'My profile' },
  profileName: { vi: 'Họ và tên', en: 'Name' },
  profilePosition: { vi: 'Chức vụ', en: 'Position' },
  profileOrganisation: { vi: 'Cơ quan', en: 'Organisation' },
  mySignature: { vi: 'Chữ ký của tôi', en: 'My signature' },
  mySignatureIntro: {
    vi: 'Ảnh chữ ký được in giữa chức vụ và họ tên trên văn bản bạn ký số (Nghị định 30/2020/NĐ-CP, Phụ lục I).',
    en: 'Your signature image is printed between your title and your name on documents you sign (Decree 30/2020, Appendix I).',
  },
  mySignatureNone: {
    vi: 'Bạn chưa có ảnh chữ ký: văn bản bạn ký chỉ có chức vụ và họ tên.',
    en: 'You have no signature image yet: documents you sign show only your title and name.',
  },
  mySignatureAlt: { vi: 'Ảnh chữ ký hiện dùng của {name}', en: 'Signature image of {name} in use' },
  mySignatureDetails: {
    vi: '{width} × {height} điểm ảnh · {size} · cập nhật {time}',
    en: '{width} × {height} pixels · {size} · updated {time}',
  },
  mySignatureFile: { vi: 'Ảnh chữ ký mới (PNG)', en: 'New signature image (PNG)' },
  mySignatureHint: {
    vi: 'Chữ ký màu xanh trên nền trong suốt, tệp .png tối đa {limit}, rộng 120–2400 và cao 40–1200 điểm ảnh.',
    en: 'A blue signature on a transparent background, a .png file of at most {limit}, 120–2400 pixels wide and 40–1200 high.',
  },
  mySignaturePreviewAlt: {
    vi: 'Xem trước ảnh chữ ký sẽ tải lên',
    en: 'Preview of the signature image to upload',
  },
  mySignatureUpload: { vi: 'Tải lên và dùng ảnh này', en: 'Upload and use this image' },
  mySignatureReplaceNote: {
    vi: 'Ảnh mới chỉ dùng cho các lần ký từ nay; văn bản đã ký giữ nguyên ảnh chữ ký lúc ký. Ảnh cũ vẫn được lưu làm chứng cứ.',
    en: 'A new image is used for signatures from now on; documents already signed keep the image they were signed with. The old image stays on record.',
  },
  mySignatureSaved: {
    vi: 'Đã cập nhật ảnh chữ ký. Các lần ký từ nay sẽ dùng ảnh này.',
    en: 'Signature image updated. Your signatures from now on use it.',
  },
  mySignatureUnchanged: {
    vi: 'Ảnh này đã là ảnh chữ ký hiện dùng; không có gì thay đổi.',
    en: 'This image is already your signature image; nothing changed.',
  },
  mySignatureNotPng: { vi: 'Hãy chọn một tệp ảnh PNG (.png).', en: 'Choose a PNG image file (.png).' },
  mySignatureFileRequired: {
    vi: 'Chọn ảnh chữ ký (.png) để tải lên.',
    en: 'Choose a signature image (.png) to upload.',
  },
  mySignatureTooLarge: { vi: 'Tệp ảnh lớn hơn {limit}.', en: 'The image file is larger than {limit}.' },
  mySignatureRemove: { vi: 'Gỡ ảnh chữ ký', en: 'Remove signature image' },
  mySignatureRemoveConfirm: {
    vi: 'Gỡ ảnh chữ ký này? Các lần ký từ nay chỉ có chức danh và họ tên; văn bản đã ký giữ nguyên ảnh lúc ký.',
    en: 'Remove this signature image? Signatures from now on show your title and name only; documents already signed keep the image they were signed with.',
  },
  mySignatureRemoveYes: { vi: 'Gỡ ảnh', en: 'Remove' },
  mySignatureRemoved: {
    vi: 'Đã gỡ ảnh chữ ký. Các lần ký từ nay không có ảnh chữ ký.',
    en: 'Signature image removed. Your signatures from now on have no image.',
  },
} as const satisfies Record<string, Translation>;

export type MessageKey = keyof typeof UI;

export type Translate = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;

// --- Domain names ------------------------------------------------------------------------------------------

export const DOC_TYPES = {
  'nghi-quyet': { vi: 'Nghị quyết', en: 'Resolution' },
  'quyet-dinh': { vi: 'Quyết định', en: 'Decision' },
  'chi-thi': { vi: 'Chỉ thị', en: 'Directive' },
  'quy-che': { vi: 'Quy chế', en: 'Regulation' },
  'quy-dinh': { vi: 'Quy định', en: 'Rules' },
  'thong-cao': { vi: 'Thông cáo', en: 'Communiqué' },
  'thong-bao': { vi: 'Thông báo', en: 'Notice' },
  'huong-dan': { vi: 'Hướng dẫn', en: 'Guidance' },
  'chuong-trinh': { vi: 'Chương trình', en: 'Programme' },
  'ke-hoach': { vi: 'Kế hoạch', en: 'Plan' },
  'phuong-an': { vi: 'Phương án', en: 'Scheme' },
  'de-an': { vi: 'Đề án', en: 'Project proposal' },
  'du-an': { vi: 'Dự án', en: 'Project' },
  'bao-cao': { vi: 'Báo cáo', en: 'Report' },
  'bien-ban': { vi: 'Biên bản', en: 'Minutes' },
  'to-trinh': { vi: 'Tờ trình', en: 'Submission' },
  'hop-dong': { vi: 'Hợp đồng', en: 'Contract' },
  'cong-van': { vi: 'Công văn', en: 'Official letter' },
  'cong-dien': { vi: 'Công điện', en: 'Official dispatch' },
  'ban-ghi-nho': { vi: 'Bản ghi nhớ', en: 'Memorandum' },
  'ban-thoa-thuan': { vi: 'Bản thỏa thuận', en: 'Agreement' },
  'giay-uy-quyen': { vi: 'Giấy ủy quyền', en: 'Authorisation' },
  'giay-moi': { vi: 'Giấy mời', en: 'Invitation' },
  'giay-gioi-thieu': { vi: 'Giấy giới thiệu', en: 'Letter of introduction' },
  'giay-nghi-phep': { vi: 'Giấy nghỉ phép', en: 'Leave permit' },
  'phieu-gui': { vi: 'Phiếu gửi', en: 'Dispatch slip' },
  'phieu-chuyen': { vi: 'Phiếu chuyển', en: 'Transfer slip' },
  'phieu-bao': { vi: 'Phiếu báo', en: 'Notification slip' },
} as const satisfies Record<DocumentTypeId, Translation>;

export const URGENCIES = {
  normal: { vi: 'Thường', en: 'Normal' },
  urgent: { vi: 'Khẩn', en: 'Urgent' },
  'very-urgent': { vi: 'Thượng khẩn', en: 'Very urgent' },
  flash: { vi: 'Hỏa tốc', en: 'Flash' },
  'flash-timed': { vi: 'Hỏa tốc hẹn giờ', en: 'Flash, timed' },
} as const satisfies Record<Urgency, Translation>;

const STATES = {
  // Outgoing
  AWAITING_CONTENT: { vi: 'Chờ tải tệp', en: 'Awaiting file' },
  DRAFT: { vi: 'Dự thảo', en: 'Draft' },
  UNDER_REVIEW: { vi: 'Chờ duyệt', en: 'Under review' },
  SUBMITTED_TO_SIGNER: { vi: 'Chờ ký', en: 'Awaiting signature' },
  SIGNED: { vi: 'Đã ký', en: 'Signed' },
  ISSUED: { vi: 'Đã phát hành', en: 'Issued' },
  SENT: { vi: 'Đã gửi', en: 'Sent' },
  ARCHIVED: { vi: 'Đã lưu trữ', en: 'Archived' },
  RECALLED: { vi: 'Đã thu hồi', en: 'Recalled' },
  REPLACED: { vi: 'Đã thay thế', en: 'Replaced' },
  // Incoming
  ARRIVED: { vi: 'Mới đến', en: 'Arrived' },
  RETURNED: { vi: 'Đã trả lại', en: 'Returned' },
  REGISTERED: { vi: 'Đã vào sổ', en: 'Registered' },
  PRESENTED: { vi: 'Chờ phân công', en: 'Awaiting assignment' },
  ASSIGNED: { vi: 'Đã phân công', en: 'Assigned' },
  IN_PROGRESS: { vi: 'Đang xử lý', en: 'In progress' },
  RESOLVED: { vi: 'Đã xử lý xong', en: 'Resolved' },
  FORWARDED: { vi: 'Đã chuyển', en: 'Forwarded' },
} as const satisfies Record<OutgoingState | IncomingState | 'AWAITING_CONTENT', Translation>;

const EVENTS = {
  created: { vi: 'Tạo dự thảo', en: 'Draft created' },
  revised: { vi: 'Sửa dự thảo', en: 'Draft revised' },
  submitted: { vi: 'Trình duyệt', en: 'Submitted for review' },
  approved: { vi: 'Duyệt, trình ký', en: 'Approved' },
  'returned-for-revision': { vi: 'Trả lại để sửa', en: 'Returned for revision' },
  signed: { vi: 'Ký số', en: 'Signed' },
  issued: { vi: 'Cấp số, đóng dấu, phát hành', en: 'Numbered, sealed, issued' },
  sent: { vi: 'Gửi đi', en: 'Sent' },
  archived: { vi: 'Lưu trữ', en: 'Archived' },
  recalled: { vi: 'Thu hồi', en: 'Recalled' },
  replaced: { vi: 'Thay thế', en: 'Replaced' },
  arrived: { vi: 'Đến nơi nhận', en: 'Arrived' },
  'returned-to-sender': { vi: 'Trả lại nơi gửi', en: 'Returned to sender' },
  registered: { vi: 'Vào sổ văn bản đến', en: 'Registered' },
  presented: { vi: 'Trình lãnh đạo', en: 'Presented to the head' },
  assigned: { vi: 'Phân công xử lý', en: 'Assigned' },
  reassigned: { vi: 'Giao lại', en: 'Reassigned' },
  started: { vi: 'Bắt đầu xử lý', en: 'Handling started' },
  resolved: { vi: 'Hoàn thành xử lý', en: 'Resolved' },
  forwarded: { vi: 'Chuyển đơn vị khác', en: 'Forwarded' },
  'delivery-recalled': { vi: 'Bị thu hồi tại nơi nhận', en: 'Recalled at recipient' },
} as const satisfies Record<EventType, Translation>;

const DELIVERY = {
  pending: { vi: 'Đang chuyển', en: 'In transit' },
  arrived: { vi: 'Đã đến', en: 'Arrived' },
  refused: { vi: 'Từ chối tiếp nhận', en: 'Refused' },
  accepted: { vi: 'Đã tiếp nhận', en: 'Accepted' },
  assigned: { vi: 'Đã phân công', en: 'Assigned' },
  'in-progress': { vi: 'Đang xử lý', en: 'In progress' },
  done: { vi: 'Hoàn thành', en: 'Done' },
  recalled: { vi: 'Đã thu hồi', en: 'Recalled' },
} as const satisfies Record<DeliveryStatus, Translation>;

const ROLES = {
  leader: { vi: 'Lãnh đạo', en: 'Leader' },
  specialist: { vi: 'Chuyên viên', en: 'Specialist' },
  clerk: { vi: 'Văn thư', en: 'Clerk' },
  auditor: { vi: 'Kiểm soát viên', en: 'Auditor' },
  admin: { vi: 'Quản trị', en: 'Administrator' },
} as const satisfies Record<string, Translation>;

/** The UI texts and every domain name, one catalogue: `docType.quyet-dinh`, `state.DRAFT`, … */
const prefixed = <P extends string, T extends Readonly<Record<string, Translation>>>(prefix: P, table: T) =>
  Object.fromEntries(Object.entries(table).map(([id, names]) => [`${prefix}.${id}`, names])) as {
    readonly [K in Extract<keyof T, string> as `${P}.${K}`]: T[K];
  };

export const webMessages = defineMessages({
  ...UI,
  ...prefixed('docType', DOC_TYPES),
  ...prefixed('urgency', URGENCIES),
  ...prefixed('state', STATES),
  ...prefixed('event', EVENTS),
  ...prefixed('delivery', DELIVERY),
  ...prefixed('role', ROLES),
});

export function translator(language: Language): Translate {
  return (key, params) => webMessages.render(key, language, params);
}

/** A domain name in the language, or the id itself for one the web does not know (a newer server). */
function pick(table: string, id: string | undefined, language: Language): string {
  if (!id) return '—';
  const code = `${table}.${id}`;
  return webMessages.has(code) ? webMessages.render(code, language) : id;
}

export interface Labels {
  readonly docType: (id: string | undefined) => string;
  readonly urgency: (id: string | undefined) => string;
  readonly state: (id: string | undefined) => string;
  readonly event: (id: string | undefined) => string;
  readonly delivery: (id: string | undefined) => string;
  readonly role: (id: string | undefined) => string;
}

export function labels(language: Language): Labels {
  return {
    docType: (id) => pick('docType', id, language),
    urgency: (id) => pick('urgency', id, language),
    state: (id) => pick('state', id, language),
    event: (id) => pick('event', id, language),
    delivery: (id) => pick('delivery', id, language),
    role: (id) => pick('role', id, language),
  };
}

// --- React ---------------------------------------------------------------------------------------------------

export interface I18n {
  readonly language: Language;
  readonly t: Translate;
  readonly l: Labels;
  readonly locale: string;
  readonly setLanguage: (language: Language) => void;
}

export function makeI18n(language: Language, setLanguage: (language: Language) => void): I18n {
  return {
    language,
    t: translator(language),
    l: labels(language),
    locale: language === 'vi' ? 'vi-VN' : 'en-GB',
    setLanguage,
  };
}

export const I18nContext = createContext<I18n>(makeI18n('vi', () => undefined));
export const useI18n = (): I18n => useContext(I18nContext);

const LANGUAGE_KEY = 'docflow.language';

export function storedLanguage(): Language {
  return localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'vi';
}

export function storeLanguage(language: Language): void {
  localStorage.setItem(LANGUAGE_KEY, language);
}

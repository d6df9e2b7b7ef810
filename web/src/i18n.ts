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
// --- Issue 18, a full working day: downloads, errors, forms, "my work", tracking a broadcast -------------------
const WORKDAY = {
  wdErrorDetails: { vi: 'Chi tiết cho bộ phận hỗ trợ', en: 'Details for support' },
  wdHttpError: {
    vi: 'Máy chủ chưa thực hiện được yêu cầu. Hãy thử lại sau ít phút; nếu vẫn không được, báo bộ phận hỗ trợ kèm chi tiết bên dưới.',
    en: 'The server could not carry out the request. Try again in a few minutes; if it still fails, tell support with the details below.',
  },
  wdUploadFailed: {
    vi: 'Không tải được tệp lên kho lưu trữ. Hãy thử lại; các thông tin đã nhập vẫn được giữ.',
    en: 'The file could not be uploaded to storage. Try again; what you entered is kept.',
  },
  wdStorageRefused: {
    vi: 'Kho lưu trữ không trả tệp (đường dẫn tải có thể đã hết hạn). Hãy bấm thử lại để lấy đường dẫn mới.',
    en: 'Storage did not return the file (the download link may have expired). Try again to get a new link.',
  },
  wdStorageUnreachable: {
    vi: 'Không kết nối được kho lưu trữ tệp. Kiểm tra mạng rồi thử lại.',
    en: 'Could not reach the file storage. Check the connection and try again.',
  },
  wdPdfUnavailable: {
    vi: 'Không hiển thị được tệp PDF. Hãy thử lại; nếu vẫn không được, tải tệp về máy để xem.',
    en: 'The PDF could not be displayed. Try again; if it still fails, download the file to read it.',
  },
  wdSendConfirm: { vi: 'Xác nhận gửi đến {count} đơn vị', en: 'Confirm: send to {count} organisations' },
  wdSendWillReach: {
    vi: 'Văn bản sẽ được gửi đến {count} đơn vị sau:',
    en: 'The document will be sent to these {count} organisations:',
  },
  wdSendCheck: {
    vi: 'Kiểm tra danh sách rồi bấm xác nhận; muốn sửa, chọn lại nơi nhận ở trên.',
    en: 'Check the list, then confirm; to change it, choose the recipients again above.',
  },
  wdSubmitTo: {
    vi: 'Dự thảo sẽ được trình lãnh đạo {org} duyệt:',
    en: 'The draft will go to the leaders of {org} for review:',
  },
  wdDeadlinePast: {
    vi: 'Hạn xử lý đã qua. Chọn hôm nay hoặc một ngày sau.',
    en: 'That deadline has passed. Choose today or a later date.',
  },
  wdResultRequired: {
    vi: 'Nhập kết quả xử lý trước khi hoàn thành.',
    en: 'Enter the result before resolving.',
  },
  wdResultHint: {
    vi: 'Nêu việc đã làm; nội dung này được lưu vào hồ sơ xử lý.',
    en: 'Say what was done; this goes into the handling record.',
  },
  wdReplySearch: { vi: 'Văn bản trả lời (nếu có)', en: 'Reply document (if any)' },
  wdReplyHint: {
    vi: 'Tìm trong văn bản đi của đơn vị theo số, ký hiệu hoặc trích yếu.',
    en: "Search your organisation's outgoing documents by number, symbol or subject.",
  },
  wdReplyNone: { vi: 'Không tìm thấy văn bản đi nào phù hợp.', en: 'No outgoing document matches.' },
  wdReplyChosen: { vi: 'Văn bản trả lời', en: 'Reply document' },
  wdReplyRemove: { vi: 'Bỏ chọn', en: 'Remove' },
  wdDraftKept: {
    vi: 'Dự thảo đã được tạo nhưng chưa có tệp; nó nằm trong thư mục Dự thảo. Chọn tệp khác rồi bấm lại để tải lên (sửa trích yếu, loại hoặc độ khẩn sẽ tạo dự thảo mới).',
    en: 'The draft was created without its file; it is in Drafts. Choose another file and try again (changing the subject, type or urgency makes a new draft).',
  },
  wdDraftKeptOpen: { vi: 'Mở dự thảo này', en: 'Open this draft' },
  wdWorkTitle: { vi: 'Việc của tôi', en: 'My work' },
  wdWorkSummary: {
    vi: '{count} việc đang chờ bạn · {fresh} mới từ lần xem trước · {overdue} quá hạn',
    en: '{count} waiting for you · {fresh} new since your last visit · {overdue} overdue',
  },
  wdWorkNone: { vi: 'Không có việc nào đang chờ bạn.', en: 'Nothing is waiting for you.' },
  wdWorkByTask: { vi: 'Số việc theo loại', en: 'Work by kind' },
  wdNew: { vi: 'Mới', en: 'New' },
  wdNewCount: { vi: '{count} mới', en: '{count} new' },
  wdTask_sign: { vi: 'Chờ bạn ký', en: 'To sign' },
  wdTask_approve: { vi: 'Chờ bạn duyệt', en: 'To approve' },
  wdTask_assign: { vi: 'Chờ phân công', en: 'To assign' },
  wdTask_register: { vi: 'Chờ vào sổ', en: 'To register' },
  wdTask_issue: { vi: 'Chờ cấp số, phát hành', en: 'To number and issue' },
  wdTask_send: { vi: 'Chờ gửi đi', en: 'To send' },
  wdTask_handle: { vi: 'Được giao xử lý', en: 'To handle' },
  wdTask_revise: { vi: 'Dự thảo chưa trình', en: 'Drafts not yet submitted' },
  wdTrackChips: {
    vi: 'Số đơn vị theo tình trạng (bấm để lọc)',
    en: 'Organisations by status (press to filter)',
  },
  wdTrackFilter: { vi: 'Lọc theo tình trạng', en: 'Filter by status' },
  wdTrackAll: { vi: 'Tất cả đơn vị nhận', en: 'All recipients' },
  wdTrack_notArrived: { vi: 'Chưa nhận được', en: 'Not yet received' },
  wdTrack_notRegistered: { vi: 'Chưa vào sổ', en: 'Not yet registered' },
  wdTrack_notDone: { vi: 'Chưa xử lý xong', en: 'Not yet resolved' },
  wdTrackNameHint: {
    vi: 'Gõ đủ từng chữ của tên, ví dụ "Ba Đình"; có dấu hoặc không dấu đều được.',
    en: 'Type whole words of the name, for example "Ba Dinh"; accents are optional.',
  },
  wdTrackShown: {
    vi: 'Đang hiện {shown}/{total} đơn vị nhận.',
    en: 'Showing {shown} of {total} recipients.',
  },
  wdPdfNav: { vi: 'Chuyển trang văn bản', en: 'Document pages' },
  wdPdfPrevious: { vi: 'Trang trước', en: 'Previous page' },
  wdPdfNext: { vi: 'Trang tiếp theo', en: 'Next page' },
  wdPdfLast: { vi: 'Trang cuối', en: 'Last page' },
  wdPdfPageLabel: { vi: 'Đến trang', en: 'Go to page' },
  wdPdfOf: { vi: 'trên {pages}', en: 'of {pages}' },
  wdPdfSignatures: { vi: 'Chữ ký trên văn bản', en: 'Signatures in the document' },
  wdPdfGoToSignature: { vi: 'Xem chữ ký {n} (trang {page})', en: 'Show signature {n} (page {page})' },
} as const satisfies Record<string, Translation>;

// --- Issue 17, archive timestamps (PAdES B-LTA): handing a document to the organisation's archive ---------------
const ARCHIVE = {
  act_archive: { vi: 'Lưu hồ sơ', en: 'Archive' },
  archiveHint: {
    vi: 'Văn bản cùng chứng cứ chữ ký (chứng thư, danh sách thu hồi) được đóng dấu thời gian lưu trữ và chuyển vào lưu trữ của cơ quan. Dấu thời gian được gia hạn tự động trước khi hết giá trị, để văn bản vẫn kiểm tra được sau nhiều năm.',
    en: "The document and the evidence of its signatures (certificates, revocation lists) get an archive timestamp and go to the organisation's archive. The timestamp is renewed automatically before it lapses, so the document can still be verified years from now.",
  },
  archivedEvidence: {
    vi: 'Đã lưu trữ lúc {time}. Bằng chứng lưu trữ có giá trị đến {until}; gia hạn tự động trước {renewBy} (giờ Hà Nội).',
    en: 'Archived at {time}. The archive evidence holds until {until}; renewed automatically before {renewBy} (Hanoi time).',
  },
} as const satisfies Record<string, Translation>;

// --- Issue 17, replacement and correction (thay thế, đính chính): web/src/Amendments.tsx -------------------------
const AMENDMENTS = {
  amReplaces: { vi: 'Văn bản này thay thế văn bản số', en: 'This document replaces document' },
  amCorrects: { vi: 'Văn bản này đính chính văn bản số', en: 'This document corrects document' },
  amReplacedBy: { vi: 'Đã bị thay thế bởi văn bản số', en: 'Replaced by document' },
  amCorrectedBy: { vi: 'Đã được đính chính bởi văn bản số', en: 'Corrected by document' },
  amAt: { vi: '(gửi lúc {time})', en: '(sent {time})' },
  amKind: { vi: 'Thay thế hoặc đính chính', en: 'Replaces or corrects' },
  amKindHint: {
    vi: 'Văn bản thay thế hoặc đính chính được gửi đến mọi nơi đã nhận văn bản cũ.',
    en: 'A replacing or correcting document goes to every recipient of the earlier one as well.',
  },
  amNone: { vi: 'Không', en: 'Neither' },
  amKindReplaces: { vi: 'Thay thế văn bản đã ban hành', en: 'Replaces an issued document' },
  amKindCorrects: { vi: 'Đính chính văn bản đã ban hành', en: 'Corrects an issued document' },
  amDocument: { vi: 'Văn bản đã ban hành', en: 'Issued document' },
  amChoose: { vi: 'Chọn văn bản…', en: 'Choose a document…' },
} as const satisfies Record<string, Translation>;

// --- Issue 18, placement of the signature, the seal and the number/date line ------------------------------------
const PLACEMENT = {
  plHeading: {
    vi: 'Vị trí chữ ký, con dấu, số và ngày',
    en: 'Where the signature, seal, number and date go',
  },
  plIntro: {
    vi: 'docflow đề xuất vị trí theo bố cục của trang, tránh chữ và hình. Kéo từng khung, hoặc chọn khung rồi dùng phím mũi tên (giữ Shift để đi xa hơn), rồi bấm Lưu vị trí.',
    en: 'docflow proposes positions from the page layout, away from text and images. Drag a box, or select it and use the arrow keys (hold Shift for larger steps), then press Save positions.',
  },
  plReadOnly: {
    vi: 'Chữ ký, con dấu, số và ngày sẽ được đặt ở các vị trí dưới đây khi ký và ban hành.',
    en: 'The signature, seal, number and date will be placed where shown below when signed and issued.',
  },
  plItem_signature: { vi: 'Chữ ký', en: 'Signature' },
  plItem_seal: { vi: 'Con dấu', en: 'Seal' },
  plItem_number: { vi: 'Số, ký hiệu', en: 'Number' },
  plItem_date: { vi: 'Địa danh, ngày tháng', en: 'Place and date' },
  plBoxLabel: {
    vi: '{item}: trang {page}, cách mép trái {x} mm, cách mép dưới {y} mm. Dùng phím mũi tên để di chuyển.',
    en: '{item}: page {page}, {x} mm from the left edge, {y} mm from the bottom. Use the arrow keys to move it.',
  },
  plPageCaption: { vi: 'Trang số {page}', en: 'Page {page}' },
  plNewPageCaption: { vi: 'Trang mới thêm vào cuối văn bản', en: 'New page added at the end' },
  plNewPage: {
    vi: 'Trang cuối không còn chỗ trống đủ cho chữ ký và con dấu: chữ ký sẽ được đặt trên một trang mới thêm vào cuối văn bản.',
    en: 'The last page has no free area large enough for the signature and seal: the signature will go on a new page added at the end.',
  },
  plUseNewPage: { vi: 'Đặt chữ ký trên trang mới ở cuối', en: 'Put the signature on a new final page' },
  plSave: { vi: 'Lưu vị trí', en: 'Save positions' },
  plSaved: { vi: 'Đã lưu vị trí.', en: 'Positions saved.' },
  plUnsaved: { vi: 'Vị trí đã thay đổi, chưa lưu.', en: 'Positions changed, not saved yet.' },
  plUndo: { vi: 'Về vị trí đã lưu', en: 'Back to the saved positions' },
  pvZoom: { vi: 'Thu phóng', en: 'Zoom' },
  pdfPagesRegion: { vi: 'Các trang của văn bản', en: 'The document’s pages' },
  pvZoomOut: { vi: 'Thu nhỏ', en: 'Zoom out' },
  pvZoomIn: { vi: 'Phóng to', en: 'Zoom in' },
  pvZoomFit: { vi: 'Vừa khung', en: 'Fit width' },
  pvSearchLabel: { vi: 'Tìm trong văn bản', en: 'Search the document' },
  pvSearch: { vi: 'Tìm', en: 'Search' },
  pvNotFound: {
    vi: 'Không tìm thấy “{query}” trong văn bản.',
    en: '“{query}” was not found in the document.',
  },
  pvFound: {
    vi: 'Tìm thấy “{query}” {count} lần, trên {pages} trang.',
    en: '“{query}” found {count} times, on {pages} pages.',
  },
  pvFoundPages: { vi: 'Các trang có kết quả', en: 'Pages with results' },
  pvFoundOnPage: { vi: 'Trang số {page} ({count} kết quả)', en: 'Page {page} ({count} results)' },
} as const satisfies Record<string, Translation>;

// --- The sender's reminder to recipients that have not registered (issue 16, issue 18 item 3) ---------------
const REMIND = {
  rmSelect: { vi: 'Chọn {name} để nhắc', en: 'Select {name} to remind' },
  rmSelectAll: {
    vi: 'Chọn {count} đơn vị chưa tiếp nhận đang hiện',
    en: 'Select the {count} recipients shown that have not registered',
  },
  rmClear: { vi: 'Bỏ chọn', en: 'Clear selection' },
  rmButton: { vi: 'Nhắc nhở ({count})', en: 'Remind ({count})' },
  rmHint: {
    vi: 'Đánh dấu các đơn vị đã nhận nhưng chưa tiếp nhận văn bản để nhắc văn thư của họ (mỗi đơn vị nhiều nhất một lần mỗi giờ).',
    en: 'Tick the recipients that received the document but have not registered it, to remind their clerks (each at most once an hour).',
  },
  rmConfirm: {
    vi: 'Nhắc {count} đơn vị tiếp nhận văn bản này?',
    en: 'Remind {count} recipients to register this document?',
  },
  rmConfirmList: {
    vi: 'Văn thư của các đơn vị sau sẽ nhận thông báo (và thư điện tử nếu họ đã chọn):',
    en: 'The clerks of these organisations will get a notification (and an e-mail if they chose so):',
  },
  rmConfirmYes: { vi: 'Nhắc nhở', en: 'Remind' },
  rmConfirmNo: { vi: 'Hủy', en: 'Cancel' },
  rmSending: { vi: 'Đang gửi lời nhắc…', en: 'Sending the reminders…' },
  rmDone: {
    vi: 'Đã nhắc {count} đơn vị: {clerks} văn thư sẽ nhận thông báo (và thư điện tử nếu đã chọn).',
    en: 'Reminded {count} recipients: {clerks} clerks will be notified (and e-mailed if they chose so).',
  },
} as const satisfies Record<string, Translation>;

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
  act_place: { vi: 'Đặt vị trí chữ ký', en: 'Place the signature' },
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
  revRole_archived: { vi: 'Lưu trữ (dấu thời gian lưu trữ)', en: 'Archived (archive timestamp)' },
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
  // Sole control of signatures: the signing dialog, batches, and one's own signing factors (profile)
  sigDialogTitle: { vi: 'Xác nhận ký số', en: 'Authorize your signature' },
  sigDialogTitleIssue: { vi: 'Xác nhận cấp số, đóng dấu', en: 'Authorize the number and seal' },
  sigDialogTitleBatch: { vi: 'Xác nhận ký {count} văn bản', en: 'Authorize signing {count} documents' },
  sigDialogTitleIssueBatch: {
    vi: 'Xác nhận cấp số, đóng dấu {count} văn bản',
    en: 'Authorize numbering and sealing {count} documents',
  },
  sigDialogIntro: {
    vi: 'Chữ ký chỉ được tạo khi chính bạn xác nhận, bằng khóa truy cập (passkey) trên thiết bị của bạn hoặc mã từ ứng dụng xác thực. Xem lại nội dung dưới đây trước khi xác nhận.',
    en: 'A signature is made only when you yourself authorize it, with the passkey on your device or a code from your authenticator app. Check what follows before you do.',
  },
  sigAuthorizeNext: {
    vi: 'Bước tiếp theo: xem lại nội dung sẽ ký, rồi xác nhận bằng khóa truy cập (passkey) hoặc mã xác thực của bạn.',
    en: 'Next: you review what will be signed, then authorize it with your passkey or authenticator code.',
  },
  sigPreparing: { vi: 'Đang chuẩn bị chữ ký…', en: 'Preparing the signature…' },
  sigChecking: {
    vi: 'Đang đối chiếu mã SHA-256 với tệp văn bản…',
    en: 'Checking the SHA-256 against the document file…',
  },
  sigNumber: { vi: 'Số, ký hiệu', en: 'Number and symbol' },
  sigHashChecking: { vi: 'Đang đối chiếu…', en: 'Checking…' },
  sigHashMatch: { vi: 'Khớp với văn bản bạn đang xem', en: 'Matches the document you are viewing' },
  sigHashMismatch: {
    vi: 'Không khớp với văn bản bạn đang xem',
    en: 'Does not match the document you are viewing',
  },
  sigHashStale: { vi: 'Văn bản đã thay đổi từ khi bạn mở', en: 'The document changed since you opened it' },
  sigHashFile: { vi: 'tệp đang xem: {sha}', en: 'file viewed: {sha}' },
  sigMismatch: {
    vi: 'Nội dung sẽ được ký không khớp với tệp văn bản bạn đang xem (mã SHA-256 khác nhau). Hệ thống dừng lại, chưa có gì được ký. Hãy đóng hộp thoại, tải lại trang và báo cho quản trị hệ thống nếu lặp lại.',
    en: 'What would be signed does not match the document file you are viewing (the SHA-256 values differ). docflow stopped; nothing was signed. Close this dialog, reload the page, and tell the system administrator if it happens again.',
  },
  sigStale: {
    vi: 'Văn bản đã thay đổi từ khi bạn mở trang này. Chưa có gì được ký; hãy đóng hộp thoại, tải lại trang và xem lại văn bản trước khi ký.',
    en: 'The document changed since you opened this page. Nothing was signed; close this dialog, reload the page and review the document before signing.',
  },
  sigNoFactor: {
    vi: 'Bạn chưa có khóa truy cập (passkey) hoặc ứng dụng xác thực để xác nhận chữ ký, nên chưa ký được. Chưa có gì được ký.',
    en: 'You have no passkey or authenticator app to authorize signatures with, so you cannot sign yet. Nothing was signed.',
  },
  sigNoFactorLink: { vi: 'Đăng ký ở trang Thông tin cá nhân', en: 'Register one on your profile page' },
  sigPrepareFailed: {
    vi: 'Không chuẩn bị được chữ ký; chưa có gì được ký.',
    en: 'The signature could not be prepared; nothing was signed.',
  },
  sigFactorHeading: { vi: 'Xác nhận của bạn', en: 'Your authorization' },
  sigAuthorizeBefore: { vi: 'Hãy xác nhận trước {time}.', en: 'Authorize before {time}.' },
  sigPasskeyHint: {
    vi: 'Thiết bị sẽ hỏi vân tay, khuôn mặt hoặc mã PIN của bạn.',
    en: 'Your device will ask for your fingerprint, face or PIN.',
  },
  sigUsePasskey: { vi: 'Xác nhận bằng khóa truy cập (passkey)', en: 'Authorize with your passkey' },
  sigSwitchToTotp: { vi: 'Dùng mã từ ứng dụng xác thực', en: 'Use a code from your authenticator app' },
  sigSwitchToPasskey: { vi: 'Dùng khóa truy cập (passkey)', en: 'Use your passkey' },
  sigTotpLabel: {
    vi: 'Mã 6 chữ số trong ứng dụng xác thực',
    en: 'The 6-digit code in your authenticator app',
  },
  sigTotpHint: {
    vi: 'Mở ứng dụng xác thực trên điện thoại và nhập mã đang hiển thị cho docflow.',
    en: 'Open the authenticator app on your phone and enter the code it shows for docflow.',
  },
  sigUseTotp: { vi: 'Xác nhận bằng mã', en: 'Authorize with the code' },
  sigAuthorizing: { vi: 'Đang xác nhận…', en: 'Authorizing…' },
  sigAuthorizeUnknown: {
    vi: 'Không nhận được trả lời của máy chủ cho lần xác nhận này. Chưa có gì được ký. Bấm “Thử lại” để gửi lại đúng lần xác nhận đó, hoặc “Hủy”.',
    en: 'The server did not answer this authorization. Nothing was signed. Press “Try again” to send the same authorization again, or “Cancel”.',
  },
  sigSigning: { vi: 'Bạn đã xác nhận. Đang ký số văn bản…', en: 'You authorized it. Signing the document…' },
  sigSigningBatch: {
    vi: 'Bạn đã xác nhận. Đang ký: xong {done}/{count} văn bản…',
    en: 'You authorized them. Signing: {done} of {count} documents done…',
  },
  sigNoCancel: {
    vi: 'Chữ ký đang được tạo và không thể hủy nữa. Vui lòng chờ trong giây lát.',
    en: 'The signature is being made and can no longer be cancelled. Please wait a moment.',
  },
  sigDone: { vi: 'Đã ký số văn bản.', en: 'The document is signed.' },
  sigDoneBatch: { vi: 'Đã ký số {count} văn bản.', en: '{count} documents signed.' },
  sigIssued: {
    vi: 'Đã cấp số {symbol}, đóng dấu và phát hành văn bản.',
    en: 'Number {symbol} given; the document is sealed and issued.',
  },
  sigIssuedBatch: {
    vi: 'Đã cấp số, đóng dấu và phát hành {count} văn bản.',
    en: '{count} documents numbered, sealed and issued.',
  },
  sigUnknown: {
    vi: 'Chưa rõ kết quả: máy chủ không trả lời, văn bản có thể đã được ký. Bấm “Thử lại đúng yêu cầu này” để hoàn tất; hệ thống chỉ ký một lần.',
    en: 'Outcome unknown: the server did not answer, and the document may have been signed. Press “Retry this same request” to finish; it is signed only once.',
  },
  sigUnknownBatch: {
    vi: 'Chưa rõ kết quả của {count} văn bản: máy chủ không trả lời, các văn bản này có thể đã được ký. Bấm “Thử lại đúng yêu cầu này” để hoàn tất; mỗi văn bản chỉ được ký một lần.',
    en: 'Outcome unknown for {count} documents: the server did not answer, and they may have been signed. Press “Retry this same request” to finish; each is signed only once.',
  },
  sigRefused: {
    vi: 'Máy chủ từ chối tạo chữ ký; văn bản chưa được ký.',
    en: 'The server refused to make the signature; the document is not signed.',
  },
  sigRefusedBatch: {
    vi: '{count} văn bản không được ký (máy chủ từ chối):',
    en: '{count} documents were not signed (the server refused):',
  },
  sigRetrySame: { vi: 'Thử lại đúng yêu cầu này', en: 'Retry this same request' },
  sigStartAgain: { vi: 'Bắt đầu lại', en: 'Start again' },
  sigItemDone: { vi: 'Hoàn tất', en: 'Done' },
  sigItemUnknown: { vi: 'Chưa rõ kết quả', en: 'Outcome unknown' },
  sigItemRefused: { vi: 'Không được ký', en: 'Not signed' },
  sigCancelled: { vi: 'Đã hủy. Chưa có chữ ký nào được tạo.', en: 'Cancelled. No signature was made.' },
  batchSelectAll: { vi: 'Chọn cả {count} văn bản', en: 'Select all {count} documents' },
  batchSelectOne: { vi: 'Chọn văn bản: {title}', en: 'Select document: {title}' },
  batchSign: { vi: 'Ký {count} văn bản đã chọn', en: 'Sign the {count} selected documents' },
  batchIssue: {
    vi: 'Cấp số, đóng dấu, phát hành {count} văn bản đã chọn',
    en: 'Number, seal and issue the {count} selected documents',
  },
  factorsTitle: { vi: 'Cách xác nhận chữ ký số', en: 'How you authorize your signatures' },
  factorsWhy: {
    vi: 'Chữ ký số chỉ có giá trị khi chính bạn, và chỉ bạn, cho phép tạo ra nó. Vì vậy mỗi lần ký, hệ thống hỏi khóa truy cập (passkey) trên thiết bị của bạn hoặc mã từ ứng dụng xác thực mà chỉ bạn có.',
    en: 'A digital signature is valid only if you, and you alone, authorize it. So each time you sign, docflow asks for the passkey on your device or a code from an authenticator app that only you have.',
  },
  factorsNone: {
    vi: 'Bạn chưa đăng ký cách xác nhận nào nên chưa ký được văn bản. Hãy thêm khóa truy cập hoặc ứng dụng xác thực.',
    en: 'You have no way to authorize signatures yet, so you cannot sign documents. Add a passkey or an authenticator app.',
  },
  factorAddedOn: { vi: 'Thêm lúc {time}', en: 'Added {time}' },
  factorRemove: { vi: 'Gỡ', en: 'Remove' },
  factorRemoveLabel: { vi: 'Gỡ {what}', en: 'Remove {what}' },
  factorRemoveYes: { vi: 'Gỡ', en: 'Remove' },
  passkeysTitle: { vi: 'Khóa truy cập (passkey)', en: 'Passkeys' },
  passkeysHint: {
    vi: 'Khóa lưu trên máy tính hoặc điện thoại của bạn, mở bằng vân tay, khuôn mặt hoặc mã PIN.',
    en: 'A key kept on your computer or phone, unlocked by your fingerprint, face or PIN.',
  },
  passkeysNone: { vi: 'Chưa có khóa truy cập nào.', en: 'No passkeys yet.' },
  passkeyLabel: { vi: 'Tên gợi nhớ cho khóa mới', en: 'A name for the new passkey' },
  passkeyLabelHint: {
    vi: 'Ví dụ: “Máy tính cơ quan”, “Điện thoại”.',
    en: 'For example “Office computer”, “Phone”.',
  },
  passkeyDefaultLabel: { vi: 'Khóa truy cập', en: 'Passkey' },
  passkeyAdd: { vi: 'Thêm khóa truy cập trên thiết bị này', en: 'Add a passkey on this device' },
  passkeyWaiting: { vi: 'Đang chờ thiết bị…', en: 'Waiting for your device…' },
  passkeyAdded: { vi: 'Đã thêm khóa truy cập “{label}”.', en: 'Passkey “{label}” added.' },
  passkeyRemoveConfirm: {
    vi: 'Gỡ khóa truy cập “{label}”? Bạn sẽ không dùng nó để xác nhận chữ ký được nữa.',
    en: 'Remove the passkey “{label}”? You will no longer be able to authorize signatures with it.',
  },
  passkeyRemoved: { vi: 'Đã gỡ khóa truy cập “{label}”.', en: 'Passkey “{label}” removed.' },
  passkeyUnsupported: {
    vi: 'Trình duyệt này không dùng được khóa truy cập (passkey). Hãy dùng ứng dụng xác thực hoặc một trình duyệt khác.',
    en: 'This browser cannot use passkeys. Use an authenticator app, or another browser.',
  },
  passkeyUseNamedAddress: {
    vi: 'Khóa truy cập chỉ dùng được khi trang được mở bằng tên miền, không phải địa chỉ IP. Hãy mở {url} và thử lại.',
    en: 'Passkeys work only when the page is opened by its name, not an IP address. Open {url} and try again.',
  },
  passkeyWrongAddress: {
    vi: 'Khóa truy cập không dùng được ở địa chỉ trang này. Hãy mở hệ thống bằng địa chỉ chính thức và thử lại.',
    en: 'Passkeys cannot be used at this page’s address. Open docflow at its official address and try again.',
  },
  passkeyAlreadyHere: {
    vi: 'Thiết bị này đã có khóa truy cập của bạn.',
    en: 'This device already has a passkey of yours.',
  },
  passkeyNoVerification: {
    vi: 'Thiết bị này không hỏi được vân tay, khuôn mặt hoặc mã PIN nên không dùng để xác nhận chữ ký được.',
    en: 'This device cannot ask for a fingerprint, face or PIN, so it cannot be used to authorize signatures.',
  },
  passkeyNotUsed: {
    vi: 'Khóa truy cập chưa được dùng (bạn đã hủy hoặc hết thời gian chờ). Chưa có gì thay đổi; hãy thử lại.',
    en: 'The passkey was not used (cancelled, or the time ran out). Nothing changed; try again.',
  },
  passkeyFailed: {
    vi: 'Thiết bị báo lỗi khi dùng khóa truy cập: {message}',
    en: 'Your device reported an error with the passkey: {message}',
  },
  totpTitle: { vi: 'Ứng dụng xác thực', en: 'Authenticator app' },
  totpNone: {
    vi: 'Chưa thiết lập ứng dụng xác thực. Dùng khi thiết bị không có khóa truy cập.',
    en: 'No authenticator app set up. Use one where your device has no passkey.',
  },
  totpStart: { vi: 'Thiết lập ứng dụng xác thực', en: 'Set up an authenticator app' },
  totpStepScan: {
    vi: 'Quét mã QR bằng ứng dụng xác thực trên điện thoại của bạn (ví dụ Google Authenticator, Microsoft Authenticator).',
    en: 'Scan the QR code with the authenticator app on your phone (Google Authenticator or Microsoft Authenticator, say).',
  },
  totpQrLabel: {
    vi: 'Mã QR để thêm docflow vào ứng dụng xác thực',
    en: 'QR code that adds docflow to your authenticator app',
  },
  totpShowText: {
    vi: 'Không quét được? Xem khóa bí mật để nhập tay',
    en: 'Cannot scan it? Show the secret to type it in',
  },
  totpSecret: { vi: 'Khóa bí mật', en: 'Secret' },
  totpUri: { vi: 'Địa chỉ otpauth', en: 'otpauth address' },
  totpConfirmLabel: { vi: 'Mã 6 chữ số ứng dụng đang hiển thị', en: 'The 6-digit code the app shows' },
  totpConfirmHint: {
    vi: 'Nhập mã để xác nhận ứng dụng đã được thiết lập đúng.',
    en: 'Enter it to confirm the app is set up correctly.',
  },
  totpConfirm: { vi: 'Xác nhận', en: 'Confirm' },
  totpCodeFormat: { vi: 'Nhập đúng 6 chữ số.', en: 'Enter exactly 6 digits.' },
  totpEnrolled: { vi: 'Đã thiết lập ứng dụng xác thực', en: 'Authenticator app set up' },
  totpAdded: { vi: 'Đã thiết lập ứng dụng xác thực.', en: 'Authenticator app set up.' },
  totpRemoveConfirm: {
    vi: 'Gỡ ứng dụng xác thực? Mã trong ứng dụng sẽ không dùng để xác nhận chữ ký được nữa.',
    en: 'Remove the authenticator app? Its codes will no longer authorize signatures.',
  },
  totpRemoved: { vi: 'Đã gỡ ứng dụng xác thực.', en: 'Authenticator app removed.' },
  ...WORKDAY,
  ...ARCHIVE,
  ...AMENDMENTS,
  ...PLACEMENT,
  ...REMIND,
  // --- A document's classification (issue #17) ---
  classification: { vi: 'Độ mật', en: 'Classification' },
  classificationHint: {
    vi: 'Hệ thống không xử lý văn bản có nội dung bí mật nhà nước.',
    en: 'This system does not handle documents containing state secrets.',
  },
  classificationChoose: { vi: '— Chọn độ mật —', en: '— Choose the classification —' },
  classificationNone: { vi: 'Không mật', en: 'Not classified' },
  classificationSecret: { vi: 'Mật', en: 'Secret' },
  classificationTopSecret: { vi: 'Tối mật', en: 'Top secret' },
  classificationMostSecret: { vi: 'Tuyệt mật', en: 'Most secret' },
  // --- Attachments in files of their own (issue #17) ---
  attTitle: { vi: 'Phụ lục, văn bản kèm theo', en: 'Attachments' },
  attNone: { vi: 'Chưa có phụ lục nào.', en: 'No attachments yet.' },
  attSealed: { vi: 'Đã đóng dấu', en: 'Sealed' },
  attSize: { vi: 'cỡ {kb} KB', en: 'size {kb} KB' },
  attP7sHint: {
    vi: 'chữ ký số của cơ quan trong tệp .p7s kèm theo',
    en: "the organisation's seal in the accompanying .p7s file",
  },
  attP7sLater: {
    vi: 'sẽ được ký số bằng tệp .p7s khi phát hành',
    en: 'sealed with a .p7s file at issue',
  },
  attDownload: { vi: 'Tải phụ lục', en: 'Download' },
  attDownloadSignature: { vi: 'Tải chữ ký (.p7s)', en: 'Download the seal (.p7s)' },
  attRemove: { vi: 'Bỏ phụ lục', en: 'Remove' },
  attAdd: { vi: 'Thêm phụ lục', en: 'Add an attachment' },
  attTitleLabel: { vi: 'Tên phụ lục', en: 'Title' },
  attTitlePlaceholder: {
    vi: 'Ví dụ: Phụ lục I: Danh sách đơn vị tham gia',
    en: 'For example: Annex I: Participating units',
  },
  attFileLabel: { vi: 'Tệp', en: 'File' },
  attFileHint: {
    vi: 'Tệp PDF được đóng dấu số, ký hiệu và thời gian ký ở góc trên bên phải trang đầu khi phát hành; tệp khác được giữ nguyên kèm chữ ký số .p7s.',
    en: 'A PDF is sealed with the number, symbol and signing time at the top right of its first page at issue; any other file is kept as it is, with a .p7s seal.',
  },
  attTitleRequired: { vi: 'Nhập tên phụ lục.', en: 'Enter the attachment’s title.' },
  attFileRequired: { vi: 'Chọn tệp cần đính kèm.', en: 'Choose the file to attach.' },
  attUploading: { vi: 'Đang tải lên {percent}%', en: 'Uploading {percent}%' },
  attAttach: { vi: 'Đính kèm', en: 'Attach' },
  attSealWith: {
    vi: 'Kèm theo, đóng dấu cùng văn bản: {title}',
    en: 'Attached, sealed with the document: {title}',
  },
  // --- Word drafts (issue #17) ---
  wordDraftFileHint: {
    vi: 'Tệp PDF, hoặc tệp Word (.docx, .odt) sẽ được chuyển sang PDF để trình ký; tệp Word được lưu kèm.',
    en: 'A PDF, or a Word file (.docx, .odt) converted to the PDF that goes for signature; the Word file is kept with it.',
  },
  wordDraftNotAccepted: {
    vi: 'Tệp phải là PDF hoặc Word (.docx, .odt).',
    en: 'The file must be a PDF or a Word file (.docx, .odt).',
  },
  wordSource: { vi: 'Tệp nguồn', en: 'Source file' },
  wordSourceKept: {
    vi: 'Chuyển từ tệp {format}; tệp gốc được lưu kèm.',
    en: 'Converted from a {format} file, which is kept with it.',
  },
  wordFontsMissing: {
    vi: 'Máy chuyển đổi không có phông chữ {fonts}; bản PDF dùng phông thay thế, cần kiểm tra lại bố cục trước khi trình ký.',
    en: 'The converter lacks the font(s) {fonts}; the PDF uses substitutes, so check its layout before it goes for signature.',
  },
  classificationRequired: {
    vi: 'Chọn độ mật của văn bản.',
    en: 'Choose the classification of the document.',
  },
  classificationRefused: {
    vi: 'Văn bản có nội dung bí mật nhà nước không được soạn thảo, chuyển giao hay lưu giữ trên hệ thống này (Luật Bảo vệ bí mật nhà nước 2018). Hãy xử lý văn bản trên hệ thống được phép xử lý bí mật nhà nước.',
    en: 'A document containing state secrets may not be drafted, transmitted or kept in this system (Law on the Protection of State Secrets 2018). Handle it on a system approved for state secrets.',
  },
  // Notifications and the live inbox (web/src/notifications)
  notificationsBell: { vi: 'Thông báo: {count} chưa đọc', en: 'Notifications: {count} unread' },
  notificationsEmpty: { vi: 'Chưa có thông báo nào.', en: 'No notifications yet.' },
  notificationsMarkAll: { vi: 'Đánh dấu tất cả đã đọc', en: 'Mark all as read' },
  liveOffline: {
    vi: 'Mất kết nối cập nhật trực tiếp; đang kết nối lại…',
    en: 'Live updates are disconnected; reconnecting…',
  },
  // The national document exchange (issue 20): external recipients in the sender's tracking
  exchangeExternal: { vi: 'Ngoài thành phố (Trục liên thông)', en: 'Outside the city (national exchange)' },
  exchangeExternalLoadFailed: {
    vi: 'Chưa tải được trạng thái của các nơi nhận ngoài thành phố.',
    en: 'The statuses of recipients outside the city could not be loaded.',
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
  'archive-renewed': { vi: 'Gia hạn dấu thời gian lưu trữ', en: 'Archive timestamp renewed' },
  recalled: { vi: 'Thu hồi', en: 'Recalled' },
  replaced: { vi: 'Bị thay thế bởi văn bản', en: 'Replaced by document' },
  corrected: { vi: 'Được đính chính bởi văn bản', en: 'Corrected by document' },
  'attachment-added': { vi: 'Thêm phụ lục', en: 'Attachment added' },
  'attachment-removed': { vi: 'Bỏ phụ lục', en: 'Attachment removed' },
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
  'handed-over': { vi: 'Bàn giao cho người kế nhiệm', en: 'Handed over to a successor' },
  'duties-handed-over': { vi: 'Bàn giao cho người kế nhiệm', en: 'Handed over to a successor' },
  'registration-reminded': { vi: 'Nơi gửi nhắc vào sổ', en: 'Sender reminded to register' },
  placed: { vi: 'Đặt vị trí chữ ký, con dấu, số và ngày', en: 'Signature, seal, number and date placed' },
} as const satisfies Record<EventType, Translation>;

const DELIVERY = {
  // The words the recipient's own screen uses for the same state (STATES above): one vocabulary (issue 18).
  pending: { vi: 'Đang chuyển', en: 'In transit' },
  arrived: STATES.ARRIVED,
  refused: STATES.RETURNED,
  accepted: STATES.REGISTERED,
  assigned: STATES.ASSIGNED,
  'in-progress': STATES.IN_PROGRESS,
  done: STATES.RESOLVED,
  recalled: STATES.RECALLED,
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

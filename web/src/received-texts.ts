import { defineMessages, type Language } from '../../lambdas/core/i18n/catalogue';

/* The screen of documents received from other agencies (ReceivedPage.tsx, issue 20): a catalogue of its own. */
export const receivedScreenMessages = defineMessages({
  nav: { vi: 'Văn bản liên thông', en: 'From other agencies' },
  title: { vi: 'Văn bản liên thông đến', en: 'Documents from other agencies' },
  intro: {
    vi: 'Văn bản các bộ, ngành, tỉnh khác gửi đến qua Trục liên thông văn bản quốc gia. Mỗi bước xử lý được báo lại cho cơ quan gửi.',
    en: 'Documents that ministries, central agencies and other provinces sent through the national document exchange. Each step is reported back to the sender.',
  },
  count: { vi: '{count} văn bản', en: '{count} documents' },
  empty: { vi: 'Chưa có văn bản nào từ bên ngoài.', en: 'Nothing has come in from outside yet.' },
  refusedTitle: { vi: 'Gói tin đã từ chối', en: 'Refused packages' },
  refusedIntro: {
    vi: 'Gói tin không đọc được, gửi nhầm nơi nhận hoặc đã bị từ chối; lý do đã được báo cho cơ quan gửi.',
    en: 'Packages that could not be read, were addressed to no one here, or were refused; the sender was told why.',
  },
  refusedEmpty: { vi: 'Không có gói tin nào bị từ chối.', en: 'No package has been refused.' },
  col_sender: { vi: 'Cơ quan gửi', en: 'Sender' },
  col_code: { vi: 'Số, ký hiệu', en: 'Number and symbol' },
  col_date: { vi: 'Ngày văn bản', en: 'Date' },
  col_subject: { vi: 'Trích yếu', en: 'Subject' },
  col_status: { vi: 'Trạng thái', en: 'Status' },
  col_received: { vi: 'Thời điểm nhận', en: 'Received at' },
  col_actions: { vi: 'Bước tiếp theo', en: 'Next step' },
  col_reason: { vi: 'Lý do', en: 'Reason' },
  arrivalNumber: { vi: 'Số đến {number}', en: 'Arrival no. {number}' },
  unknownSender: { vi: 'Không rõ cơ quan gửi', en: 'Unknown sender' },
  noSubject: { vi: '(không đọc được)', en: '(unreadable)' },
  noReason: { vi: 'Không ghi lý do', en: 'No reason given' },
  noSteps: { vi: 'Không còn bước nào', en: 'Nothing left to do' },
  state_arrived: { vi: 'Đã đến', en: 'Arrived' },
  state_accepted: { vi: 'Đã tiếp nhận', en: 'Taken in' },
  state_assigned: { vi: 'Đã phân công', en: 'Assigned' },
  'state_in-progress': { vi: 'Đang xử lý', en: 'In progress' },
  state_done: { vi: 'Hoàn thành', en: 'Done' },
  state_refused: { vi: 'Đã từ chối', en: 'Refused' },
  state_recalled: { vi: 'Đã thu hồi', en: 'Recalled' },
  step_accept: { vi: 'Tiếp nhận', en: 'Take in' },
  step_assign: { vi: 'Phân công', en: 'Assign' },
  step_start: { vi: 'Bắt đầu xử lý', en: 'Start handling' },
  step_resolve: { vi: 'Hoàn thành', en: 'Mark done' },
  step_refuse: { vi: 'Từ chối', en: 'Refuse' },
  confirm_accept: {
    vi: 'Tiếp nhận văn bản {code} và vào sổ văn bản đến? Cơ quan gửi sẽ được báo “đã tiếp nhận”.',
    en: 'Take in document {code} and write it in the incoming register? The sender will be told it was taken in.',
  },
  confirm_assign: {
    vi: 'Báo cơ quan gửi văn bản {code} đã được phân công xử lý?',
    en: 'Tell the sender that document {code} has been assigned?',
  },
  confirm_start: {
    vi: 'Báo cơ quan gửi văn bản {code} đang được xử lý?',
    en: 'Tell the sender that document {code} is being handled?',
  },
  confirm_resolve: {
    vi: 'Báo cơ quan gửi văn bản {code} đã xử lý xong?',
    en: 'Tell the sender that document {code} has been dealt with?',
  },
  confirm_refuse: {
    vi: 'Từ chối văn bản {code}? Lý do sẽ được gửi cho cơ quan gửi; không thể hoàn tác.',
    en: 'Refuse document {code}? The reason goes to the sender; this cannot be undone.',
  },
  reason: { vi: 'Lý do từ chối', en: 'Reason for refusal' },
  reasonRequired: { vi: 'Hãy ghi lý do từ chối.', en: 'Write the reason for the refusal.' },
  confirm: { vi: 'Xác nhận', en: 'Confirm' },
  cancel: { vi: 'Hủy', en: 'Cancel' },
  working: { vi: 'Đang thực hiện…', en: 'Working…' },
  done: { vi: 'Đã thực hiện: {what} — {code}.', en: 'Done: {what} — {code}.' },
  thisDocument: { vi: 'văn bản này', en: 'this document' },
  col_files: { vi: 'Tệp trong gói tin', en: 'Files in the package' },
  fileLine: { vi: '{name} ({size})', en: '{name} ({size})' },
  mainFile: { vi: 'văn bản', en: 'the document' },
  history: { vi: 'Lịch sử trạng thái', en: 'Status history' },
});

export type ReceivedScreenKey = (typeof receivedScreenMessages.codes)[number];

export const receivedScreenTranslator =
  (language: Language) => (key: ReceivedScreenKey, params?: Readonly<Record<string, string | number>>) =>
    receivedScreenMessages.render(key, language, params);

/* Sending an issued document to agencies outside the city (ExternalSend.tsx, issue 20). */
export const externalSendMessages = defineMessages({
  title: { vi: 'Gửi liên thông', en: 'Send to other agencies' },
  intro: {
    vi: 'Gửi văn bản đã phát hành đến bộ, ngành, tỉnh khác qua Trục liên thông văn bản quốc gia, theo mã định danh của cơ quan nhận.',
    en: 'Send the issued document to ministries, central agencies or other provinces through the national document exchange, by the recipient’s agency code.',
  },
  catalogueNote: {
    vi: 'Không tìm thấy cơ quan trong danh mục? Nhập mã định danh theo danh mục quốc gia (dạng 000.00.00.G22).',
    en: 'Agency not in the catalogue? Type its code from the national catalogue (such as 000.00.00.G22).',
  },
  search: {
    vi: 'Tìm cơ quan nhận theo tên hoặc mã định danh',
    en: 'Find the recipient by name or agency code',
  },
  searchHint: {
    vi: 'Ví dụ: bo noi vu, Văn phòng Chính phủ, 000.00.00.G22',
    en: 'For example: bo noi vu, Văn phòng Chính phủ, 000.00.00.G22',
  },
  noMatch: { vi: 'Không có cơ quan nào khớp.', en: 'No agency matches.' },
  pick: { vi: 'Chọn {name}', en: 'Choose {name}' },
  picked: { vi: 'Đã chọn', en: 'Chosen' },
  insideCity: {
    vi: 'Cơ quan trong thành phố: gửi trong hệ thống',
    en: 'Inside the city: send within docflow',
  },
  code: { vi: 'Mã định danh cơ quan nhận', en: 'Recipient’s agency code' },
  name: { vi: 'Tên cơ quan nhận (không bắt buộc)', en: 'Recipient’s name (optional)' },
  add: { vi: 'Thêm nơi nhận', en: 'Add recipient' },
  remove: { vi: 'Bỏ {name}', en: 'Remove {name}' },
  recipients: { vi: 'Nơi nhận bên ngoài', en: 'External recipients' },
  noRecipients: { vi: 'Chưa chọn nơi nhận nào.', en: 'No recipient chosen yet.' },
  codeInvalid: {
    vi: 'Mã định danh gồm bốn phần cách nhau bởi dấu chấm, ví dụ 000.00.00.G22.',
    en: 'An agency code has four parts separated by dots, such as 000.00.00.G22.',
  },
  codeTwice: { vi: 'Cơ quan này đã có trong danh sách.', en: 'This agency is already in the list.' },
  tooMany: { vi: 'Mỗi lần gửi tối đa 100 nơi nhận.', en: 'At most 100 recipients at a time.' },
  send: { vi: 'Gửi liên thông', en: 'Send' },
  confirm: {
    vi: 'Gửi văn bản này đến {count} cơ quan bên ngoài? Văn bản đã gửi không thu lại được bằng cách hủy.',
    en: 'Send this document to {count} agencies outside the city? A sent document cannot be taken back by cancelling.',
  },
  confirmSend: { vi: 'Xác nhận gửi', en: 'Confirm and send' },
  cancel: { vi: 'Hủy', en: 'Cancel' },
  working: { vi: 'Đang gửi…', en: 'Sending…' },
  sent: {
    vi: 'gửi liên thông đến {count} cơ quan ngoài thành phố',
    en: 'sent to {count} agencies outside the city',
  },
});

export type ExternalSendKey = (typeof externalSendMessages.codes)[number];

export const externalSendTranslator =
  (language: Language) => (key: ExternalSendKey, params?: Readonly<Record<string, string | number>>) =>
    externalSendMessages.render(key, language, params);

/* The sender's history of external statuses (ExternalHistory.tsx, issue 20). */
export const externalHistoryMessages = defineMessages({
  title: { vi: 'Lịch sử trạng thái liên thông', en: 'Exchange status history' },
  loading: { vi: 'Đang tải…', en: 'Loading…' },
  failed: {
    vi: 'Chưa tải được lịch sử trạng thái liên thông.',
    en: 'The exchange status history could not be loaded.',
  },
  none: { vi: 'Chưa có trạng thái nào.', en: 'No status yet.' },
});

export const externalHistoryTranslator =
  (language: Language) => (key: (typeof externalHistoryMessages.codes)[number]) =>
    externalHistoryMessages.render(key, language);

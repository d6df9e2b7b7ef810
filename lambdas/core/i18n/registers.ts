import { defineMessages } from './catalogue';

/*
 * The printed and exported registers (core/registers/): the titles and column headings of Decree 30's
 * forms (Appendix IV) and their urgency notes. A catalogue of its own, carried only by the `inbox` function.
 */
export const registerMessages = defineMessages({
  title_outgoing: { vi: 'Sổ đăng ký văn bản đi', en: 'Register of outgoing documents' },
  title_incoming: { vi: 'Sổ đăng ký văn bản đến', en: 'Register of incoming documents' },
  'title_follow-up': {
    vi: 'Sổ theo dõi giải quyết văn bản đến',
    en: 'Register of the handling of incoming documents',
  },
  period_year: { vi: 'Năm {year}', en: 'Year {year}' },
  period_range: { vi: 'Từ ngày {from} đến ngày {to}', en: 'From {from} to {to}' },
  page: { vi: 'Trang {page}/{pages}', en: 'Page {page} of {pages}' },
  empty: { vi: 'Không có văn bản nào trong thời gian này.', en: 'No documents in this period.' },
  period_too_long: {
    vi: 'khoảng thời gian dài quá {years} năm',
    en: 'the period is longer than {years} years',
  },
  unknown_org: { vi: 'không có cơ quan, tổ chức “{org}”', en: 'there is no organisation “{org}”' },
  overdue_incoming_only: {
    vi: 'lọc quá hạn chỉ áp dụng cho sổ văn bản đến và sổ theo dõi giải quyết',
    en: 'the overdue filter applies to the incoming and follow-up registers only',
  },
  status_of_other_register: {
    vi: 'trạng thái này không thuộc sổ đã chọn',
    en: 'this state does not belong to the chosen register',
  },
  period_reversed: { vi: 'ngày bắt đầu sau ngày kết thúc', en: 'the start date is after the end date' },
  col_symbol: { vi: 'Số, ký hiệu văn bản', en: 'Number and symbol' },
  col_issuedOn: { vi: 'Ngày tháng văn bản', en: 'Date of the document' },
  col_typeSubject: {
    vi: 'Tên loại và trích yếu nội dung văn bản',
    en: 'Type and summary of the document',
  },
  col_signer: { vi: 'Người ký', en: 'Signed by' },
  col_recipients: { vi: 'Nơi nhận văn bản', en: 'Recipients' },
  col_notes: { vi: 'Ghi chú', en: 'Notes' },
  note_attachments: { vi: 'Kèm {count} phụ lục', en: '{count} attachment(s)' },
  col_arrivedOn: { vi: 'Ngày đến', en: 'Date of arrival' },
  col_arrivalNumber: { vi: 'Số đến', en: 'Arrival number' },
  col_issuer: { vi: 'Tác giả', en: 'Issuing organisation' },
  col_number: { vi: 'Số thứ tự', en: 'Entry' },
  col_subject: { vi: 'Trích yếu nội dung', en: 'Summary' },
  col_handler: { vi: 'Đơn vị hoặc người nhận', en: 'Receiving unit or person' },
  col_deadline: { vi: 'Thời hạn giải quyết', en: 'Deadline' },
  col_progress: { vi: 'Tiến độ giải quyết', en: 'Progress' },
  col_reply: { vi: 'Số, ký hiệu văn bản trả lời', en: 'Number and symbol of the reply' },
  progress_REGISTERED: { vi: 'Chưa trình', en: 'Not yet presented' },
  progress_PRESENTED: { vi: 'Đã trình, chờ giao xử lý', en: 'Presented, awaiting assignment' },
  progress_ASSIGNED: { vi: 'Đã giao, chưa bắt đầu', en: 'Assigned, not started' },
  progress_IN_PROGRESS: { vi: 'Đang giải quyết', en: 'Being handled' },
  progress_RESOLVED: { vi: 'Đã giải quyết ngày {date}', en: 'Resolved on {date}' },
  progress_FORWARDED: { vi: 'Đã chuyển cơ quan khác ngày {date}', en: 'Forwarded on {date}' },
  progress_RECALLED: { vi: 'Bên gửi đã thu hồi', en: 'Recalled by the sender' },
  note_overdue: { vi: 'Quá hạn {days} ngày làm việc', en: '{days} working day(s) overdue' },
  note_late: { vi: 'Giải quyết quá hạn', en: 'Resolved late' },
  urgency_normal: { vi: 'Thường', en: 'Normal' },
  urgency_urgent: { vi: 'Khẩn', en: 'Urgent' },
  'urgency_very-urgent': { vi: 'Thượng khẩn', en: 'Very urgent' },
  urgency_flash: { vi: 'Hỏa tốc', en: 'Flash' },
  'urgency_flash-timed': { vi: 'Hỏa tốc hẹn giờ', en: 'Flash, timed' },
});

export type RegisterMessageCode = (typeof registerMessages.codes)[number];

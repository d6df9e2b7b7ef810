import { defineMessages } from './catalogue';

/*
 * The printed and exported registers (core/registers/): the titles and column headings of Decree 30's
 * forms (Appendix IV) and their urgency notes. A catalogue of its own, carried only by the `inbox` function.
 */
export const registerMessages = defineMessages({
  title_outgoing: { vi: 'Sổ đăng ký văn bản đi', en: 'Register of outgoing documents' },
  title_incoming: { vi: 'Sổ đăng ký văn bản đến', en: 'Register of incoming documents' },
  period_year: { vi: 'Năm {year}', en: 'Year {year}' },
  period_range: { vi: 'Từ ngày {from} đến ngày {to}', en: 'From {from} to {to}' },
  page: { vi: 'Trang {page}/{pages}', en: 'Page {page} of {pages}' },
  empty: { vi: 'Không có văn bản nào trong thời gian này.', en: 'No documents in this period.' },
  period_too_long: {
    vi: 'khoảng thời gian dài quá {years} năm',
    en: 'the period is longer than {years} years',
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
  note_replaces: { vi: 'Thay thế văn bản số {symbol}', en: 'Replaces document {symbol}' },
  note_corrects: { vi: 'Đính chính văn bản số {symbol}', en: 'Corrects document {symbol}' },
  note_replaced_by: { vi: 'Đã bị thay thế bởi văn bản số {symbol}', en: 'Replaced by document {symbol}' },
  note_corrected_by: {
    vi: 'Đã được đính chính bởi văn bản số {symbol}',
    en: 'Corrected by document {symbol}',
  },
  col_arrivedOn: { vi: 'Ngày đến', en: 'Date of arrival' },
  col_arrivalNumber: { vi: 'Số đến', en: 'Arrival number' },
  col_issuer: { vi: 'Tác giả', en: 'Issuing organisation' },
  col_number: { vi: 'Số thứ tự', en: 'Entry' },
  urgency_normal: { vi: 'Thường', en: 'Normal' },
  urgency_urgent: { vi: 'Khẩn', en: 'Urgent' },
  'urgency_very-urgent': { vi: 'Thượng khẩn', en: 'Very urgent' },
  urgency_flash: { vi: 'Hỏa tốc', en: 'Flash' },
  'urgency_flash-timed': { vi: 'Hỏa tốc hẹn giờ', en: 'Flash, timed' },
});

export type RegisterMessageCode = (typeof registerMessages.codes)[number];

import { defineMessages, type Language } from '../../lambdas/core/i18n/catalogue';

/*
 * The follow-up register's and the filters' texts on the register screen (RegistersPage.tsx), and the
 * statistics screen's: a catalogue of their own, in the shape of every other.
 */
export const registerReportMessages = defineMessages({
  followUp: { vi: 'Sổ theo dõi giải quyết văn bản đến', en: 'Handling of incoming documents' },
  col_handler: { vi: 'Đơn vị, người nhận', en: 'Unit or person' },
  col_deadline: { vi: 'Thời hạn', en: 'Deadline' },
  col_progress: { vi: 'Tiến độ, kết quả', en: 'Progress' },
  col_reply: { vi: 'Văn bản trả lời', en: 'Reply' },
  overdueDays: { vi: 'Quá hạn {days} ngày làm việc', en: '{days} working day(s) overdue' },
  resolvedOn: { vi: 'Đã giải quyết ngày {date}', en: 'Resolved on {date}' },
  late: { vi: 'quá hạn', en: 'late' },
  sender: { vi: 'Nơi gửi', en: 'Sender' },
  recipient: { vi: 'Nơi nhận', en: 'Recipient' },
  status: { vi: 'Trạng thái', en: 'State' },
  overdue: { vi: 'Thời hạn giải quyết', en: 'Deadline' },
  overdueYes: { vi: 'Quá hạn', en: 'Overdue' },
  overdueNo: { vi: 'Chưa quá hạn', en: 'Not overdue' },
  search: { vi: 'Tìm kiếm', en: 'Search' },
  searchHint: { vi: 'Số, ký hiệu, trích yếu', en: 'Number, symbol, summary' },
  statsNav: { vi: 'Thống kê', en: 'Statistics' },
  statsTitle: { vi: 'Thống kê văn bản', en: 'Document statistics' },
  statsIntro: {
    vi: 'Văn bản đến, văn bản đi, giải quyết đúng hạn và quá hạn, theo thời gian, người xử lý, loại và độ khẩn; số liệu lấy từ các sổ văn bản.',
    en: 'Documents received and sent, handled on time and overdue, by period, handler, type and urgency; the numbers come from the registers.',
  },
  statsBy: { vi: 'Thống kê theo', en: 'Count by' },
  by_month: { vi: 'Tháng', en: 'Month' },
  by_quarter: { vi: 'Quý', en: 'Quarter' },
  by_year: { vi: 'Năm', en: 'Year' },
  received: { vi: 'Văn bản đến', en: 'Received' },
  sent: { vi: 'Văn bản đi', en: 'Sent' },
  resolved: { vi: 'Đã giải quyết', en: 'Resolved' },
  onTime: { vi: 'Đúng hạn', en: 'On time' },
  lateCount: { vi: 'Giải quyết quá hạn', en: 'Resolved late' },
  overdueCount: { vi: 'Đang quá hạn', en: 'Overdue now' },
  periods: { vi: 'Theo thời gian', en: 'By period' },
  handlers: { vi: 'Theo người xử lý', en: 'By handler' },
  types: { vi: 'Theo loại văn bản', en: 'By type' },
  urgencies: { vi: 'Theo độ khẩn', en: 'By urgency' },
  item: { vi: 'Mục', en: 'Item' },
  chartLabel: {
    vi: 'Biểu đồ cột: văn bản đến và văn bản đi theo thời gian (số liệu trong bảng dưới)',
    en: 'Bar chart: documents received and sent by period (the numbers are in the table below)',
  },
  none: { vi: 'Không có số liệu trong thời gian này.', en: 'No figures for this period.' },
});

export type RegisterReportKey = (typeof registerReportMessages.codes)[number];

export const registerReportTranslator =
  (language: Language) => (key: RegisterReportKey, params?: Readonly<Record<string, string | number>>) =>
    registerReportMessages.render(key, language, params);

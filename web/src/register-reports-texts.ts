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
});

export type RegisterReportKey = (typeof registerReportMessages.codes)[number];

export const registerReportTranslator =
  (language: Language) => (key: RegisterReportKey, params?: Readonly<Record<string, string | number>>) =>
    registerReportMessages.render(key, language, params);

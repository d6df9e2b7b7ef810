import { defineMessages } from '../../../lambdas/core/i18n/catalogue';

/* The overdue view's texts (OverduePage.tsx and its entry in the folder list): a catalogue of its own. */
export const overdueMessages = defineMessages({
  nav: { vi: 'Quá hạn', en: 'Overdue' },
  title: { vi: 'Văn bản quá hạn xử lý', en: 'Overdue documents' },
  intro: {
    vi: 'Văn bản đến của cơ quan đã quá hạn xử lý mà chưa giải quyết xong, tính theo ngày làm việc (trừ thứ Bảy, Chủ nhật, ngày lễ, Tết).',
    en: "Your organisation's incoming documents past their handling deadline and not yet resolved, counted in working days (weekends and public holidays, Tết included, left out).",
  },
  count: { vi: '{count} văn bản quá hạn', en: '{count} overdue documents' },
  empty: { vi: 'Không có văn bản nào quá hạn.', en: 'Nothing is overdue.' },
  col_symbol: { vi: 'Số, ký hiệu', en: 'Number' },
  col_subject: { vi: 'Trích yếu', en: 'Subject' },
  col_handler: { vi: 'Người xử lý', en: 'Handled by' },
  col_assignedBy: { vi: 'Người giao', en: 'Assigned by' },
  col_deadline: { vi: 'Hạn xử lý', en: 'Deadline' },
  col_overdue: { vi: 'Quá hạn', en: 'Overdue by' },
  days: { vi: '{count} ngày làm việc', en: '{count} working days' },
  unit: { vi: 'Phòng/ban {code}', en: 'Unit {code}' },
  none: { vi: '—', en: '—' },
});

import { defineMessages, type Language } from '../../lambdas/core/i18n/catalogue';

/* The register screen's texts (RegistersPage.tsx): a catalogue of its own, in the shape of every other. */
export const registerScreenMessages = defineMessages({
  nav: { vi: 'Sổ văn bản', en: 'Registers' },
  title: { vi: 'Sổ đăng ký văn bản', en: 'Document registers' },
  intro: {
    vi: 'Sổ đăng ký văn bản đi và văn bản đến theo mẫu Phụ lục IV Nghị định 30/2020/NĐ-CP: xem, lọc và tải về để in, đóng sổ.',
    en: 'The registers of outgoing and incoming documents in the form of Decree 30/2020/ND-CP, Appendix IV: view, filter and download to print and bind.',
  },
  register: { vi: 'Sổ', en: 'Register' },
  outgoing: { vi: 'Sổ đăng ký văn bản đi', en: 'Outgoing documents' },
  incoming: { vi: 'Sổ đăng ký văn bản đến', en: 'Incoming documents' },
  from: { vi: 'Từ ngày', en: 'From' },
  to: { vi: 'Đến ngày', en: 'To' },
  docType: { vi: 'Loại văn bản', en: 'Type' },
  urgency: { vi: 'Độ khẩn', en: 'Urgency' },
  any: { vi: 'Tất cả', en: 'All' },
  show: { vi: 'Xem danh sách', en: 'Show the list' },
  download: { vi: 'Tải về', en: 'Download' },
  downloadPdf: { vi: 'Bản in (PDF)', en: 'For printing (PDF)' },
  downloadXlsx: { vi: 'Bảng tính (XLSX)', en: 'Spreadsheet (XLSX)' },
  downloadCsv: { vi: 'Dữ liệu (CSV)', en: 'Data (CSV)' },
  count: { vi: '{count} văn bản', en: '{count} documents' },
  empty: { vi: 'Không có văn bản nào trong thời gian này.', en: 'No documents in this period.' },
  col_symbol: { vi: 'Số, ký hiệu', en: 'Number and symbol' },
  col_issuedOn: { vi: 'Ngày văn bản', en: 'Date' },
  col_subject: { vi: 'Tên loại và trích yếu', en: 'Type and summary' },
  col_signer: { vi: 'Người ký', en: 'Signed by' },
  col_recipients: { vi: 'Nơi nhận', en: 'Recipients' },
  col_arrival: { vi: 'Số đến', en: 'Arrival number' },
  col_arrivedOn: { vi: 'Ngày đến', en: 'Arrived on' },
  col_issuer: { vi: 'Tác giả', en: 'Issuing organisation' },
});

export type RegisterScreenKey = (typeof registerScreenMessages.codes)[number];

export const registerScreenTranslator =
  (language: Language) => (key: RegisterScreenKey, params?: Readonly<Record<string, string | number>>) =>
    registerScreenMessages.render(key, language, params);

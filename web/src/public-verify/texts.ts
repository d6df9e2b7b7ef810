import { defineMessages, type Language } from '../../../lambdas/core/i18n/catalogue';

/*
 * The public verification page's texts (verify.html), a catalogue of their own in the shape of every other
 * (lambdas/core/i18n): the page loads neither the inbox nor its catalogue.
 */
export const publicVerifyMessages = defineMessages({
  title: { vi: 'Kiểm tra văn bản điện tử', en: 'Check an electronic document' },
  tagline: { vi: 'Tra cứu công khai', en: 'Public check' },
  intro: {
    vi: 'Chọn tệp PDF văn bản bạn nhận được để biết chữ ký số trên văn bản có hợp lệ không, ai đã ký, ký với tư cách gì, khi nào, và văn bản có đúng do cơ quan ghi trên văn bản ban hành, với số và ngày như trong sổ đăng ký hay không.',
    en: 'Choose the PDF file of a document you received to learn whether its digital signatures are valid, who signed it, in which capacity and when, and whether it was issued by the organisation it names, with the number and date as registered.',
  },
  privacy: {
    vi: 'Không cần đăng nhập. Tệp chỉ được dùng để kiểm tra và bị xóa ngay sau đó, không được lưu lại.',
    en: 'No sign-in needed. The file is used only for the check and deleted right after; it is not kept.',
  },
  fileLabel: { vi: 'Tệp PDF cần kiểm tra', en: 'PDF file to check' },
  fileHint: { vi: 'Tối đa {size} MB.', en: 'At most {size} MB.' },
  chooseFile: { vi: 'Chọn tệp', en: 'Choose file' },
  noFileChosen: { vi: 'Chưa chọn tệp', en: 'No file chosen' },
  dropHere: { vi: 'Có thể kéo thả tệp vào ô này.', en: 'You can also drop the file here.' },
  check: { vi: 'Kiểm tra', en: 'Check' },
  checking: { vi: 'Đang kiểm tra…', en: 'Checking…' },
  comparingWith: {
    vi: 'Đối chiếu với văn bản có mã {id} (từ mã QR).',
    en: 'Comparing with the document with code {id} (from the QR code).',
  },
  notPdf: { vi: 'Tệp đã chọn không phải tệp PDF.', en: 'The chosen file is not a PDF file.' },
  tooLarge: { vi: 'Tệp lớn hơn {size} MB.', en: 'The file is larger than {size} MB.' },
  failed: {
    vi: 'Không kiểm tra được tệp: {message}',
    en: 'The file could not be checked: {message}',
  },
  networkFailed: {
    vi: 'Không kết nối được máy chủ. Vui lòng thử lại.',
    en: 'The server could not be reached. Please try again.',
  },
  resultTitle: { vi: 'Kết quả kiểm tra', en: 'Result of the check' },
  verdict_valid: { vi: 'Mọi chữ ký số hợp lệ', en: 'Every digital signature is valid' },
  verdict_modified: {
    vi: 'Văn bản đã bị thay đổi sau khi ký',
    en: 'The document was changed after it was signed',
  },
  verdict_invalid: { vi: 'Có chữ ký số không hợp lệ', en: 'A digital signature is not valid' },
  verdict_unsigned: { vi: 'Văn bản không có chữ ký số', en: 'The document has no digital signature' },
  registeredTitle: { vi: 'Đăng ký ban hành', en: 'Registered issue' },
  registeredYes: {
    vi: 'Văn bản do {organisation} ban hành, có trong sổ đăng ký văn bản đi.',
    en: 'Issued by {organisation}, recorded in its register of outgoing documents.',
  },
  registeredNo: {
    vi: 'Không tìm thấy văn bản này trong sổ đăng ký văn bản đi của cơ quan nào trên hệ thống: văn bản không được ban hành như tệp này, hoặc tệp đã bị thay đổi.',
    en: 'This document is not in any organisation’s register of outgoing documents on this system: it was not issued as this file, or the file was changed.',
  },
  number: { vi: 'Số, ký hiệu', en: 'Number and symbol' },
  issuedOn: { vi: 'Ngày ban hành', en: 'Date of issue' },
  docType: { vi: 'Loại văn bản', en: 'Type' },
  idMatches: {
    vi: 'Tệp này đúng là văn bản có mã {id}.',
    en: 'This file is the document with code {id}.',
  },
  idDiffers: {
    vi: 'Tệp này KHÔNG phải văn bản có mã {id} như đã ban hành.',
    en: 'This file is NOT the document with code {id} as issued.',
  },
  signaturesTitle: { vi: 'Chữ ký số', en: 'Digital signatures' },
  kind_personal: { vi: 'Chữ ký của người có thẩm quyền', en: 'Signature of the official' },
  kind_seal: { vi: 'Chữ ký số của cơ quan (con dấu)', en: 'Seal of the organisation' },
  kind_acknowledgement: { vi: 'Xác nhận đã nhận', en: 'Acknowledgement of receipt' },
  kind_timestamp: { vi: 'Dấu thời gian', en: 'Timestamp' },
  sigValid: { vi: 'Hợp lệ', en: 'Valid' },
  sigModified: { vi: 'Văn bản bị thay đổi sau khi ký', en: 'Changed after signing' },
  sigInvalid: { vi: 'Không hợp lệ', en: 'Not valid' },
  untrusted: {
    vi: 'Chứng thư số không do cơ quan chứng thực tin cậy cấp',
    en: 'The certificate was not issued by a trusted authority',
  },
  signer: { vi: 'Người ký', en: 'Signed by' },
  capacity: { vi: 'Tư cách ký', en: 'Capacity' },
  position: { vi: 'Chức vụ', en: 'Position' },
  organisation: { vi: 'Cơ quan', en: 'Organisation' },
  signedAt: { vi: 'Thời điểm ký', en: 'Signed at' },
  timestamped: { vi: '(có dấu thời gian tin cậy)', en: '(with a trusted timestamp)' },
  unknown: { vi: 'Không rõ', en: 'Unknown' },
  another: { vi: 'Kiểm tra tệp khác', en: 'Check another file' },
  capacity_KT: { vi: 'Ký thay (KT.)', en: 'Signed on behalf of the head (KT.)' },
  capacity_TM: { vi: 'Thay mặt tập thể (TM.)', en: 'On behalf of the collective body (TM.)' },
  capacity_TL: { vi: 'Thừa lệnh (TL.)', en: 'By order (TL.)' },
  capacity_Q: { vi: 'Quyền (Q.)', en: 'Acting head (Q.)' },
  capacity_TUQ: { vi: 'Thừa ủy quyền (TUQ.)', en: 'By authorisation (TUQ.)' },
});

export type PublicVerifyKey = (typeof publicVerifyMessages.codes)[number];

export function publicTranslator(language: Language) {
  return (key: PublicVerifyKey, params?: Readonly<Record<string, string | number>>) =>
    publicVerifyMessages.render(key, language, params);
}

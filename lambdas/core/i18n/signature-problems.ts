/**
 * The verifier's per-signature problems in Vietnamese. Reports keep them in English (their stable form for
 * machines, the evidence format and the CLI's JSON); people read them in their language through this table,
 * which follows the texts of lambdas/core/pki/trust.ts, lambdas/core/cms/verify.ts and
 * lambdas/core/pdf/verify.ts. A problem it does not know is shown as it is.
 */

type Rule = readonly [RegExp, (...groups: string[]) => string];

const q = (name: string) => `“${name}”`;

const RULES: readonly Rule[] = [
  // Certificate path (trust.ts)
  [
    /^self-signed certificate "(.+)" is not a trust anchor$/,
    (n) => `chứng thư tự ký ${q(n)} không phải gốc tin cậy`,
  ],
  [/^no issuer found for "(.+)"$/, (n) => `không tìm thấy nơi cấp chứng thư ${q(n)}`],
  [/^certificate chain too long$/, () => 'chuỗi chứng thư quá dài'],
  [/^chain does not reach a trust anchor$/, () => 'chuỗi chứng thư không dẫn tới gốc tin cậy'],
  [/^"(.+)" is not valid at (\S+)$/, (n, t) => `chứng thư ${q(n)} không có hiệu lực tại thời điểm ${t}`],
  [/^"(.+)" is not a CA$/, (n) => `${q(n)} không phải tổ chức cấp chứng thư`],
  [/^"(.+)" may not sign certificates$/, (n) => `${q(n)} không được phép ký chứng thư`],
  [/^path length constraint of "(.+)" exceeded$/, (n) => `vượt giới hạn độ dài chuỗi của ${q(n)}`],
  [/^no CRL for "(.+)"$/, (n) => `không có danh sách thu hồi (CRL) cho ${q(n)}`],
  [
    /^"(.+)" was revoked at (\S+) \((.+)\)$/,
    (n, t, reason) => `chứng thư ${q(n)} đã bị thu hồi lúc ${t} (${reason})`,
  ],
  // CMS (cms/verify.ts)
  [/^the signer certificate is not in the CMS$/, () => 'chữ ký không kèm chứng thư của người ký'],
  [/^unsupported digest algorithm (.+)$/, (a) => `thuật toán băm không được hỗ trợ: ${a}`],
  [/^no signed attributes$/, () => 'chữ ký không có thuộc tính được ký'],
  [
    /^the message digest does not match the signed content$/,
    () => 'giá trị băm không khớp với nội dung đã ký',
  ],
  [
    /^the signature value does not verify with the signer certificate$/,
    () => 'giá trị chữ ký không khớp với chứng thư của người ký',
  ],
  [
    /^signing-certificate-v2 does not name the signer certificate$/,
    () => 'thuộc tính signing-certificate-v2 không chỉ đúng chứng thư của người ký',
  ],
  [/^the timestamp does not cover this signature$/, () => 'dấu thời gian không gắn với chữ ký này'],
  [
    /^unsupported digest in the timestamp token$/,
    () => 'dấu thời gian dùng thuật toán băm không được hỗ trợ',
  ],
  [
    /^the timestamp was not signed by a time-stamping certificate$/,
    () => 'dấu thời gian không được ký bằng chứng thư cấp dấu thời gian',
  ],
  // PDF (pdf/verify.ts)
  [/^the byte range is malformed$/, () => 'vùng dữ liệu được ký (ByteRange) không hợp lệ'],
  [
    /^the byte range leaves more than the signature value unsigned$/,
    () => 'vùng dữ liệu được ký bỏ sót phần ngoài giá trị chữ ký',
  ],
  [
    /^the byte range does not end at the end of a revision$/,
    () => 'vùng dữ liệu được ký không kết thúc ở cuối một phiên bản của tệp',
  ],
  [/^the signature value cannot be read: (.+)$/, (why) => `không đọc được giá trị chữ ký: ${why}`],
  [
    /^PAdES baseline forbids a CMS signing-time attribute \(informational\)$/,
    () => 'chuẩn PAdES không cho phép thuộc tính signing-time trong CMS (chỉ để thông tin)',
  ],
  [/^no TSA certificate$/, () => 'không có chứng thư của đơn vị cấp dấu thời gian'],
  [
    /^the signer certificate is not meant for document signing$/,
    () => 'chứng thư của người ký không dùng để ký văn bản',
  ],
];

/** The problem in Vietnamese, or as it is when the table does not know it. */
export function problemInVietnamese(problem: string): string {
  for (const [pattern, render] of RULES) {
    const match = pattern.exec(problem);
    if (match) return render(...match.slice(1));
  }
  return problem;
}

/** The problem in the reader's language. */
export const problemText = (problem: string, language: 'vi' | 'en'): string =>
  language === 'vi' ? problemInVietnamese(problem) : problem;

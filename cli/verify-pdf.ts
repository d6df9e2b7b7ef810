import { problemText } from '../lambdas/core/i18n/problems';
import { MAX_OFFLINE_VERIFIED_PDF_BYTES } from '../lambdas/core/limits';
import { type SignatureReport, type VerificationReport, verifyPdf } from '../lambdas/core/pdf/verify';
import { hanoiDateTime } from '../lambdas/core/pki/evidence-horizon';
import { type CommandOptions, type CommandResult, type Lang, T } from './common';
import { loadCrls, loadTrust } from './trust';

/** `docflow verify <file.pdf>`: every signature of one PDF, read from disk lazily (constant memory). */
export async function verifyCommand(options: CommandOptions): Promise<CommandResult> {
  const report = await verifyPdf(options.file, {
    trust: await loadTrust(options.trust),
    crls: await loadCrls(options.crl),
    maxBytes: MAX_OFFLINE_VERIFIED_PDF_BYTES,
    wholeFile: options.wholeFile,
  });
  return {
    code: report.verdict === 'valid' ? 0 : 1,
    output: options.json
      ? JSON.stringify(report, null, 2)
      : pdfReport(options.file, report, options.lang, options.trust.length > 0),
  };
}

function signatureLines(s: SignatureReport, lang: Lang): string[] {
  const yes = T(lang, 'có', 'yes');
  const no = T(lang, 'KHÔNG', 'NO');
  const verdict = {
    valid: T(lang, 'HỢP LỆ', 'VALID'),
    modified: T(lang, 'HỢP LỆ, NHƯNG TÀI LIỆU BỊ SỬA SAU KHI KÝ', 'VALID, BUT MODIFIED AFTER SIGNING'),
    invalid: T(lang, 'KHÔNG HỢP LỆ', 'NOT VALID'),
  }[s.verdict];
  const lines = [
    `${T(lang, 'Chữ ký', 'Signature')} ${s.index} [${s.fieldName}]: ${verdict}`,
    `  ${T(lang, 'Người ký', 'Signer')}: ${s.signer?.subject ?? '?'}`,
    `  ${T(lang, 'Nơi cấp', 'Issuer')}: ${s.signer?.issuer ?? '?'}  (serial ${s.signer?.serial ?? '?'})`,
  ];
  if (s.capacity || s.kind)
    lines.push(
      `  ${T(lang, 'Thẩm quyền / loại', 'Capacity / kind')}: ${s.capacity ?? '—'} / ${s.kind ?? s.type}`,
    );
  if (s.delegation) {
    const d = s.delegation;
    const until = d.validUntil ?? T(lang, 'không thời hạn', 'open-ended');
    lines.push(
      `  ${T(lang, 'Giao ký', 'Delegation')}: ${d.kind}. ${d.basis} (${T(lang, 'cơ quan', 'organisation')} ${d.orgId}; ${T(lang, 'người giao', 'granted by')} ${d.grantedBy}; ${T(lang, 'người được giao', 'delegate')} ${d.delegateId}; ${d.validFrom} – ${until}; id ${d.id})`,
    );
  }
  if (s.reason) lines.push(`  ${T(lang, 'Lý do', 'Reason')}: ${s.reason}`);
  lines.push(
    `  ${T(lang, 'Thời điểm ký khai báo', 'Claimed time')}: ${s.claimedTime ?? '—'}`,
    `  ${T(lang, 'Dấu thời gian', 'Timestamp')}: ${s.timestamp ? `${s.timestamp.time} (${s.timestamp.authority ?? '?'}; ${s.timestamp.valid && s.timestamp.trusted ? T(lang, 'hợp lệ, tin cậy', 'valid, trusted') : T(lang, 'KHÔNG hợp lệ hoặc không tin cậy', 'NOT valid or not trusted')})` : '—'}`,
    `  ${T(lang, 'Toàn vẹn (băm, chữ ký, phạm vi)', 'Integrity (digest, signature, byte range)')}: ${s.digestValid ? yes : no}, ${s.signatureValid ? yes : no}, ${s.coversWholeRevision ? yes : no}`,
    `  ${T(lang, 'Chuỗi chứng thư đến gốc tin cậy', 'Chain to a trusted root')}: ${s.chainTrusted ? yes : no}`,
    `  ${T(lang, 'Chứng thư còn hiệu lực lúc ký', 'Certificate valid at signing time')} (${s.validationTime}): ${s.certificateValidAtSigningTime ? yes : no}; ${T(lang, 'thu hồi', 'revocation')}: ${s.revocation}${s.revokedAt ? ` (${s.revokedAt})` : ''}`,
  );
  if (s.changesAfter.length > 0)
    lines.push(
      `  ${T(lang, 'Thay đổi sau khi ký', 'Changes after signing')}: ${s.changesAfter.map((c) => `${c.category}${c.allowed ? '' : T(lang, ' (KHÔNG được phép)', ' (NOT allowed)')}`).join(', ')}`,
    );
  if (s.archive)
    lines.push(
      `  ${T(lang, 'Bằng chứng lưu trữ có giá trị đến', 'Archive evidence holds until')}: ${hanoiDateTime(s.archive.holdsUntil)} ${T(lang, '(giờ Hà Nội)', '(Hanoi time)')}; ${T(lang, 'còn giá trị lúc', 'held at')} ${hanoiDateTime(s.archive.checkedAt)}: ${s.archive.held ? yes : no}`,
    );
  for (const p of s.problems) lines.push(`  ! ${problemText(p, lang)}`);
  return lines;
}

function pdfReport(file: string, report: VerificationReport, lang: Lang, trusted: boolean): string {
  const lines = [
    `${T(lang, 'Tệp', 'File')}: ${file} (${report.fileSize} bytes, ${report.revisions} ${T(lang, 'lần cập nhật', 'revisions')})`,
  ];
  if (!trusted)
    lines.push(
      T(
        lang,
        'Cảnh báo: không có --trust, không chữ ký nào có thể được coi là tin cậy.',
        'Warning: no --trust given, so no signature can be trusted.',
      ),
    );
  for (const s of report.signatures) lines.push('', ...signatureLines(s, lang));
  lines.push('', report.summary[lang]);
  lines.push(
    '',
    report.verdict === 'valid'
      ? T(lang, 'KẾT LUẬN: mọi chữ ký hợp lệ.', 'RESULT: every signature is valid.')
      : report.verdict === 'unsigned'
        ? T(lang, 'KẾT LUẬN: tài liệu không có chữ ký số.', 'RESULT: the document is not signed.')
        : T(lang, 'KẾT LUẬN: có chữ ký KHÔNG hợp lệ.', 'RESULT: some signature is NOT valid.'),
  );
  return lines.join('\n');
}

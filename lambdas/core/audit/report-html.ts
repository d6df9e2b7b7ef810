import type { DocumentAudit } from './report';

/** A readable, self-contained HTML page of a document audit (Vietnamese, with the English beside it). */

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export function auditHtml(audit: DocumentAudit, title: string): string {
  const ok = audit.verdict === 'valid';
  const rows = audit.revisions
    .map((r) => {
      const signatures = (r.report?.signatures ?? [])
        .map(
          (s) =>
            `<tr><td>${s.index}</td><td>${escapeHtml(s.signer?.commonName ?? '?')}</td><td>${escapeHtml(s.capacity ?? '')}</td><td>${escapeHtml(s.kind ?? s.type)}</td><td>${escapeHtml(s.timestamp?.time ?? s.claimedTime ?? '')}</td><td>${escapeHtml(s.signer?.issuer ?? '')}</td><td class="${s.verdict}">${escapeHtml(s.verdict)}</td><td>${escapeHtml(s.problems.join('; '))}</td></tr>`,
        )
        .join('');
      return `<section><h3>Phiên bản / Revision ${r.index}: ${escapeHtml(r.role)}</h3>
<p><code>${escapeHtml(r.sha256)}</code> · sự kiện / events ${escapeHtml(r.seqs.join(', '))} · tệp / file: <b class="${r.file === 'ok' ? 'valid' : 'invalid'}">${escapeHtml(r.file)}</b>${r.extendsPrevious === null ? '' : ` · nối tiếp bản trước / extends previous: ${r.extendsPrevious ? 'có / yes' : '<b class="invalid">KHÔNG / NO</b>'}`}</p>
${r.verifiedWithin ? `<p>Các chữ ký của phiên bản này được kiểm tra trong phiên bản ${r.verifiedWithin} (phiên bản này là phần đầu nguyên vẹn của nó). / Its signatures are verified within revision ${r.verifiedWithin}, of which it is an intact prefix.</p>` : ''}
${signatures ? `<table><tr><th>#</th><th>Người ký / Signer</th><th>Thẩm quyền / Capacity</th><th>Loại / Kind</th><th>Thời điểm / Time</th><th>Nơi cấp / Issuer</th><th>Kết quả / Verdict</th><th>Ghi chú / Notes</th></tr>${signatures}</table>` : r.verifiedWithin ? '' : '<p>Không có chữ ký số / no signature.</p>'}
</section>`;
    })
    .join('\n');
  const problems = audit.problems.length
    ? `<ul>${audit.problems.map((p) => `<li>${escapeHtml(p.vi)}<br><i>${escapeHtml(p.en)}</i></li>`).join('')}</ul>`
    : '<p class="valid">Không phát hiện vấn đề nào. / No problem found.</p>';
  const t = audit.transparency;
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font-family:"Times New Roman",Tinos,serif;max-width:60em;margin:2em auto;padding:0 1em;color:#111}
table{border-collapse:collapse;width:100%;font-size:.9em}td,th{border:1px solid #999;padding:.3em;text-align:left;vertical-align:top}
.valid{color:#075e00}.invalid,.modified{color:#a00000;font-weight:bold}code{font-size:.85em;word-break:break-all}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p>Mã văn bản / document: <code>${escapeHtml(audit.documentId)}</code><br>Kiểm tra lúc / checked at: ${escapeHtml(audit.checkedAt)}</p>
<h2 class="${ok ? 'valid' : 'invalid'}">${ok ? 'HỢP LỆ / VALID' : 'KHÔNG HỢP LỆ / NOT VALID'}</h2>
${problems}
<h2>Nhật ký luân chuyển / Circulation log</h2>
<p>${audit.chain.ok ? `Toàn vẹn: ${audit.chain.length} sự kiện, đầu chuỗi / intact: ${audit.chain.length} events, head <code>${escapeHtml(audit.chain.head?.hash ?? '')}</code>` : `<b class="invalid">Bị thay đổi / altered</b>: ${escapeHtml(audit.chain.message ?? '')}`}</p>
${t ? `<p>Nhật ký minh bạch / transparency log: ${t.included}/${t.events} sự kiện có bằng chứng / events proven${t.head ? `, cây cỡ / tree size ${t.head.treeSize}, gốc / root <code>${escapeHtml(t.head.rootHash)}</code> (${escapeHtml(t.head.timestamp)})` : ''}.</p>` : ''}
<h2>Các phiên bản tệp và chữ ký / File revisions and signatures</h2>
${rows}
<pre>${escapeHtml(audit.summary.vi)}</pre>
</body></html>
`;
}

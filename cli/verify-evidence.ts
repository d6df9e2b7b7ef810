import './zod-config';
import { readFile } from 'node:fs/promises';
import { type EvidenceCheck, verifyEvidence } from '../lambdas/core/audit/evidence-check';
import { type CommandOptions, type CommandResult, type Lang, T, UsageError } from './common';
import { loadTrust } from './trust';

/** `docflow verify-evidence <package.zip>`: the package from GET /api/documents/{id}/evidence. */
export async function verifyEvidenceCommand(options: CommandOptions): Promise<CommandResult> {
  const trust = await loadTrust(options.trust);
  if (options.trust.length === 0) throw new UsageError('verify-evidence needs --trust root.pem');
  const check = await verifyEvidence(new Uint8Array(await readFile(options.file)), trust, {
    wholeFile: options.wholeFile,
  });
  return {
    code: check.ok ? 0 : 1,
    output: options.json ? JSON.stringify(check, null, 2) : evidenceReport(check, options.lang),
  };
}

function evidenceReport(check: EvidenceCheck, lang: Lang): string {
  return [
    check.summary[lang],
    '',
    check.ok
      ? T(lang, 'KẾT LUẬN: gói chứng cứ hợp lệ.', 'RESULT: the evidence package verifies.')
      : T(lang, 'KẾT LUẬN: gói chứng cứ KHÔNG hợp lệ.', 'RESULT: the evidence package does NOT verify.'),
  ].join('\n');
}

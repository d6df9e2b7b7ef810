import './zod-config';
import { eventHash } from '../lambdas/core/log/chain';
import type { TrustStore } from '../lambdas/core/pki/trust';
import {
  type Check,
  ConsistencyProofSchema,
  InclusionProofSchema,
  SignedTreeHeadSchema,
  verifyConsistencyProof,
  verifyInclusionProof,
} from '../lambdas/core/transparency/tree-head';
import { type CommandOptions, type CommandResult, readJson, T, UsageError } from './common';
import { loadTrust } from './trust';

/** `docflow verify-proof <proof.json>`: an inclusion or consistency proof of the transparency log. */
export async function verifyProofCommand(options: CommandOptions): Promise<CommandResult> {
  const { lang } = options;
  const trust = await loadTrust(options.trust);
  const check = await checkProof(
    options.file,
    options.trust.length > 0 ? trust : undefined,
    options.event,
    options.head,
  );
  const code = check.ok ? 0 : 1;
  if (options.json) return { code, output: JSON.stringify(check, null, 2) };
  const lines = [`${check.kind}: ${check.detail}`];
  if (options.trust.length === 0)
    lines.push(
      T(
        lang,
        'Cảnh báo: không có --trust, chỉ kiểm tra chữ ký đầu cây bằng chứng thư kèm theo.',
        'Warning: no --trust, the tree head is checked only against the certificate it carries.',
      ),
    );
  for (const p of check.problems) lines.push(`  ! ${p}`);
  lines.push(
    check.ok
      ? T(lang, 'KẾT LUẬN: bằng chứng hợp lệ.', 'RESULT: the proof holds.')
      : T(lang, 'KẾT LUẬN: bằng chứng KHÔNG hợp lệ.', 'RESULT: the proof does NOT hold.'),
  );
  return { code, output: lines.join('\n') };
}

async function checkProof(
  path: string,
  trust: TrustStore | undefined,
  eventPath: string | undefined,
  headPath: string | undefined,
): Promise<Check & { kind: string; detail: string }> {
  const raw = await readJson(path);
  const kind = (raw as { kind?: unknown } | null)?.kind;
  const saved = headPath ? SignedTreeHeadSchema.safeParse(await readJson(headPath)) : undefined;
  if (saved && !saved.success) throw new UsageError(`${headPath}: not a signed tree head`);
  if (kind === 'inclusion') {
    const proof = InclusionProofSchema.safeParse(raw);
    if (!proof.success) throw new UsageError(`${path}: not an inclusion proof`);
    const p = proof.data;
    const problems = [...verifyInclusionProof(p, trust).problems];
    if (eventPath) {
      const event = (await readJson(eventPath)) as Record<string, unknown>;
      const recomputed = eventHash(event);
      if (recomputed !== p.eventHash || event.hash !== p.eventHash)
        problems.push(
          `the event in ${eventPath} hashes to ${recomputed} (its hash field says ${String(event.hash)}), the proof is about ${p.eventHash}`,
        );
      if (event.documentId !== p.documentId || event.seq !== p.seq)
        problems.push(`the event in ${eventPath} is not event ${p.seq} of document ${p.documentId}`);
    }
    if (
      saved?.success &&
      (saved.data.treeSize !== p.treeHead.treeSize || saved.data.rootHash !== p.treeHead.rootHash)
    )
      problems.push(
        `the proof is against the head of size ${p.treeHead.treeSize}, not the saved head of size ${saved.data.treeSize}`,
      );
    return {
      ok: problems.length === 0,
      problems,
      kind,
      detail: `event ${p.seq} of ${p.documentId} at leaf ${p.leafIndex} of ${p.treeSize} (root ${p.treeHead.rootHash}, ${p.treeHead.timestamp}); ${p.path.length} hashes`,
    };
  }
  if (kind === 'consistency') {
    const proof = ConsistencyProofSchema.safeParse(raw);
    if (!proof.success) throw new UsageError(`${path}: not a consistency proof`);
    const p = proof.data;
    const problems = [...verifyConsistencyProof(p, trust).problems];
    if (
      saved?.success &&
      (saved.data.treeSize !== p.from.treeSize || saved.data.rootHash !== p.from.rootHash)
    )
      problems.push(
        `the saved head (size ${saved.data.treeSize}, root ${saved.data.rootHash.slice(0, 12)}…) is not where the proof starts (size ${p.from.treeSize}, root ${p.from.rootHash.slice(0, 12)}…)`,
      );
    return {
      ok: problems.length === 0,
      problems,
      kind,
      detail: `tree of ${p.from.treeSize} (${p.from.timestamp}) → tree of ${p.to.treeSize} (${p.to.timestamp}); ${p.path.length} hashes`,
    };
  }
  throw new UsageError(`${path}: neither an inclusion nor a consistency proof`);
}

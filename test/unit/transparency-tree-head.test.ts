import { describe, expect, it } from 'vitest';
import { InMemorySigner } from '../../lambdas/core/crypto/in-memory-signer';
import { CertificateAuthority } from '../../lambdas/core/pki/certificate-authority';
import { TrustStore } from '../../lambdas/core/pki/trust';
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  MemoryTree,
  sha256,
  toHex,
} from '../../lambdas/core/transparency/merkle';
import {
  type InclusionProof,
  type SignedTreeHead,
  signTreeHead,
  verifyConsistencyProof,
  verifyInclusionProof,
  verifyTreeHead,
} from '../../lambdas/core/transparency/tree-head';
import { cityPki } from '../support/pki-fixtures';

const eventHashes = Array.from({ length: 40 }, (_, i) => sha256(new TextEncoder().encode(`event ${i}`)));

async function logSigner() {
  const pki = await cityPki();
  const log = await pki.issue('seal', 'docflow Transparency Log (test)');
  return { pki, log };
}

async function headOf(
  tree: MemoryTree,
  size: number,
  identity: Awaited<ReturnType<typeof logSigner>>['log'],
) {
  return signTreeHead(
    {
      log: 'docflow/test',
      treeSize: size,
      rootHash: toHex(tree.root(size)),
      timestamp: new Date().toISOString(),
    },
    identity.signer,
    identity.chain,
  );
}

describe('signed tree heads and proofs over them', () => {
  it('verifies a head, an inclusion proof and a consistency proof against the root', async () => {
    const { pki, log } = await logSigner();
    const tree = new MemoryTree();
    for (const h of eventHashes) tree.append(h);
    const old = await headOf(tree, 25, log);
    const now = await headOf(tree, 40, log);
    expect(verifyTreeHead(now, pki.trust)).toEqual({ ok: true, problems: [] });

    const proof: InclusionProof = {
      kind: 'inclusion',
      documentId: 'd1',
      seq: 1,
      eventHash: toHex(eventHashes[17] as Uint8Array),
      leafIndex: 17,
      treeSize: 40,
      path: inclusionProof(tree, 17, 40).map(toHex),
      treeHead: now,
    };
    expect(verifyInclusionProof(proof, pki.trust).problems).toEqual([]);
    expect(leafHash(eventHashes[17] as Uint8Array)).toEqual(tree.leafHash(17));

    const consistency = {
      kind: 'consistency' as const,
      from: old,
      to: now,
      path: consistencyProof(tree, 25, 40).map(toHex),
    };
    expect(verifyConsistencyProof(consistency, pki.trust).problems).toEqual([]);
  });

  it('names what is wrong: an altered head, an unknown signer, another event, a rewritten history', async () => {
    const { pki, log } = await logSigner();
    const tree = new MemoryTree();
    for (const h of eventHashes) tree.append(h);
    const head = await headOf(tree, 40, log);

    const altered: SignedTreeHead = { ...head, treeSize: 41 };
    expect(verifyTreeHead(altered, pki.trust).problems.join('\n')).toMatch(/signature does not match/);

    const stranger = await CertificateAuthority.createRoot({
      signer: InMemorySigner.generate('stranger'),
      subject: { commonName: 'Someone else', country: 'VN' },
      validity: { notBefore: new Date(Date.now() - 1000), notAfter: new Date(Date.now() + 1e10) },
    });
    expect(verifyTreeHead(head, new TrustStore([stranger.certificate])).ok).toBe(false);

    const proof: InclusionProof = {
      kind: 'inclusion',
      documentId: 'd1',
      seq: 3,
      eventHash: toHex(eventHashes[18] as Uint8Array),
      leafIndex: 17,
      treeSize: 40,
      path: inclusionProof(tree, 17, 40).map(toHex),
      treeHead: head,
    };
    expect(verifyInclusionProof(proof, pki.trust).problems.join('\n')).toMatch(
      /event 3 of document d1 .* is not at leaf 17 of the tree of 40/,
    );

    const rewritten = new MemoryTree();
    for (const [i, h] of eventHashes.entries()) rewritten.append(i === 3 ? sha256(h) : h);
    const old = await headOf(tree, 20, log);
    const forgedHead = await headOf(rewritten, 40, log);
    const check = verifyConsistencyProof(
      {
        kind: 'consistency',
        from: old,
        to: forgedHead,
        path: consistencyProof(rewritten, 20, 40).map(toHex),
      },
      pki.trust,
    );
    expect(check.ok).toBe(false);
    expect(check.problems.join('\n')).toMatch(/tree of 20 .* is not a prefix of the tree of 40/);
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  EMPTY_ROOT,
  type Hash,
  inclusionProof,
  leafHash,
  MemoryTree,
  nodeHash,
  toHex,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
} from '../../lambdas/core/transparency/merkle';

/*
 * RFC 9162 §2.1 taken literally: MTH, PATH and PROOF on arrays, with slices, to check the efficient code
 * against. Proof verification is checked with the RFC's own algorithms (§2.1.3.2, §2.1.4.2).
 */
const k = (n: number) => 2 ** Math.floor(Math.log2(n - 1));
const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
function mth(d: readonly Uint8Array[]): Hash {
  if (d.length === 0) return sha();
  if (d.length === 1) return sha(Uint8Array.of(0), d[0] as Uint8Array);
  const split = k(d.length);
  return sha(Uint8Array.of(1), mth(d.slice(0, split)), mth(d.slice(split)));
}
function path(m: number, d: readonly Uint8Array[]): Hash[] {
  if (d.length <= 1) return [];
  const split = k(d.length);
  return m < split
    ? [...path(m, d.slice(0, split)), mth(d.slice(split))]
    : [...path(m - split, d.slice(split)), mth(d.slice(0, split))];
}
function subproof(m: number, d: readonly Uint8Array[], b: boolean): Hash[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const split = k(d.length);
  return m <= split
    ? [...subproof(m, d.slice(0, split), b), mth(d.slice(split))]
    : [...subproof(m - split, d.slice(split), false), mth(d.slice(0, split))];
}

// The leaves of the Certificate Transparency reference test vectors.
const vectorLeaves = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((h) => new Uint8Array(Buffer.from(h, 'hex')));
const vectorRoots = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const leavesOf = (n: number) =>
  Array.from({ length: n }, (_, i) => sha(new TextEncoder().encode(`event ${i}`)));

function treeOf(leaves: readonly Uint8Array[]): MemoryTree {
  const tree = new MemoryTree();
  for (const leaf of leaves) tree.append(leaf);
  return tree;
}

const flip = (h: Hash, byte = 0) => {
  const copy = new Uint8Array(h);
  copy[byte] = (copy[byte] ?? 0) ^ 0x01;
  return copy;
};

describe('Merkle tree hashes (RFC 9162 §2.1.1)', () => {
  it('hashes the empty tree, leaves with 0x00 and nodes with 0x01', () => {
    expect(toHex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const a = new Uint8Array([1, 2]);
    expect(toHex(leafHash(a))).toBe(toHex(sha(Uint8Array.of(0), a)));
    expect(toHex(nodeHash(a, a))).toBe(toHex(sha(Uint8Array.of(1), a, a)));
  });

  it('matches the Certificate Transparency reference roots for trees of 1 to 8 leaves', () => {
    const tree = treeOf(vectorLeaves);
    vectorRoots.forEach((root, i) => {
      expect(toHex(tree.root(i + 1))).toBe(root);
      expect(toHex(mth(vectorLeaves.slice(0, i + 1)))).toBe(root);
    });
  });

  it('computes the same root as MTH for every size up to 300, from any prefix of the tree', () => {
    const leaves = leavesOf(300);
    const tree = treeOf(leaves);
    for (let n = 0; n <= 300; n++) expect(toHex(tree.root(n))).toBe(toHex(mth(leaves.slice(0, n))));
  });
});

describe('inclusion proofs (RFC 9162 §2.1.3)', () => {
  const leaves = leavesOf(70);
  const tree = treeOf(leaves);

  it('produces PATH(m, D[n]) and verifies it for every leaf of every tree up to 70', () => {
    for (let n = 1; n <= 70; n++) {
      const root = tree.root(n);
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(tree, m, n);
        expect(proof.map(toHex)).toEqual(path(m, leaves.slice(0, n)).map(toHex));
        expect(verifyInclusion(m, n, leafHash(leaves[m] as Uint8Array), proof, root)).toBe(true);
      }
    }
  });

  it('rejects a tampered proof, a wrong leaf, index, size or root, and a proof too long or too short', () => {
    const n = 37;
    const m = 21;
    const root = tree.root(n);
    const leaf = leafHash(leaves[m] as Uint8Array);
    const proof = inclusionProof(tree, m, n);
    expect(verifyInclusion(m, n, leaf, proof, root)).toBe(true);
    for (let i = 0; i < proof.length; i++) {
      const bad = proof.map((p, j) => (j === i ? flip(p, 31) : p));
      expect(verifyInclusion(m, n, leaf, bad, root)).toBe(false);
    }
    expect(verifyInclusion(m, n, leafHash(leaves[m + 1] as Uint8Array), proof, root)).toBe(false);
    expect(verifyInclusion(m + 1, n, leaf, proof, root)).toBe(false);
    // A size with another path shape fails; sizes of the same shape give the same root (RFC 9162 binds
    // the size in the signed tree head, whose signature the tree-head tests check).
    expect(verifyInclusion(m, n + 100, leaf, proof, root)).toBe(false);
    expect(verifyInclusion(m, m + 1, leaf, proof, root)).toBe(false);
    expect(verifyInclusion(m, n, leaf, proof, flip(root))).toBe(false);
    expect(verifyInclusion(m, n, leaf, [...proof, proof[0] as Hash], root)).toBe(false);
    expect(verifyInclusion(m, n, leaf, proof.slice(0, -1), root)).toBe(false);
    expect(verifyInclusion(n, n, leaf, proof, root)).toBe(false);
    expect(verifyInclusion(-1, n, leaf, proof, root)).toBe(false);
    // The unhashed leaf is not the leaf hash (no second-preimage by presenting a node as a leaf).
    expect(verifyInclusion(m, n, leaves[m] as Uint8Array, proof, root)).toBe(false);
  });

  it('refuses to prove a leaf outside the tree', () => {
    expect(() => inclusionProof(tree, 5, 5)).toThrow(RangeError);
  });
});

describe('consistency proofs (RFC 9162 §2.1.4)', () => {
  const leaves = leavesOf(70);
  const tree = treeOf(leaves);

  it('produces PROOF(m, D[n]) and verifies it for every pair of sizes up to 70', () => {
    for (let n = 1; n <= 70; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(tree, m, n);
        expect(proof.map(toHex)).toEqual(subproof(m, leaves.slice(0, n), true).map(toHex));
        expect(verifyConsistency(m, n, tree.root(m), tree.root(n), proof)).toBe(true);
      }
    }
  });

  it('rejects tampered proofs, swapped roots, wrong sizes and a rewritten history', () => {
    const [m, n] = [13, 50];
    const proof = consistencyProof(tree, m, n);
    const [first, second] = [tree.root(m), tree.root(n)];
    for (let i = 0; i < proof.length; i++) {
      const bad = proof.map((p, j) => (j === i ? flip(p, 7) : p));
      expect(verifyConsistency(m, n, first, second, bad)).toBe(false);
    }
    expect(verifyConsistency(m, n, second, first, proof)).toBe(false);
    expect(verifyConsistency(m + 1, n, first, second, proof)).toBe(false);
    expect(verifyConsistency(m, n + 20, first, second, proof)).toBe(false);
    expect(verifyConsistency(m, m + 1, first, second, proof)).toBe(false);
    expect(verifyConsistency(m, n, first, second, [])).toBe(false);
    expect(verifyConsistency(m, n, first, second, proof.slice(1))).toBe(false);
    expect(verifyConsistency(n, m, second, first, proof)).toBe(false);
    // One event of the first 13 changed: the new tree is not an extension of the old head.
    const rewritten = treeOf(leaves.map((l, i) => (i === 4 ? flip(l) : l)));
    const forged = consistencyProof(rewritten, m, n);
    expect(verifyConsistency(m, n, first, rewritten.root(n), forged)).toBe(false);
    // Equal sizes: only the empty proof with equal roots.
    expect(verifyConsistency(n, n, second, second, [])).toBe(true);
    expect(verifyConsistency(n, n, first, second, [])).toBe(false);
  });
});

describe('the in-memory tree at scale', () => {
  it('proves inclusion with ⌈log2 n⌉ hashes at most and keeps every complete subtree', () => {
    const tree = new MemoryTree();
    const n = 100_003;
    for (let i = 0; i < n; i++) tree.appendLeafHash(sha(Uint8Array.of(i & 0xff, (i >> 8) & 0xff, i >> 16)));
    const root = tree.root();
    expect(toHex(root)).toBe(toHex(treeRoot(tree, n)));
    for (const m of [0, 1, 65_535, 65_536, 99_999, n - 1]) {
      const proof = inclusionProof(tree, m, n);
      expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)));
      expect(verifyInclusion(m, n, tree.leafHash(m), proof, root)).toBe(true);
    }
    const consistency = consistencyProof(tree, 70_000, n);
    expect(verifyConsistency(70_000, n, tree.root(70_000), root, consistency)).toBe(true);
  });
});

import { createHash } from 'node:crypto';

/*
 * Merkle trees in the manner of RFC 9162 (Certificate Transparency 2.0), §2.1: leaf hash
 * SHA-256(0x00 ‖ leaf), interior node SHA-256(0x01 ‖ left ‖ right), a tree of n leaves split at the largest
 * power of two smaller than n. Proof generation follows §2.1.3.1 (PATH) and §2.1.4.1 (PROOF/SUBPROOF);
 * verification follows §2.1.3.2 and §2.1.4.2 step by step. Pure code; sizes are plain numbers (exact up
 * to 2^53, so no 32-bit shifts anywhere).
 */

export type Hash = Uint8Array;

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

export function sha256(...parts: readonly Uint8Array[]): Hash {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

/** MTH({}) = SHA-256() */
export const EMPTY_ROOT: Hash = sha256();

export const leafHash = (leaf: Uint8Array): Hash => sha256(LEAF_PREFIX, leaf);
export const nodeHash = (left: Hash, right: Hash): Hash => sha256(NODE_PREFIX, left, right);

/** The largest power of two strictly smaller than n (n ≥ 2). */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isPowerOfTwo = (n: number) => n >= 1 && largestPowerOfTwoBelow(n + 1) === n;
const half = (n: number) => Math.floor(n / 2);
const odd = (n: number) => n % 2 === 1;

export const toHex = (hash: Hash): string => Buffer.from(hash).toString('hex');
export function fromHex(hex: string): Hash {
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`not a SHA-256 hash: ${hex.slice(0, 70)}`);
  return new Uint8Array(Buffer.from(hex, 'hex'));
}
export const hashEqual = (a: Hash, b: Hash): boolean =>
  a.length === b.length && Buffer.from(a).equals(Buffer.from(b));

/**
 * Where a tree's hashes come from: leaf hashes by index, and (optionally) hashes of complete subtrees
 * already known (aligned at a multiple of their size, size a power of two). A source may throw when asked
 * for something it has not loaded; the caller loads it and asks again.
 */
export interface TreeSource {
  leafHash(index: number): Hash;
  completeSubtree?(start: number, size: number): Hash | undefined;
  /**
   * Optional memo for the incomplete subtrees on a tree's right edge (their roots change as leaves are
   * appended, so they are not complete subtrees): without it a proof recomputes them, O(log² n) hashes.
   */
  partialSubtree?(start: number, end: number): Hash | undefined;
  rememberPartial?(start: number, end: number, hash: Hash): void;
}

/** MTH(D[start:end]) (§2.1.1). */
export function subtreeRoot(source: TreeSource, start: number, end: number): Hash {
  const size = end - start;
  if (size <= 0) return EMPTY_ROOT;
  if (size === 1) return source.leafHash(start);
  if (isPowerOfTwo(size) && start % size === 0) {
    const known = source.completeSubtree?.(start, size);
    if (known) return known;
  }
  const known = source.partialSubtree?.(start, end);
  if (known) return known;
  const k = largestPowerOfTwoBelow(size);
  const hash = nodeHash(subtreeRoot(source, start, start + k), subtreeRoot(source, start + k, end));
  source.rememberPartial?.(start, end, hash);
  return hash;
}

export const treeRoot = (source: TreeSource, size: number): Hash => subtreeRoot(source, 0, size);

/** PATH(m, D[0:n]) (§2.1.3.1): the audit path of leaf m in the tree of the first n leaves. */
export function inclusionProof(source: TreeSource, index: number, size: number): Hash[] {
  if (!Number.isInteger(index) || index < 0 || index >= size) {
    throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  }
  const path = (m: number, start: number, end: number): Hash[] => {
    const n = end - start;
    if (n <= 1) return [];
    const k = largestPowerOfTwoBelow(n);
    return m < k
      ? [...path(m, start, start + k), subtreeRoot(source, start + k, end)]
      : [...path(m - k, start + k, end), subtreeRoot(source, start, start + k)];
  };
  return path(index, 0, size);
}

/** PROOF(m, D[n]) (§2.1.4.1): shows the tree of the first m leaves is a prefix of the tree of n. */
export function consistencyProof(source: TreeSource, first: number, second: number): Hash[] {
  if (!Number.isInteger(first) || first < 1 || first > second) {
    throw new RangeError(`no consistency proof from ${first} to ${second}`);
  }
  const subproof = (m: number, start: number, end: number, complete: boolean): Hash[] => {
    const n = end - start;
    if (m === n) return complete ? [] : [subtreeRoot(source, start, end)];
    const k = largestPowerOfTwoBelow(n);
    return m <= k
      ? [...subproof(m, start, start + k, complete), subtreeRoot(source, start + k, end)]
      : [...subproof(m - k, start + k, end, false), subtreeRoot(source, start, start + k)];
  };
  return subproof(first, 0, second, true);
}

/** §2.1.3.2: verifies an inclusion proof; the root it computes must equal `root`. */
export function verifyInclusion(
  leafIndex: number,
  treeSize: number,
  leaf: Hash,
  proof: readonly Hash[],
  root: Hash,
): boolean {
  const computed = rootFromInclusion(leafIndex, treeSize, leaf, proof);
  return computed !== undefined && hashEqual(computed, root);
}

/** The root an inclusion proof leads to (undefined if the proof cannot fit a tree of that size). */
export function rootFromInclusion(
  leafIndex: number,
  treeSize: number,
  leaf: Hash,
  proof: readonly Hash[],
): Hash | undefined {
  // 1. Compare leaf_index from the inclusion_proof_v2 structure against tree_size. If leaf_index is greater
  //    than or equal to tree_size, then fail the proof verification.
  if (!Number.isInteger(leafIndex) || !Number.isInteger(treeSize) || leafIndex < 0 || leafIndex >= treeSize)
    return undefined;
  // 2. Set fn to leaf_index and sn to tree_size - 1.
  let fn = leafIndex;
  let sn = treeSize - 1;
  // 3. Set r to hash.
  let r = leaf;
  // 4. For each value p in the inclusion_path array:
  for (const p of proof) {
    // a. If sn is 0, then stop the iteration and fail the proof verification.
    if (sn === 0) return undefined;
    // b. If LSB(fn) is set, or if fn is equal to sn, then:
    if (odd(fn) || fn === sn) {
      // 1. Set r to HASH(0x01 || p || r).
      r = nodeHash(p, r);
      // 2. If LSB(fn) is not set, then right-shift both fn and sn equally until either LSB(fn) is set or
      //    fn is 0.
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      // Otherwise: Set r to HASH(0x01 || r || p).
      r = nodeHash(r, p);
    }
    // c. Finally, right-shift both fn and sn one time.
    fn = half(fn);
    sn = half(sn);
  }
  // 5. Compare sn to 0. Compare r against the root_hash. If sn is equal to 0 and r and the root_hash are
  //    equal, then the log has proven the inclusion of hash. Otherwise, fail the proof verification.
  return sn === 0 ? r : undefined;
}

/**
 * §2.1.4.2: verifies that the tree of `first` leaves (root `firstHash`) is a prefix of the tree of `second`
 * leaves (root `secondHash`). Equal sizes need an empty proof and equal roots (the RFC leaves that case to
 * the caller); a tree of size 0 is not a claim anything can be consistent with here.
 */
export function verifyConsistency(
  first: number,
  second: number,
  firstHash: Hash,
  secondHash: Hash,
  proof: readonly Hash[],
): boolean {
  if (!Number.isInteger(first) || !Number.isInteger(second) || first < 1 || first > second) return false;
  if (first === second) return proof.length === 0 && hashEqual(firstHash, secondHash);
  // 1. If consistency_path is an empty array, stop and fail the proof verification.
  if (proof.length === 0) return false;
  // 2. If first is an exact power of 2, then prepend first_hash to the consistency_path array.
  const path = isPowerOfTwo(first) ? [firstHash, ...proof] : [...proof];
  // 3. Set fn to first - 1 and sn to second - 1.
  let fn = first - 1;
  let sn = second - 1;
  // 4. If LSB(fn) is set, then right-shift both fn and sn equally until LSB(fn) is not set.
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // 5. Set both fr and sr to the first value in the consistency_path array.
  const [head, ...rest] = path;
  if (!head) return false;
  let fr = head;
  let sr = head;
  // 6. For each subsequent value c in the consistency_path array:
  for (const c of rest) {
    // a. If sn is 0, then stop the iteration and fail the proof verification.
    if (sn === 0) return false;
    // b. If LSB(fn) is set, or if fn is equal to sn, then:
    if (odd(fn) || fn === sn) {
      // 1. Set fr to HASH(0x01 || c || fr). Set sr to HASH(0x01 || c || sr).
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      // 2. If LSB(fn) is not set, then right-shift both fn and sn equally until either LSB(fn) is set or
      //    fn is 0.
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      // Otherwise: Set sr to HASH(0x01 || sr || c).
      sr = nodeHash(sr, c);
    }
    // c. Finally, right-shift both fn and sn one time.
    fn = half(fn);
    sn = half(sn);
  }
  // 7. After completing iterating through the consistency_path array as described above, verify that the
  //    fr calculated is equal to the first_hash supplied, that the sr calculated is equal to the
  //    second_hash supplied, and that sn is 0.
  return hashEqual(fr, firstHash) && hashEqual(sr, secondHash) && sn === 0;
}

/**
 * An append-only tree in memory that keeps every complete subtree's hash (level k holds the hashes of the
 * aligned blocks of 2^k leaves, packed in one buffer per level), so a root or a proof for any size costs
 * O(log n) hashes. Used by tests, benchmarks and offline tools; the stored log uses the same functions over
 * a source backed by DynamoDB.
 */
export class MemoryTree implements TreeSource {
  private levels: Buffer[] = [Buffer.alloc(32 * 1024)];
  private counts: number[] = [0];
  /** Roots of incomplete right-edge subtrees, valid until the next append. */
  private partials = new Map<string, Hash>();

  get size(): number {
    return this.counts[0] ?? 0;
  }

  /** Appends a leaf (the entry itself; it is leaf-hashed here). */
  append(leaf: Uint8Array): number {
    return this.appendLeafHash(leafHash(leaf));
  }

  appendLeafHash(hash: Hash): number {
    if (this.partials.size > 0) this.partials.clear();
    const index = this.size;
    let node = hash;
    let level = 0;
    let position = index;
    for (;;) {
      this.put(level, position, node);
      if (!odd(position)) break;
      node = nodeHash(this.get(level, position - 1), node);
      level += 1;
      position = half(position);
    }
    return index;
  }

  leafHash(index: number): Hash {
    if (index < 0 || index >= this.size) throw new RangeError(`no leaf ${index}`);
    return this.get(0, index);
  }

  completeSubtree(start: number, size: number): Hash | undefined {
    let level = 0;
    while (2 ** level < size) level += 1;
    const position = start / size;
    return position < (this.counts[level] ?? 0) ? this.get(level, position) : undefined;
  }

  partialSubtree(start: number, end: number): Hash | undefined {
    return this.partials.get(`${start}:${end}`);
  }

  rememberPartial(start: number, end: number, hash: Hash): void {
    if (this.partials.size > 4096) this.partials.clear();
    this.partials.set(`${start}:${end}`, hash);
  }

  root(size = this.size): Hash {
    return treeRoot(this, size);
  }

  private get(level: number, position: number): Hash {
    const buffer = this.levels[level] as Buffer;
    return new Uint8Array(buffer.subarray(position * 32, position * 32 + 32));
  }

  private put(level: number, position: number, hash: Hash): void {
    let buffer = this.levels[level];
    if (!buffer) {
      buffer = Buffer.alloc(32 * 1024);
      this.levels[level] = buffer;
      this.counts[level] = 0;
    }
    if ((position + 1) * 32 > buffer.length) {
      const grown = Buffer.alloc(buffer.length * 2);
      buffer.copy(grown);
      buffer = grown;
      this.levels[level] = buffer;
    }
    buffer.set(hash, position * 32);
    this.counts[level] = Math.max(this.counts[level] ?? 0, position + 1);
  }
}

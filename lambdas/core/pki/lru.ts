const every = new Set<{ clear(): void }>();

/**
 * Empties every cache of parsed certificates, CRLs and keys: what a cold Lambda starts with (the signing
 * benchmark measures verification both ways; tests check the answers do not depend on it).
 */
export function clearParseCaches(): void {
  for (const cache of every) cache.clear();
}

/**
 * A bounded map that forgets the least recently used entries first, by count and optionally by total
 * size: the verifier's caches of parsed certificates, CRLs and public keys must not grow with the input.
 */
export class LruCache<V> {
  private readonly entries = new Map<string, { value: V; size: number }>();
  private bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {
    every.add(this);
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, size = 0): void {
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.size;
      this.entries.delete(key);
    }
    // Something larger than the whole budget is not kept at all.
    if (size > this.maxBytes) return;
    this.entries.set(key, { value, size });
    this.bytes += size;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.size;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

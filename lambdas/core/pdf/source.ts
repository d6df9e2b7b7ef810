import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/**
 * Random access to a file's bytes, so byte ranges can be hashed by streaming (a file on disk, an S3 object
 * read by ranges) instead of holding the whole file.
 */
export interface RandomAccessSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

export function bytesSource(bytes: Uint8Array): RandomAccessSource {
  return {
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
    close: async () => {},
  };
}

export async function fileSource(path: string): Promise<RandomAccessSource> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    size,
    async read(offset, length) {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      let done = 0;
      while (done < buffer.length) {
        const { bytesRead } = await handle.read(buffer, done, buffer.length - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return new Uint8Array(buffer.buffer, buffer.byteOffset, done);
    },
    close: () => handle.close(),
  };
}

const CHUNK = 1024 * 1024;

/** Hashes [offset, length] ranges in 1 MiB reads: memory stays constant whatever the file size. */
export async function hashRanges(
  source: RandomAccessSource,
  ranges: ReadonlyArray<readonly [number, number]>,
  algorithm: 'sha256' | 'sha384' | 'sha512',
): Promise<Uint8Array> {
  const hash = createHash(algorithm);
  for (const [offset, length] of ranges) {
    for (let done = 0; done < length; ) {
      const chunk = await source.read(offset + done, Math.min(CHUNK, length - done));
      if (chunk.length === 0) throw new Error('byte range beyond the end of the file');
      hash.update(chunk);
      done += chunk.length;
    }
  }
  return new Uint8Array(hash.digest());
}

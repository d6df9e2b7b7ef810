import { createHash, type Hash } from 'node:crypto';
import { readSync } from 'node:fs';
import { type FileHandle, open, rm } from 'node:fs/promises';

/**
 * Random access to a file's bytes, so byte ranges can be hashed by streaming (a file on disk, an S3 object
 * read by ranges) instead of holding the whole file.
 */
export interface RandomAccessSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
  /** Synchronous small reads, for parsing structure (present on `bytesSource` and `fileSource`). */
  readSync?(offset: number, length: number): Uint8Array;
  /** Fills `target` from `offset` (fewer bytes at the end); lets long passes reuse their buffers. */
  readInto?(target: Uint8Array, offset: number): Promise<number>;
}

export function bytesSource(bytes: Uint8Array): RandomAccessSource {
  return {
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
    readSync: (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
    close: async () => {},
  };
}

export async function fileSource(path: string): Promise<RandomAccessSource> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  const fill = async (buffer: Uint8Array, offset: number) => {
    let done = 0;
    while (done < buffer.length) {
      const { bytesRead } = await handle.read(buffer, done, buffer.length - done, offset + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done;
  };
  return {
    size,
    async read(offset, length) {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      const done = await fill(buffer, offset);
      return new Uint8Array(buffer.buffer, buffer.byteOffset, done);
    },
    readInto: (target, offset) =>
      fill(target.subarray(0, Math.max(0, Math.min(target.length, size - offset))), offset),
    readSync(offset, length) {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      let done = 0;
      while (done < buffer.length) {
        const bytesRead = readSync(handle.fd, buffer, done, buffer.length - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return new Uint8Array(buffer.buffer, buffer.byteOffset, done);
    },
    close: () => handle.close(),
  };
}

/** Writes a new file at `path` through `write`; if `write` fails, the partial file is removed. */
export async function writeFileOrRemove<T>(path: string, write: (out: FileHandle) => Promise<T>): Promise<T> {
  const out = await open(path, 'w');
  try {
    const result = await write(out);
    await out.close();
    return result;
  } catch (error) {
    await out.close();
    await rm(path, { force: true });
    throw error;
  }
}

const CHUNK = 1024 * 1024;

/** A small read, synchronous when the source can (a few bytes: an async round trip costs more). */
export async function readSmall(
  source: RandomAccessSource,
  offset: number,
  length: number,
): Promise<Uint8Array> {
  return source.readSync ? source.readSync(offset, length) : source.read(offset, length);
}

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

export interface RangeHashJob {
  readonly algorithm: 'sha256' | 'sha384' | 'sha512';
  readonly ranges: ReadonlyArray<readonly [number, number]>;
}

export interface ScanResult {
  /** One digest per job, in order. */
  readonly digests: readonly Uint8Array[];
  /** Offsets just past each %%EOF and its end-of-line (see `revisionEnds`). */
  readonly revisionEnds: readonly number[];
}

const EOF_MARKER = Buffer.from('%%EOF', 'latin1');

/**
 * The whole source in order, 1 MiB at a time, the next read in flight while the caller works on the
 * current chunk. With `readInto` two buffers are reused: a chunk is valid until the next one is asked for.
 */
export async function* sequentialChunks(source: RandomAccessSource): AsyncGenerator<Uint8Array> {
  const readInto = source.readInto?.bind(source);
  const size = Math.min(CHUNK, source.size);
  const buffers = readInto ? [new Uint8Array(size), new Uint8Array(size)] : [];
  let turn = 0;
  const readAt = async (offset: number): Promise<Uint8Array> => {
    const buffer = buffers[turn++ % 2];
    if (!readInto || !buffer) return source.read(offset, Math.min(CHUNK, source.size - offset));
    return buffer.subarray(0, await readInto(buffer, offset));
  };
  let next: Promise<Uint8Array> | undefined = source.size > 0 ? readAt(0) : undefined;
  for (let start = 0; next; ) {
    const chunk = await next;
    if (chunk.length === 0) throw new Error('the file ended early');
    start += chunk.length;
    next = start < source.size ? readAt(start) : undefined;
    yield chunk;
  }
}

/**
 * One sequential pass over the whole source in 1 MiB reads (the next read in flight while the current
 * chunk is hashed): hashes every job's ranges and finds every %%EOF. Verifying N signatures of a large
 * file reads it once, in constant memory.
 */
export async function scanSource(
  source: RandomAccessSource,
  jobs: readonly RangeHashJob[],
): Promise<ScanResult> {
  for (const job of jobs) {
    for (const [offset, length] of job.ranges) {
      if (offset < 0 || length < 0 || offset + length > source.size) {
        throw new Error('byte range beyond the end of the file');
      }
    }
  }
  const hashes: Hash[] = jobs.map((job) => createHash(job.algorithm));
  const markers: number[] = [];
  let carry = Buffer.alloc(0);
  let start = 0;
  for await (const chunk of sequentialChunks(source)) {
    const end = start + chunk.length;
    jobs.forEach((job, i) => {
      for (const [offset, length] of job.ranges) {
        const from = Math.max(offset, start);
        const to = Math.min(offset + length, end);
        if (to > from) hashes[i]?.update(chunk.subarray(from - start, to - start));
      }
    });
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const haystack = carry.length ? Buffer.concat([carry, buf.subarray(0, EOF_MARKER.length)]) : undefined;
    if (haystack) {
      const at = haystack.indexOf(EOF_MARKER);
      if (at !== -1 && at < carry.length) markers.push(start - carry.length + at);
    }
    for (let at = buf.indexOf(EOF_MARKER); at !== -1; at = buf.indexOf(EOF_MARKER, at + EOF_MARKER.length)) {
      markers.push(start + at);
    }
    carry = Buffer.from(buf.subarray(Math.max(0, buf.length - (EOF_MARKER.length - 1))));
    start = end;
  }
  const ends: number[] = [];
  for (const at of markers) {
    const end = at + EOF_MARKER.length;
    const [first, second] = await readSmall(source, end, 2);
    const cr = first === 0x0d ? 1 : 0;
    const lf = (cr ? second : first) === 0x0a ? 1 : 0;
    ends.push(end + cr + lf);
  }
  return { digests: hashes.map((h) => new Uint8Array(h.digest())), revisionEnds: ends };
}

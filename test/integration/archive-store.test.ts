import { createHash, randomUUID } from 'node:crypto';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../lambdas/adapters/aws-clients';
import {
  ArchiveIntegrityError,
  presignRevisionDownload,
  presignSignatureImageDownload,
  putRevision,
  putSignatureImage,
  readRevision,
  readSignatureImage,
} from '../../lambdas/adapters/file-store';
import { stack } from '../support/api';

/*
 * The archive adapter against the local stack's s3rver: writes are conditional and never replace a
 * stored version, reads and presigned URLs serve only bytes whose SHA-256 is the one asked for. s3rver has
 * no versioning, no checksums and ignores If-None-Match on PUT; what S3 alone does (412 on an existing key,
 * 409 on a concurrent write, a VersionId on HEAD) is injected into the real client as a fault.
 */

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const pdf = (text: string) => new TextEncoder().encode(`%PDF-1.7\n% ${text}\n%%EOF\n`);

/** A plain client, as a careless writer or an attacker with s3:PutObject would use. */
function rawClient(): S3Client {
  const env = stack().environment;
  return new S3Client({
    endpoint: stack().services.s3,
    region: env.AWS_REGION,
    forcePathStyle: true,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
    },
  });
}

const injected: string[] = [];
/** The adapters' own S3 client (created once the stack's environment is set), to inject faults into. */
let adapterS3: S3Client;
/** Answers the next matching command with `respond` instead of sending it, once per entry in `times`. */
function inject(name: string, command: string, times: number, respond: () => unknown): void {
  let left = times;
  adapterS3.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === command && left > 0) {
        left--;
        return respond() as Awaited<ReturnType<typeof next>>;
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  injected.push(name);
}

function s3Error(name: string, status: number): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

describe('the archive adapter', () => {
  beforeAll(async () => {
    Object.assign(process.env, stack().environment);
    adapterS3 = await s3Client().client();
  });
  afterEach(() => {
    for (const name of injected.splice(0)) adapterS3.middlewareStack.remove(name);
  });

  it('stores a revision under its hash with its SHA-256 and If-None-Match, and reads it back checked', async () => {
    const id = randomUUID();
    const bytes = pdf(`revision of ${id}`);
    const seen: Record<string, unknown>[] = [];
    adapterS3.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutObjectCommand') seen.push({ ...(args.input as object) });
        return next(args);
      },
      { step: 'initialize', name: 'observe-put' },
    );
    injected.push('observe-put');
    expect(await putRevision(id, bytes)).toBe(sha(bytes));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      Key: `documents/${id}/${sha(bytes)}.pdf`,
      IfNoneMatch: '*',
      ChecksumSHA256: Buffer.from(sha(bytes), 'hex').toString('base64'),
    });
    expect(await readRevision(id, sha(bytes))).toEqual(bytes);
  });

  it('refuses to read or hand out a revision whose bytes are no longer those of its hash', async () => {
    const id = randomUUID();
    const bytes = pdf(`original of ${id}`);
    const hash = await putRevision(id, bytes);
    // s3rver overwrites (the deployed bucket's policy and If-None-Match would refuse this PUT).
    const raw = rawClient();
    await raw.send(
      new PutObjectCommand({
        Bucket: stack().environment.DOCFLOW_ARCHIVE_BUCKET,
        Key: `documents/${id}/${hash}.pdf`,
        Body: Buffer.from(pdf('forged')),
      }),
    );
    raw.destroy();
    await expect(readRevision(id, hash)).rejects.toBeInstanceOf(ArchiveIntegrityError);
    await expect(presignRevisionDownload(id, hash, 'x.pdf')).rejects.toBeInstanceOf(ArchiveIntegrityError);
  });

  it('a second write of the same revision meets the first (412) and checks it, instead of replacing it', async () => {
    const id = randomUUID();
    const bytes = pdf(`twice ${id}`);
    await putRevision(id, bytes);
    inject('exists', 'PutObjectCommand', 1, () => {
      throw s3Error('PreconditionFailed', 412);
    });
    expect(await putRevision(id, bytes)).toBe(sha(bytes));
  });

  it('a write that meets other bytes under its key (412) fails loudly', async () => {
    const id = randomUUID();
    const bytes = pdf(`mine ${id}`);
    const raw = rawClient();
    await raw.send(
      new PutObjectCommand({
        Bucket: stack().environment.DOCFLOW_ARCHIVE_BUCKET,
        Key: `documents/${id}/${sha(bytes)}.pdf`,
        Body: Buffer.from(pdf('somebody else’s')),
      }),
    );
    raw.destroy();
    inject('exists-other', 'PutObjectCommand', 1, () => {
      throw s3Error('PreconditionFailed', 412);
    });
    await expect(putRevision(id, bytes)).rejects.toBeInstanceOf(ArchiveIntegrityError);
  });

  it('a concurrent conditional write (409) is tried again', async () => {
    const id = randomUUID();
    const bytes = pdf(`racing ${id}`);
    inject('conflict', 'PutObjectCommand', 2, () => {
      throw s3Error('ConditionalRequestConflict', 409);
    });
    expect(await putRevision(id, bytes)).toBe(sha(bytes));
    expect(await readRevision(id, sha(bytes))).toEqual(bytes);
  });

  it('hands out a presigned URL that serves the checked bytes, pinned to the version S3 names', async () => {
    const id = randomUUID();
    const bytes = pdf(`download ${id}`);
    const hash = await putRevision(id, bytes);
    const url = await presignRevisionDownload(id, hash, 'van-ban.pdf');
    expect(new URL(url).searchParams.get('versionId')).toBeNull();
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);

    // S3 proper answers HEAD with the version and the SHA-256 it verified at upload: the URL pins that
    // version, and the bytes are not read again to check them.
    const versionId = 'v-3HL4kqtJlcpXroDTDmJ';
    let gets = 0;
    inject('versioned-head', 'HeadObjectCommand', 1, () => ({
      output: { VersionId: versionId, ChecksumSHA256: Buffer.from(hash, 'hex').toString('base64') },
      response: {},
    }));
    adapterS3.middlewareStack.add(
      // Deserialize: reached by a request sent, not by presigning one.
      (next, context) => async (args) => {
        if (context.commandName === 'GetObjectCommand') gets++;
        return next(args);
      },
      { step: 'deserialize', name: 'count-gets' },
    );
    injected.push('count-gets');
    const pinned = await presignRevisionDownload(id, hash, 'van-ban.pdf');
    expect(new URL(pinned).searchParams.get('versionId')).toBe(versionId);
    expect(gets).toBe(0);
  });

  it('refuses a version whose S3 checksum is not the hash, before downloading it', async () => {
    const id = randomUUID();
    const bytes = pdf(`checksum ${id}`);
    const hash = await putRevision(id, bytes);
    inject('wrong-checksum', 'HeadObjectCommand', 1, () => ({
      output: {
        VersionId: 'v-other',
        ChecksumSHA256: Buffer.from(sha(pdf('other')), 'hex').toString('base64'),
      },
      response: {},
    }));
    await expect(readRevision(id, hash)).rejects.toThrow(/version v-other/);
  });

  it('keeps signature images the same way', async () => {
    const person = `archive-test-${randomUUID().slice(0, 8)}`;
    const png = new Uint8Array([
      0x89,
      0x50,
      0x4e,
      0x47,
      0x0d,
      0x0a,
      0x1a,
      0x0a,
      ...new TextEncoder().encode(person),
    ]);
    const hash = await putSignatureImage(person, png);
    expect(await readSignatureImage(person, hash)).toEqual(png);
    const response = await fetch(await presignSignatureImageDownload(person, hash));
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(png);
    const raw = rawClient();
    const head = await raw.send(
      new HeadObjectCommand({
        Bucket: stack().environment.DOCFLOW_ARCHIVE_BUCKET,
        Key: `signature-images/${person}/${hash}.png`,
      }),
    );
    raw.destroy();
    expect(head.Metadata?.sha256).toBe(hash);
  });
});

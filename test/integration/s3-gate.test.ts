import { connect, type Socket } from 'node:net';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { beforeAll, describe, expect, it } from 'vitest';
import { draftDecision } from '../fixtures/documents';
import { api, login, stack } from '../support/api';
import { draft, get, post, type View } from '../support/flow';
import { uploadTo } from '../support/upload';

/**
 * The local S3 checks requests as S3 does (local/s3-gate.ts): a presigned URL works for its key, its
 * method, its signed Content-Type and until it expires, and nothing else; a presigned POST only within
 * its policy (exact key, type, size range, expiry, signature); an unsigned request is refused. Refusals
 * are S3's XML errors. Real uploads and downloads (the API's URLs) still work.
 */

/** S3's error code and message in an XML error body. */
function s3Error(text: string): { code?: string; message?: string } {
  return {
    code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1],
    message: /<Message>([^<]*)<\/Message>/.exec(text)?.[1],
  };
}

async function refused(url: string, init: RequestInit) {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), ...s3Error(text) };
}

const pdf = await draftDecision(1);

/** An upload target from the API (a draft of the city's specialist). */
async function uploadTarget(): Promise<{ id: string; url: string; fields: Record<string, string> }> {
  const created = await post('city-specialist', '/api/documents', {
    title: 'Về việc thử địa chỉ tải lên',
    docType: 'quyet-dinh',
  });
  return { id: created.id, url: created.upload.url, fields: created.upload.fields };
}

/** The local operator's S3 client (the credentials every local service accepts), or another's. */
function s3(credentials?: { accessKeyId: string; secretAccessKey: string }) {
  const env = stack().environment;
  return new S3Client({
    region: env.AWS_REGION,
    endpoint: stack().services.s3,
    forcePathStyle: true,
    credentials: credentials ?? {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
    },
  });
}

describe('the local S3 (local/s3-gate.ts)', () => {
  let fileUrl: string;

  beforeAll(async () => {
    const id = await draft({ drafter: 'city-specialist' });
    fileUrl = (await get('city-specialist', `/api/documents/${id}/file?redirect=false`)).url;
  }, 120_000);

  it('serves a presigned download and takes a presigned upload as the API hands them out', async () => {
    const download = await fetch(fileUrl);
    expect(download.status).toBe(200);
    expect(
      Buffer.from(await download.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const target = await uploadTarget();
    const put = await uploadTo(target, pdf);
    expect(put.status).toBe(204);
    const content = await api<View>('POST', `/api/documents/${target.id}/content`, {
      token: await login('city-specialist'),
    });
    expect(content.status).toBe(200);
  });

  it('keeps an idle connection open well past 5 s: a client busy for a moment reuses it safely', async () => {
    // Node's servers close an idle connection after 5 s; a client under load (the tests on a busy
    // machine) sent its next download on a connection the gate was closing and saw "other side closed".
    const url = new URL(fileUrl);
    const socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    try {
      const first = await exchange(socket, `${url.pathname}${url.search}`, url.host);
      expect(first.status).toBe(200);
      expect(first.headers['keep-alive']).toMatch(/timeout=(\d{2,})/);
      expect(first.body.subarray(0, 5).toString()).toBe('%PDF-');
      await new Promise((resolve) => setTimeout(resolve, 7_000));
      const second = await exchange(socket, `${url.pathname}${url.search}`, url.host);
      expect(second.status).toBe(200);
      expect(second.body.equals(first.body)).toBe(true);
    } finally {
      socket.destroy();
    }
  }, 30_000);

  it('refuses an unsigned request: the buckets are private (AccessDenied)', async () => {
    const unsigned = new URL(fileUrl);
    unsigned.search = '';
    expect(await refused(unsigned.href, {})).toMatchObject({
      status: 403,
      code: 'AccessDenied',
      message: 'Access Denied',
      type: 'application/xml',
    });
    const target = await uploadTarget();
    // A form with no policy: anonymous, refused.
    const bare = new FormData();
    bare.append('key', target.fields.key ?? '');
    bare.append('file', new Blob([pdf]));
    expect(await refused(target.url, { method: 'POST', body: bare })).toMatchObject({
      status: 403,
      code: 'AccessDenied',
    });
  });

  it('refuses a URL used for another key, with another method or Content-Type, or a rewritten expiry', async () => {
    const target = await uploadTarget();
    // A presigned PUT (the API hands out POSTs; S3 still takes PUT URLs, and so does the gate).
    const operator = s3();
    const putUrl = await getSignedUrl(
      operator,
      new PutObjectCommand({
        Bucket: stack().environment.DOCFLOW_INTAKE_BUCKET,
        Key: 'gate-test/draft.pdf',
        ContentType: 'application/pdf',
      }),
      { expiresIn: 60, signableHeaders: new Set(['content-type']) },
    );
    operator.destroy();
    const headers = { 'content-type': 'application/pdf' };
    expect((await fetch(putUrl, { method: 'PUT', headers, body: pdf })).status).toBe(200);
    const otherKey = putUrl.replace('/draft.pdf?', '/other.pdf?');
    const signatureDoesNotMatch = { status: 403, code: 'SignatureDoesNotMatch' };
    expect(await refused(otherKey, { method: 'PUT', headers, body: pdf })).toMatchObject(
      signatureDoesNotMatch,
    );
    expect(await refused(putUrl, { method: 'GET' })).toMatchObject(signatureDoesNotMatch);
    expect(await refused(fileUrl, { method: 'DELETE' })).toMatchObject(signatureDoesNotMatch);
    expect(
      await refused(putUrl, { method: 'PUT', headers: { 'content-type': 'text/html' }, body: pdf }),
    ).toMatchObject(signatureDoesNotMatch);
    const longer = new URL(fileUrl);
    longer.searchParams.set('X-Amz-Expires', '604800');
    expect(await refused(longer.href, {})).toMatchObject(signatureDoesNotMatch);
    const tooLong = new URL(fileUrl);
    tooLong.searchParams.set('X-Amz-Expires', '604801');
    expect(await refused(tooLong.href, {})).toMatchObject({
      status: 400,
      code: 'AuthorizationQueryParametersError',
    });
    // Nothing was written under the draft's key.
    const check = await api<View>('POST', `/api/documents/${target.id}/content`, {
      token: await login('city-specialist'),
    });
    expect(check.status).toBe(409);
  });

  it('refuses an expired URL (AccessDenied: Request has expired) and an unknown key (InvalidAccessKeyId)', async () => {
    const env = stack().environment;
    const client = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
      new S3Client({
        region: env.AWS_REGION,
        endpoint: stack().services.s3,
        forcePathStyle: true,
        credentials,
      });
    const operator = client({
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
    });
    const key = new URL(fileUrl).pathname.split('/').slice(2).join('/');
    const object = new GetObjectCommand({ Bucket: env.DOCFLOW_ARCHIVE_BUCKET, Key: decodeURIComponent(key) });
    const fresh = await getSignedUrl(operator, object, { expiresIn: 60 });
    expect((await fetch(fresh)).status).toBe(200);
    const expired = await getSignedUrl(operator, object, {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 10 * 60_000),
    });
    expect(await refused(expired, {})).toMatchObject({
      status: 403,
      code: 'AccessDenied',
      message: 'Request has expired',
    });
    const stranger = client({ accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x'.repeat(40) });
    expect(await refused(await getSignedUrl(stranger, object, { expiresIn: 60 }), {})).toMatchObject({
      status: 403,
      code: 'InvalidAccessKeyId',
    });
    const forged = client({
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: 'not-the-operators-secret-000000000000000',
    });
    await expect(
      forged.send(new PutObjectCommand({ Bucket: env.DOCFLOW_INTAKE_BUCKET, Key: 'forged', Body: 'x' })),
    ).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    operator.destroy();
    stranger.destroy();
    forged.destroy();
  });
});

describe('a presigned POST at the local S3 (policy checked as S3 checks it)', () => {
  const KEY = 'gate-test/post.pdf';
  const small = new Uint8Array(100).fill(37);

  /** A POST of at most 100 bytes of a PDF under KEY, signed by `client`, expiring in `expires` seconds. */
  async function presigned(options: { client?: S3Client; expires?: number; key?: string } = {}) {
    const client = options.client ?? s3();
    const bucket = stack().environment.DOCFLOW_INTAKE_BUCKET ?? '';
    const target = await createPresignedPost(client, {
      Bucket: bucket,
      Key: options.key ?? KEY,
      Fields: { 'Content-Type': 'application/pdf' },
      Conditions: [
        ['eq', '$key', options.key ?? KEY],
        ['eq', '$Content-Type', 'application/pdf'],
        ['content-length-range', 1, 100],
      ],
      Expires: options.expires ?? 60,
    });
    client.destroy();
    return target;
  }

  /** POSTs the form of `fields` (in order) and then the file. */
  function send(url: string, fields: Record<string, string>, body: Uint8Array = small) {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob([new Uint8Array(body)], { type: fields['Content-Type'] }));
    return refused(url, { method: 'POST', body: form });
  }

  it('accepts a correct one and stores the file under the key', async () => {
    const target = await presigned({ key: 'gate-test/accepted.pdf' });
    expect(await send(target.url, target.fields)).toMatchObject({ status: 204 });
    const operator = s3();
    const object = await operator.send(
      new GetObjectCommand({
        Bucket: stack().environment.DOCFLOW_INTAKE_BUCKET,
        Key: 'gate-test/accepted.pdf',
      }),
    );
    expect(object.ContentType).toBe('application/pdf');
    expect(await object.Body?.transformToByteArray()).toEqual(small);
    operator.destroy();
  });

  it('refuses a file over the content-length-range (EntityTooLarge) and an empty one (EntityTooSmall)', async () => {
    const target = await presigned();
    expect(await send(target.url, target.fields, new Uint8Array(101))).toMatchObject({
      status: 400,
      code: 'EntityTooLarge',
      type: 'application/xml',
    });
    expect(await send(target.url, target.fields, new Uint8Array(0))).toMatchObject({
      status: 400,
      code: 'EntityTooSmall',
    });
  });

  it('refuses another key, another content type and a field the policy does not name', async () => {
    const target = await presigned();
    const failed = { status: 403, code: 'AccessDenied' };
    expect(await send(target.url, { ...target.fields, key: 'gate-test/other.pdf' })).toMatchObject({
      ...failed,
      message: expect.stringContaining('Policy Condition failed'),
    });
    expect(await send(target.url, { ...target.fields, 'Content-Type': 'text/html' })).toMatchObject({
      ...failed,
      message: expect.stringContaining('Policy Condition failed'),
    });
    expect(await send(target.url, { ...target.fields, acl: 'public-read' })).toMatchObject({
      ...failed,
      message: expect.stringContaining('Extra input fields: acl'),
    });
  });

  it('refuses an expired policy, a forged signature, a rewritten policy and an unknown key', async () => {
    const expired = await presigned({ expires: -1 });
    expect(await send(expired.url, expired.fields)).toMatchObject({
      status: 403,
      code: 'AccessDenied',
      message: 'Invalid according to Policy: Policy expired.',
    });
    const target = await presigned();
    const signature = target.fields['X-Amz-Signature'] ?? '';
    const flipped = `${signature.startsWith('0') ? '1' : '0'}${signature.slice(1)}`;
    expect(await send(target.url, { ...target.fields, 'X-Amz-Signature': flipped })).toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
    });
    const policy = JSON.parse(Buffer.from(target.fields.Policy ?? '', 'base64').toString()) as {
      conditions: unknown[];
    };
    policy.conditions = policy.conditions.map((c) =>
      Array.isArray(c) && c[0] === 'content-length-range' ? ['content-length-range', 1, 10_000] : c,
    );
    const rewritten = Buffer.from(JSON.stringify(policy)).toString('base64');
    expect(
      await send(target.url, { ...target.fields, Policy: rewritten }, new Uint8Array(1000)),
    ).toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
    });
    const env = stack().environment;
    const forged = await presigned({
      client: s3({
        accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
        secretAccessKey: 'not-the-operators-secret-000000000000000',
      }),
    });
    expect(await send(forged.url, forged.fields)).toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
    });
    const stranger = await presigned({
      client: s3({ accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x'.repeat(40) }),
    });
    expect(await send(stranger.url, stranger.fields)).toMatchObject({
      status: 403,
      code: 'InvalidAccessKeyId',
    });
    // None of these wrote anything.
    const operator = s3();
    await expect(
      operator.send(new GetObjectCommand({ Bucket: env.DOCFLOW_INTAKE_BUCKET, Key: KEY })),
    ).rejects.toMatchObject({ name: 'NoSuchKey' });
    operator.destroy();
  });

  it('refuses a signature image over its limit as the API hands the upload out', async () => {
    const started = await post('soc-son-chairman', '/api/people/soc-son-chairman/signature-image/uploads');
    expect(started.upload).toMatchObject({ method: 'POST', maxBytes: 512 * 1024 });
    const response = await uploadTo(started.upload, new Uint8Array(512 * 1024 + 1), 'image/png');
    expect(response.status).toBe(400);
    expect(s3Error(await response.text()).code).toBe('EntityTooLarge');
  });
});

/** One GET on an open connection (HTTP/1.1, kept alive): its status, headers and body. */
function exchange(
  socket: Socket,
  path: string,
  host: string,
): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const fail = (error?: Error) => {
      cleanUp();
      reject(error ?? new Error('the connection was closed before the answer was complete'));
    };
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine = '', ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => [
          line.slice(0, line.indexOf(':')).toLowerCase(),
          line.slice(line.indexOf(':') + 1).trim(),
        ]),
      );
      const length = Number(headers['content-length']);
      if (received.length < end + 4 + length) return;
      cleanUp();
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers,
        body: received.subarray(end + 4, end + 4 + length),
      });
    };
    const onClose = () => fail();
    const cleanUp = () => {
      socket.off('data', onData).off('close', onClose).off('error', fail);
    };
    socket.on('data', onData).once('close', onClose).once('error', fail);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n\r\n`);
  });
}

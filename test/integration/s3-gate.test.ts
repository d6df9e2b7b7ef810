import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { beforeAll, describe, expect, it } from 'vitest';
import { draftDecision } from '../fixtures/documents';
import { api, login, stack } from '../support/api';
import { draft, get, post, type View } from '../support/flow';

/**
 * The local S3 checks requests as S3 does (local/s3-gate.ts): a presigned URL works for its key, its
 * method, its signed Content-Type and until it expires, and nothing else; an unsigned request is
 * refused. Refusals are S3's XML errors. Real uploads and downloads (the API's URLs) still work.
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
async function uploadTarget(): Promise<{ id: string; url: string; headers: Record<string, string> }> {
  const created = await post('city-specialist', '/api/documents', {
    title: 'Về việc thử địa chỉ tải lên',
    docType: 'quyet-dinh',
  });
  return { id: created.id, url: created.upload.url, headers: created.upload.headers };
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
    const put = await fetch(target.url, { method: 'PUT', headers: target.headers, body: pdf });
    expect(put.status).toBe(200);
    const content = await api<View>('POST', `/api/documents/${target.id}/content`, {
      token: await login('city-specialist'),
    });
    expect(content.status).toBe(200);
  });

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
    const bare = new URL(target.url);
    bare.search = '';
    expect(await refused(bare.href, { method: 'PUT', headers: target.headers, body: pdf })).toMatchObject({
      status: 403,
      code: 'AccessDenied',
    });
  });

  it('refuses a URL used for another key, with another method or Content-Type, or a rewritten expiry', async () => {
    const target = await uploadTarget();
    const otherKey = target.url.replace('/draft.pdf?', '/other.pdf?');
    const signatureDoesNotMatch = { status: 403, code: 'SignatureDoesNotMatch' };
    expect(await refused(otherKey, { method: 'PUT', headers: target.headers, body: pdf })).toMatchObject(
      signatureDoesNotMatch,
    );
    expect(await refused(target.url, { method: 'GET' })).toMatchObject(signatureDoesNotMatch);
    expect(await refused(fileUrl, { method: 'DELETE' })).toMatchObject(signatureDoesNotMatch);
    expect(
      await refused(target.url, { method: 'PUT', headers: { 'content-type': 'text/html' }, body: pdf }),
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
    // Nothing was written under the other key or by the refused uploads.
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

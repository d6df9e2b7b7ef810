import { PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { contracts } from '../../lambdas/contracts';
import type { RouteContract } from '../../lambdas/contracts/contract';
import { routeKey, routes } from '../../lambdas/routes';
import { draftDecision } from '../fixtures/documents';
import { api, login, operatorS3, stack, stateFingerprint } from '../support/api';
import { englishWordIn, VIETNAMESE_LETTER } from '../support/catalogue-check';
import { draft, post, sent, signed, type View } from '../support/flow';
import { uploadTo } from '../support/upload';

/**
 * Every route refuses bad input with a status and a message a person understands, and changes nothing:
 * the fingerprint of every table and bucket is the same after all the refusals as before them.
 */

interface Refusal {
  readonly status: number;
  readonly code: unknown;
}

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

async function pendingUpload(content: Uint8Array | string): Promise<string> {
  const created = await post('city-specialist', '/api/documents', {
    title: 'Tệp thử không hợp lệ',
    docType: 'cong-van',
  });
  const put = await uploadTo(created.upload, content);
  expect(put.ok).toBe(true);
  return created.id as string;
}

/**
 * A file over the draft limit: storage refuses it (the POST policy's content-length-range, EntityTooLarge);
 * it is then written under the upload's key with the operator's credentials, as if storage had let it in,
 * so that the API's own size check is what refuses it.
 */
async function oversizedUpload(content: Uint8Array): Promise<string> {
  const created = await post('city-specialist', '/api/documents', {
    title: 'Tệp thử quá lớn',
    docType: 'cong-van',
  });
  const put = await uploadTo(created.upload, content);
  expect(put.status).toBe(400);
  expect(await put.text()).toContain('<Code>EntityTooLarge</Code>');
  const env = stack().environment;
  const operator = operatorS3();
  await operator.send(
    new PutObjectCommand({
      Bucket: env.DOCFLOW_INTAKE_BUCKET,
      Key: created.upload.fields.key,
      Body: content,
    }),
  );
  operator.destroy();
  return created.id as string;
}

describe('bad input on every route', () => {
  let fingerprint: string;
  let draftId: string;
  let signedId: string;
  let sentId: string;
  let notPdf: string;
  let truncated: string;
  let oversized: string;
  let neverUploaded: string;
  let presentedId: string;

  beforeAll(async () => {
    draftId = await draft();
    signedId = await signed();
    sentId = await sent(['phuong-ba-dinh']);
    notPdf = await pendingUpload('Đây không phải là tệp PDF.');
    const pdf = await draftDecision(1);
    truncated = await pendingUpload(pdf.subarray(0, Math.floor(pdf.length / 2)));
    // Just over the 64 MiB limit: refused from its size alone, before it is read.
    const big = new Uint8Array(64 * 1024 * 1024 + 1);
    big.set(pdf);
    oversized = await oversizedUpload(big);
    const created = await post('city-specialist', '/api/documents', {
      title: 'Chưa tải tệp',
      docType: 'cong-van',
    });
    neverUploaded = created.id;
    presentedId = await sent(['phuong-ba-dinh']);
    await post('ba-dinh-clerk', `/api/documents/${presentedId}/register`);
    for (const user of [
      'city-specialist',
      'city-clerk',
      'city-chairman',
      'city-auditor',
      'ba-dinh-clerk',
      'snv-clerk',
      'ba-dinh-chairman',
    ]) {
      await login(user);
    }
    fingerprint = await stateFingerprint();
  }, 300_000);

  async function expectRefused(
    user: string,
    method: string,
    path: string,
    expected: Refusal,
    body: unknown = {},
  ): Promise<string> {
    const response = await api<View>(method, path, {
      token: await login(user),
      body: method === 'GET' ? undefined : body,
      headers: { 'accept-language': 'vi' },
    });
    expect({ status: response.status, code: response.body?.error?.code }, `${method} ${path}`).toEqual(
      expected,
    );
    expect(response.body.error.message.length).toBeGreaterThan(10);
    return response.body.error.message as string;
  }

  it('unknown document ids → 404 on every document route (400 first where the empty body is invalid)', async () => {
    const documentRoutes = routes.filter((r) => r.path.includes('{id}'));
    expect(documentRoutes.length).toBeGreaterThanOrEqual(17);
    for (const route of documentRoutes) {
      const path = route.path.replace('{id}', UNKNOWN);
      const schema = (contracts as Readonly<Record<string, RouteContract>>)[routeKey(route)]?.body;
      const emptyBodyValid = route.method === 'GET' || !schema || schema.safeParse({}).success;
      // A verification id names nothing stored until its PDF is uploaded: "nothing uploaded yet" is the answer.
      const unknown =
        route.path === '/api/verify/{id}' || route.path === '/api/public/checks/{id}'
          ? { status: 409, code: 'upload_missing' }
          : { status: 404, code: 'not_found' };
      const expected = emptyBodyValid ? unknown : { status: 400, code: 'validation_failed' };
      // Ids of other things than documents (a delegation, a person, a received package) name what is missing.
      const named = route.path.startsWith('/api/documents/') || expected.status !== 404;
      await expectRefused(
        'city-clerk',
        route.method,
        path,
        named ? expected : { status: 404, code: expect.stringMatching(/not_found$/) },
      );
    }
  });

  it('wrong types, missing and unknown fields → 400 naming the field', async () => {
    const viaCity = (path: string, body: unknown) =>
      expectRefused('city-specialist', 'POST', path, { status: 400, code: 'validation_failed' }, body);
    expect(await viaCity('/api/documents', { title: 42, docType: 'quyet-dinh' })).toMatch(/title/);
    expect(await viaCity('/api/documents', { docType: 'quyet-dinh' })).toMatch(/title/);
    expect(await viaCity('/api/documents', { title: 'Một văn bản', docType: 'khong-co-loai-nay' })).toMatch(
      /docType/,
    );
    expect(
      await viaCity('/api/documents', { title: 'Một văn bản', docType: 'quyet-dinh', color: 'đỏ' }),
    ).toMatch(/color/);
    await expectRefused(
      'city-chairman',
      'POST',
      `/api/documents/${draftId}/return`,
      { status: 400, code: 'validation_failed' },
      { reason: 7 },
    );
    await expectRefused(
      'city-clerk',
      'POST',
      `/api/documents/${signedId}/send`,
      { status: 400, code: 'validation_failed' },
      { recipients: 'all-wards' },
    );
    await expectRefused(
      'ba-dinh-clerk',
      'POST',
      `/api/documents/${sentId}/assign`,
      { status: 400, code: 'validation_failed' },
      { lead: 'x', deadline: 'tomorrow', note: 'n' },
    );
    await expectRefused('city-clerk', 'GET', '/api/inbox?folder=trash', {
      status: 400,
      code: 'validation_failed',
    });
    await expectRefused('city-clerk', 'GET', '/api/registers/outgoing?year=abc', {
      status: 400,
      code: 'validation_failed',
    });
    const malformed = await api<View>('POST', `/api/documents/${draftId}/submit`, {
      token: await login('city-specialist'),
      rawBody: '{"note": ',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_json');
  });

  it('wrong state → 409 with the reason', async () => {
    const issueUnsigned = await expectRefused(
      'city-clerk',
      'POST',
      `/api/documents/${draftId}/issue-requests`,
      {
        status: 409,
        code: 'outgoing_cannot_issue',
      },
    );
    expect(issueUnsigned).toMatch(/Dự thảo/);
    await expectRefused(
      'city-clerk',
      'POST',
      `/api/documents/${signedId}/send`,
      { status: 409, code: 'outgoing_cannot_send' },
      { recipients: ['so-noi-vu'] },
    );
    await expectRefused('city-specialist', 'POST', `/api/documents/${signedId}/submit`, {
      status: 409,
      code: 'outgoing_cannot_submit',
    });
    const english = await api<View>('POST', `/api/documents/${draftId}/issue-requests`, {
      token: await login('city-clerk'),
      body: {},
      headers: { 'accept-language': 'en' },
    });
    expect(english.body.error.message).toMatch(/draft/i);
  });

  it('not allowed → 403 with the reason; another organisation’s document → 404', async () => {
    await expectRefused('city-specialist', 'POST', `/api/documents/${signedId}/issue-requests`, {
      status: 403,
      code: 'forbidden_role',
    });
    await expectRefused('city-auditor', 'POST', `/api/documents/${draftId}/submit`, {
      status: 403,
      code: 'forbidden',
    });
    await expectRefused('snv-clerk', 'GET', `/api/documents/${draftId}`, { status: 404, code: 'not_found' });
    await expectRefused('snv-clerk', 'POST', `/api/documents/${signedId}/issue-requests`, {
      status: 404,
      code: 'not_found',
    });
    await expectRefused('snv-clerk', 'GET', '/api/registers/outgoing?orgId=ubnd-hanoi', {
      status: 404,
      code: 'not_found',
    });
  });

  it('uploads that are not a PDF, truncated, too large or missing are refused', async () => {
    await expectRefused('city-specialist', 'POST', `/api/documents/${notPdf}/content`, {
      status: 415,
      code: 'pdf_not_a_pdf',
    });
    await expectRefused('city-specialist', 'POST', `/api/documents/${truncated}/content`, {
      status: 422,
      code: 'pdf_truncated',
    });
    await expectRefused('city-specialist', 'POST', `/api/documents/${oversized}/content`, {
      status: 413,
      code: 'file_too_large',
    });
    await expectRefused('city-specialist', 'POST', `/api/documents/${neverUploaded}/content`, {
      status: 409,
      code: 'upload_missing',
    });
  });

  it('refusals read wholly in the caller’s language: no Vietnamese in English, no English in Vietnamese', async () => {
    const past = '2020-01-02';
    const refusals: [user: string, method: string, path: string, body: unknown, code: string][] = [
      // A leader without a rank: a check of our own schema, not zod's.
      [
        'city-clerk',
        'PUT',
        '/api/people/city-specialist/position',
        { orgId: 'ubnd-hanoi', role: 'leader', title: 'Phó Chủ tịch' },
        'validation_failed',
      ],
      [
        'city-clerk',
        'PUT',
        '/api/people/city-specialist/position',
        { orgId: 'ubnd-hanoi', role: 'clerk', title: 'Văn thư' },
        'forbidden',
      ],
      ['city-auditor', 'POST', `/api/documents/${draftId}/submit`, {}, 'forbidden'],
      ['snv-clerk', 'GET', `/api/documents/${draftId}`, undefined, 'not_found'],
      [
        'city-specialist',
        'POST',
        '/api/documents',
        { title: 42, docType: 'quyet-dinh' },
        'validation_failed',
      ],
      ['city-clerk', 'POST', `/api/documents/${draftId}/issue-requests`, {}, 'outgoing_cannot_issue'],
      [
        'ba-dinh-chairman',
        'POST',
        `/api/documents/${presentedId}/assign`,
        { lead: 'ba-dinh-specialist', deadline: past, note: 'Xử lý' },
        'validation_failed',
      ],
    ];
    for (const [user, method, path, body, code] of refusals) {
      const read = async (language: 'vi' | 'en') => {
        const response = await api<View>(method, path, {
          token: await login(user),
          body,
          headers: { 'accept-language': language },
        });
        expect(response.body.error?.code, `${method} ${path}`).toBe(code);
        return response.body.error.message as string;
      };
      const [vi, en] = [await read('vi'), await read('en')];
      expect(en, en).not.toMatch(VIETNAMESE_LETTER);
      expect(vi, vi).toMatch(VIETNAMESE_LETTER);
      expect(englishWordIn(vi), vi).toBeUndefined();
    }
    // The example of the issue: the deadline is a message of its own, not zod's English in a Vietnamese frame.
    const late = await api<View>('POST', `/api/documents/${presentedId}/assign`, {
      token: await login('ba-dinh-chairman'),
      body: { lead: 'ba-dinh-specialist', deadline: past, note: 'Xử lý' },
    });
    expect(late.body.error.message).toBe(`Dữ liệu không hợp lệ: hạn xử lý ${past} đã qua`);
  });

  it('changed nothing anywhere', async () => {
    expect(await stateFingerprint()).toBe(fingerprint);
  });
});

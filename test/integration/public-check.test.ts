import { request } from 'node:http';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PublicCheckResult } from '../../lambdas/contracts/public-check';
import { publicThrottle } from '../../lambdas/routes';
import { signingChain } from '../fixtures/signing-flow';
import { api, login, operatorS3, stack } from '../support/api';
import { issueAndSend } from '../support/flow';
import { cityPki } from '../support/pki-fixtures';
import { uploadTo } from '../support/upload';

/*
 * The public check through the local gateway, with no token at all: an issued PDF is found in the register
 * of the organisation whose seal it bears; a changed one and one sealed by a foreign CA (with the same
 * organisation's name) are not; a document id is compared; no file stays in the intake bucket; and the
 * routes are bounded per client.
 */

let id: string;
let issued: Uint8Array;
let foreign: Uint8Array;

function intake() {
  const env = stack().environment;
  return {
    s3: operatorS3(),
    bucket: env.DOCFLOW_INTAKE_BUCKET ?? '',
  };
}

async function leftBehind(): Promise<string[]> {
  const { s3, bucket } = intake();
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'public-check/' }));
  s3.destroy();
  return (listed.Contents ?? []).map((o) => o.Key ?? '');
}

async function check(bytes: Uint8Array, body: Record<string, unknown> = {}, language = 'vi') {
  const started = await api<{ id: string; upload: { url: string; fields: Record<string, string> } }>(
    'POST',
    '/api/public/checks',
    { body: {} },
  );
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const put = await uploadTo(started.body.upload, bytes);
  expect(put.ok).toBe(true);
  return api<PublicCheckResult>('POST', `/api/public/checks/${started.body.id}`, {
    body,
    headers: { 'accept-language': language },
  });
}

beforeAll(async () => {
  id = await issueAndSend();
  const token = await login('city-clerk');
  const file = await api<{ url: string }>('GET', `/api/documents/${id}/file?redirect=false`, { token });
  issued = new Uint8Array(await (await fetch(file.body.url)).arrayBuffer());
  // The same chain of signatures, by a CA docflow does not trust, with the city's name on the seal.
  foreign = (await signingChain(await cityPki(), 1)).sealed;
});

describe('public check', () => {
  it('finds an issued PDF in the register of the organisation that sealed it, without sign-in', async () => {
    const register = await api<{
      entries: { documentId: string; number: number; symbol: string; issuedOn: string }[];
    }>('GET', '/api/registers/outgoing', { token: await login('city-clerk') });
    const row = register.body.entries.find((e) => e.documentId === id);
    expect(row?.issuedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const result = await check(issued);
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect(result.body.verdict).toBe('valid');
    expect(result.body.registered).toEqual({
      documentId: id,
      organisation: 'Ủy ban nhân dân thành phố Hà Nội',
      number: row?.number,
      symbol: row?.symbol,
      issuedOn: row?.issuedOn,
      docType: expect.any(String),
    });
    const kinds = result.body.signatures.map((s) => s.kind);
    expect(kinds).toEqual(expect.arrayContaining(['personal', 'seal']));
    const personal = result.body.signatures.find((s) => s.kind === 'personal');
    expect(personal).toMatchObject({ verdict: 'valid', trusted: true, capacity: 'KT.' });
    expect(personal?.title).toBeTruthy();
    expect(personal?.organisation).toBe('Ủy ban nhân dân thành phố Hà Nội');
    expect(result.body.idCheck).toBeNull();
    // Only public fields: nothing of the circulation (recipients, log, people's ids).
    expect(Object.keys(result.body).sort()).toEqual(
      ['idCheck', 'registered', 'signatures', 'summary', 'verdict'].sort(),
    );
    expect(JSON.stringify(result.body)).not.toMatch(/so-noi-vu|phuong-ba-dinh|city-clerk|city-chairman/);
  });

  it('compares a document id from a QR code', async () => {
    expect((await check(issued, { documentId: id })).body.idCheck).toBe('matches');
    const other = await issueAndSend({ sendTo: ['so-noi-vu'] });
    const differs = await check(issued, { documentId: other });
    expect(differs.body.idCheck).toBe('differs');
    expect(differs.body.registered?.documentId).toBe(id);
    const unknown = await check(issued, { documentId: 'no-such-document' });
    expect(unknown.body.idCheck).toBe('differs');
  });

  it('does not register a changed PDF or one sealed by a foreign authority', async () => {
    const changed = new Uint8Array(issued);
    changed[1500] = (changed[1500] ?? 0) ^ 0x01;
    const tampered = await check(changed, { documentId: id });
    expect(tampered.status).toBe(200);
    expect(tampered.body.verdict).toBe('invalid');
    expect(tampered.body.registered).toBeNull();
    expect(tampered.body.idCheck).toBe('differs');

    const stranger = await check(foreign, {}, 'en');
    expect(stranger.status).toBe(200);
    expect(stranger.body.verdict).toBe('invalid');
    expect(stranger.body.registered).toBeNull();
    expect(stranger.body.signatures.every((s) => !s.trusted && s.title === null)).toBe(true);
    expect(stranger.body.summary.en).toBeTruthy();
  });

  it('keeps no file: every check deletes its upload, refused ones too', async () => {
    const notPdf = await check(new TextEncoder().encode('not a pdf at all'));
    expect(notPdf.status).toBeGreaterThanOrEqual(400);
    expect(notPdf.status).toBeLessThan(500);
    expect(await leftBehind()).toEqual([]);
  });

  it('refuses bad input with a 4xx in the caller language', async () => {
    const badId = await api<{ error: { message: string } }>('POST', '/api/public/checks/not-a-uuid', {
      body: {},
      headers: { 'accept-language': 'en' },
    });
    expect(badId.status).toBe(400);
    const missing = await api('POST', '/api/public/checks/2b0d1e3c-7c55-4c7e-9a47-2f5e0d7a1c11', {
      body: {},
    });
    expect(missing.status).toBe(409);
    const extra = await api('POST', '/api/public/checks', { body: { key: 'x' } });
    expect(extra.status).toBe(400);
  });

  it('bounds each client: a burst past the limit gets 429 in its language, others are not held back', async () => {
    const url = new URL(stack().url);
    // Another loopback address is another client (Linux routes all of 127/8 to lo).
    const from = (localAddress: string, language: string) =>
      new Promise<{ status: number; body: string; retryAfter?: string }>((resolve, reject) => {
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path: '/api/public/checks',
            method: 'POST',
            localAddress,
            headers: { 'content-type': 'application/json', 'accept-language': language },
          },
          (res) => {
            let body = '';
            res.on('data', (chunk) => {
              body += chunk;
            });
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                body,
                retryAfter: res.headers['retry-after'] as string,
              }),
            );
          },
        );
        req.on('error', reject);
        req.end('{}');
      });
    const burst = await Promise.all(Array.from({ length: 40 }, () => from('127.0.0.7', 'en')));
    const refused = burst.filter((r) => r.status === 429);
    expect(burst.filter((r) => r.status === 201).length).toBeGreaterThanOrEqual(publicThrottle.burstLimit);
    expect(refused.length).toBeGreaterThan(0);
    expect(JSON.parse(refused[0]?.body ?? '{}').error.message).toMatch(/^Too many requests/);
    expect(Number(refused[0]?.retryAfter)).toBeGreaterThan(0);
    const vi = await from('127.0.0.7', 'vi');
    if (vi.status === 429) expect(JSON.parse(vi.body).error.message).toMatch(/^Có quá nhiều yêu cầu/);
    expect((await from('127.0.0.8', 'vi')).status).toBe(201);
  });
});

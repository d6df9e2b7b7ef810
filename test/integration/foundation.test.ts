import { generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, idpPrivateJwk, login, stateFingerprint } from '../support/api';

interface Org {
  id: string;
  name: string;
  kind: string;
}
interface DemoUser {
  userId: string;
  role: string;
  orgId: string;
  orgName: string;
}

describe('the local stack through its HTTP API', () => {
  it('reports every service up', async () => {
    const health = await api<{ status: string; services: Record<string, { status: string }> }>(
      'GET',
      '/api/health',
    );
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    expect(health.body.services).toEqual({
      dynamodb: { status: 'up' },
      s3: { status: 'up' },
      kms: { status: 'up' },
    });
  });

  it('lists demo users for every role, in the city, two departments and three wards/communes', async () => {
    const { status, body } = await api<{ users: DemoUser[] }>('GET', '/api/dev/users');
    expect(status).toBe(200);
    const cityRoles = new Set(body.users.filter((u) => u.orgId === 'ubnd-hanoi').map((u) => u.role));
    expect([...cityRoles].sort()).toEqual(['admin', 'auditor', 'clerk', 'leader', 'specialist']);
    const orgs = new Set(body.users.map((u) => u.orgId));
    expect([...orgs].filter((o) => o.startsWith('so-')).length).toBeGreaterThanOrEqual(2);
    expect(
      [...orgs].filter((o) => o.startsWith('phuong-') || o.startsWith('xa-')).length,
    ).toBeGreaterThanOrEqual(3);
    for (const user of body.users) expect(user.orgName).toMatch(/\S/);
  });

  it('signs a demo user in and lists the whole Hà Nội directory', async () => {
    const token = await login('city-clerk');
    const { status, body } = await api<Org[]>('GET', '/api/orgs', { token });
    expect(status).toBe(200);
    const count = (kind: string) => body.filter((o) => o.kind === kind).length;
    expect(count('city')).toBe(1);
    expect(count('department')).toBe(15);
    expect(count('ward') + count('commune')).toBe(126);
    expect(count('ward')).toBe(51);
    expect(count('commune')).toBe(75);
    expect(body[0]).toMatchObject({
      id: 'ubnd-hanoi',
      kind: 'city',
      name: 'Ủy ban nhân dân thành phố Hà Nội',
    });
    expect(new Set(body.map((o) => o.id)).size).toBe(body.length);

    const wards = await api<Org[]>('GET', '/api/orgs?kind=ward', { token });
    expect(wards.body.every((o) => o.kind === 'ward')).toBe(true);
    expect(wards.body).toHaveLength(51);
  });

  it('tells who is signed in, from the directory rather than the token', async () => {
    const me = await api<{ id: string; position: { role: string }; organisation: Org }>('GET', '/api/me', {
      token: await login('ba-dinh-chairman'),
    });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: 'ba-dinh-chairman', position: { role: 'leader' } });
    expect(me.body.organisation).toMatchObject({ id: 'phuong-ba-dinh', kind: 'ward' });
  });

  it('serves an OpenAPI document generated from the route contracts', async () => {
    const { status, body } = await api<{ openapi: string; paths: Record<string, unknown> }>(
      'GET',
      '/api/openapi.json',
    );
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/orgs', '/api/me']));
  });

  it('serves the web inbox on the same port', async () => {
    const page = await api<string>('GET', '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('docflow');
  });
});

describe('bad input is refused clearly and changes nothing', () => {
  let before: string;
  beforeAll(async () => {
    await login('city-clerk');
    before = await stateFingerprint();
  });

  it('unknown route → 404 JSON, in Vietnamese by default and English on request', async () => {
    const vi = await api<{ error: { code: string; message: string } }>('GET', '/api/no-such-thing');
    expect(vi.status).toBe(404);
    expect(vi.body.error.code).toBe('route_not_found');
    expect(vi.body.error.message).toContain('Không tìm thấy');
    const en = await api<{ error: { message: string } }>('DELETE', '/api/orgs', {
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    expect(en.status).toBe(404);
    expect(en.body.error.message).toBe('No such route: DELETE /api/orgs.');
  });

  it('malformed JSON → 400 with a readable message', async () => {
    const response = await api<{ error: { code: string; message: string } }>('POST', '/api/dev/login', {
      rawBody: '{"userId": ',
      headers: { 'accept-language': 'en' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_json');
    expect(response.body.error.message).toMatch(/^The request body is not valid JSON/);
  });

  it('login of an unknown user → 404', async () => {
    const response = await api<{ error: { code: string } }>('POST', '/api/dev/login', {
      body: { userId: 'nobody' },
    });
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('unknown_user');
  });

  it('missing, expired or forged token → 401', async () => {
    expect((await api('GET', '/api/orgs')).status).toBe(401);
    expect((await api('GET', '/api/orgs', { token: 'not-a-jwt' })).status).toBe(401);

    const jwk = (await idpPrivateJwk()) as JWK;
    const realKey = await importJWK(jwk, 'ES256');
    const claims = { 'cognito:username': 'city-clerk' };
    const expired = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('city-clerk')
      .setIssuer('docflow-local-idp')
      .setAudience('docflow-web')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(realKey);
    const expiredResponse = await api<{ error: { code: string } }>('GET', '/api/orgs', { token: expired });
    expect(expiredResponse.status).toBe(401);
    expect(expiredResponse.body.error.code).toBe('unauthenticated');

    const { privateKey: otherKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('city-chairman')
      .setIssuer('docflow-local-idp')
      .setAudience('docflow-web')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(otherKey);
    expect((await api('GET', '/api/me', { token: forged })).status).toBe(401);

    // The same claims signed with the real key are accepted: the 401s above are about the token alone.
    const valid = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('city-clerk')
      .setIssuer('docflow-local-idp')
      .setAudience('docflow-web')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(realKey);
    expect((await api('GET', '/api/me', { token: valid })).status).toBe(200);
  });

  it('left every table and bucket as it was', async () => {
    expect(await stateFingerprint()).toBe(before);
  });
});

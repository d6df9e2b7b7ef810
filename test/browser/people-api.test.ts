import { describe, expect, it } from 'vitest';
import { api, login } from '../support/api';

/* GET /api/people, which the web inbox's assign and approve forms read: own organisation, auditors any. */

interface Person {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  readonly role: string;
  readonly orgId: string;
}

describe('GET /api/people', () => {
  it("lists the caller's own organisation by default", async () => {
    const response = await api<Person[]>('GET', '/api/people', { token: await login('ba-dinh-chairman') });
    expect(response.status).toBe(200);
    expect(response.body.map((p) => p.id).sort()).toEqual([
      'ba-dinh-chairman',
      'ba-dinh-clerk',
      'ba-dinh-specialist',
      'ba-dinh-vice-chairman',
    ]);
    expect(response.body).toContainEqual({
      id: 'ba-dinh-specialist',
      name: 'Mai Văn Sơn',
      title: 'Chuyên viên',
      role: 'specialist',
      orgId: 'phuong-ba-dinh',
    });
  });

  it("refuses another organisation's people, in the caller's language", async () => {
    const token = await login('ba-dinh-clerk');
    const vi = await api<{ error: { code: string; message: string } }>(
      'GET',
      '/api/people?orgId=ubnd-hanoi',
      { token },
    );
    expect(vi.status).toBe(403);
    expect(vi.body.error.code).toBe('forbidden');
    const en = await api<{ error: { message: string } }>('GET', '/api/people?orgId=ubnd-hanoi', {
      token,
      headers: { 'accept-language': 'en' },
    });
    expect(en.body.error.message).toMatch(/^You may not do this/);
  });

  it('lets auditors read any organisation, and names an unknown one', async () => {
    const token = await login('city-auditor');
    const ward = await api<Person[]>('GET', '/api/people?orgId=phuong-ba-dinh', { token });
    expect(ward.status).toBe(200);
    expect(ward.body.every((p) => p.orgId === 'phuong-ba-dinh')).toBe(true);
    expect(ward.body).toHaveLength(4);
    const unknown = await api<{ error: { code: string } }>('GET', '/api/people?orgId=khong-co', { token });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
  });

  it('needs a signed-in caller', async () => {
    expect((await api('GET', '/api/people')).status).toBe(401);
  });
});

import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, login } from '../support/api';
import { draft } from '../support/flow';

/** The inbox searches the whole folder on the server, as Vietnamese is typed: with or without accents. */

interface Page {
  readonly items: readonly { readonly id: string; readonly title: string }[];
  readonly total: number;
  readonly cursor?: string;
}

const token = `tk${randomUUID().slice(0, 8)}`;
const search = async (q: string, language = 'vi') =>
  api<Page>('GET', `/api/inbox?folder=drafts&q=${encodeURIComponent(q)}`, {
    token: await login('city-specialist'),
    headers: { 'accept-language': language },
  });

describe('inbox search', () => {
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    for (const ordinal of ['thứ nhất', 'thứ hai', 'thứ ba']) {
      ids[ordinal] = await draft({ title: `Về việc thử tìm kiếm ${token} lần ${ordinal}` });
    }
  });

  it('finds every draft with all the words, typed without accents or in capitals', async () => {
    const all = await search(`${token} thu tim kiem`);
    expect(all.status).toBe(200);
    expect(all.body.items.map((i) => i.id).sort()).toEqual(Object.values(ids).sort());
    const second = await search(`${token.toUpperCase()} THỨ HAI`);
    expect(second.body.items.map((i) => i.id)).toEqual([ids['thứ hai']]);
    expect((await search(`${token} lần thứ tư`)).body.items).toEqual([]);
  });

  it('refuses a search longer than 200 characters, in the caller’s language', async () => {
    const tooLong = await search('x'.repeat(201), 'en');
    expect(tooLong.status).toBe(400);
    expect(JSON.stringify(tooLong.body)).toMatch(/q:/);
  });
});

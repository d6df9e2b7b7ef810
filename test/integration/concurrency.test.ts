import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, login, stateFingerprint } from '../support/api';
import { authorize, get, issueAs, post, type Signers, signed, toSign, type View } from '../support/flow';

/**
 * Concurrency and retries against the real stores: numbers stay unique and gap-free, a document is signed
 * once however many times the button is pressed, and a retried write changes nothing.
 */

const SNV: Signers = {
  drafter: 'snv-specialist',
  approver: 'snv-director',
  signer: 'snv-director',
  capacity: { capacity: 'own' },
};

/** Runs `work` over `items`, at most `limit` at a time. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index] as T);
      }
    }),
  );
  return results;
}

describe('concurrent writers', () => {
  it('50 parallel issue calls in one organisation give 50 distinct consecutive numbers', async () => {
    const ids = await pool(
      Array.from({ length: 50 }, (_, i) => i),
      5,
      () => signed(SNV, { docType: 'cong-van', title: `Công văn thử ${randomUUID().slice(0, 6)}` }),
    );
    const before = await get('snv-clerk', '/api/registers/outgoing');
    const token = await login('snv-clerk');
    // Numbers are reserved when the issue is prepared, all at once; the clerk authorizes the 50 seals in one
    // batch, and the seals are applied at once too.
    const prepared = await Promise.all(
      ids.map((id) => post('snv-clerk', `/api/documents/${id}/issue-requests`)),
    );
    await authorize(
      'snv-clerk',
      prepared.map((p) => p.requestId),
    );
    const responses = await Promise.all(
      prepared.map((p) =>
        api<View>('POST', `/api/documents/${p.documentId}/issue`, {
          token,
          body: { requestId: p.requestId },
        }),
      ),
    );
    for (const r of responses) expect(r.status, JSON.stringify(r.body)).toBe(200);
    const numbers = responses.map((r) => r.body.number as number).sort((a, b) => a - b);
    const first = before.entries.length + 1;
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => first + i));
    expect(new Set(responses.map((r) => r.body.symbol)).size).toBe(50);

    const after = await get('snv-clerk', '/api/registers/outgoing');
    expect(after.entries).toHaveLength(before.entries.length + 50);
    expect(after.entries.map((e: View) => e.number)).toEqual(
      Array.from({ length: after.entries.length }, (_, i) => i + 1),
    );
  });

  it('20 signatures prepared and authorized for one draft, made at once, give exactly one signature', async () => {
    const id = await toSign(SNV);
    const token = await login('snv-director');
    const prepared = await Promise.all(
      Array.from({ length: 20 }, () =>
        post('snv-director', `/api/documents/${id}/signature-requests`, { capacity: 'own' }),
      ),
    );
    await authorize(
      'snv-director',
      prepared.map((p) => p.requestId),
    );
    const responses = await Promise.all(
      prepared.map((p) =>
        api<View>('POST', `/api/documents/${id}/sign`, { token, body: { requestId: p.requestId } }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const refused = responses.find((r) => r.status === 409);
    expect(refused?.body.error.code).toBe('outgoing_cannot_sign');

    const view = await get('snv-director', `/api/documents/${id}`);
    expect(view.signatures).toHaveLength(1);
    expect((view.log as View[]).filter((e) => e.type === 'signed')).toHaveLength(1);
    expect(view.chain.valid).toBe(true);
  });

  it('a replay with the same Idempotency-Key returns the first result and changes nothing', async () => {
    const id = await toSign(SNV);
    const token = await login('snv-director');
    const [one, other] = await Promise.all([
      post('snv-director', `/api/documents/${id}/signature-requests`, { capacity: 'own' }),
      post('snv-director', `/api/documents/${id}/signature-requests`, { capacity: 'own' }),
    ]);
    await authorize('snv-director', [one.requestId, other.requestId]);
    const headers = { 'idempotency-key': randomUUID() };
    const first = await api<View>('POST', `/api/documents/${id}/sign`, {
      token,
      body: { requestId: one.requestId },
      headers,
    });
    expect(first.status).toBe(200);
    const fingerprint = await stateFingerprint();

    const replay = await api<View>('POST', `/api/documents/${id}/sign`, {
      token,
      body: { requestId: one.requestId },
      headers,
    });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    expect(await stateFingerprint()).toBe(fingerprint);

    // The same key for a different request is a client error, not a silent replay.
    const misuse = await api<View>('POST', `/api/documents/${id}/sign`, {
      token,
      body: { requestId: other.requestId },
      headers,
    });
    expect(misuse.status).toBe(422);
    expect(misuse.body.error.code).toBe('idempotency_key_reused');
    expect(await stateFingerprint()).toBe(fingerprint);

    // Without the key, the same signature asked for again answers with the document as signed: made once.
    const again = await api<View>('POST', `/api/documents/${id}/sign`, {
      token,
      body: { requestId: one.requestId },
    });
    expect(again.status).toBe(200);
    expect(again.body.signatures).toHaveLength(1);
    // Another signature of the same draft is refused by the state machine.
    const second = await api<View>('POST', `/api/documents/${id}/sign`, {
      token,
      body: { requestId: other.requestId },
    });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('outgoing_cannot_sign');
  });

  it('a retried send with the same key delivers once', async () => {
    const id = await signed(SNV);
    await issueAs('snv-clerk', id);
    const token = await login('snv-clerk');
    const headers = { 'idempotency-key': randomUUID() };
    const body = { recipients: ['phuong-ba-dinh', 'xa-soc-son'] };
    const [a, b] = await Promise.all([
      api<View>('POST', `/api/documents/${id}/send`, { token, body, headers }),
      api<View>('POST', `/api/documents/${id}/send`, { token, body, headers }),
    ]);
    // One runs, the other either waits for its result or is told it is still in progress.
    expect([a.status, b.status].sort()).toEqual(a.status === b.status ? [200, 200] : [200, 409]);
    const view = await get('snv-clerk', `/api/documents/${id}`);
    expect(view.deliveries).toHaveLength(2);
    expect((view.log as View[]).filter((e) => e.type === 'sent')).toHaveLength(1);
    expect((view.log as View[]).filter((e) => e.type === 'arrived')).toHaveLength(2);
  });
});

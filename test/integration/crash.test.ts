import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, useStack } from '../support/api';
import { get, issueAs, post, signed, type View } from '../support/flow';
import { type RunningStack, startStackProcess } from '../support/global-setup';

/**
 * A crash in the middle of a send to every ward, commune and department: the whole stack killed at once
 * (functions, DynamoDB Local, the stream poller) after the first recipients' arrivals were written and
 * before the last. When it starts again on the same data, the log's stream finishes the send
 * (handlers/delivery-completer.ts): every recipient gets the document exactly once, with no client coming
 * back, and the sender's answer to a retry is the document as sent.
 */

const BROADCAST = ['all-wards', 'all-departments'];
/** 126 wards and communes, 15 departments. */
const RECIPIENTS = 141;

let running: RunningStack;
beforeAll(async () => {
  running = await startStackProcess();
  useStack(running.info);
}, 120_000);
afterAll(async () => {
  useStack(undefined);
  await running?.stop();
});

async function arrivedCount(id: string): Promise<number> {
  const response = await api<View>('GET', `/api/documents/${id}`, { token: await login('city-clerk') });
  return ((response.body.deliveries ?? []) as { status: string }[]).filter((d) => d.status !== 'pending')
    .length;
}

/** Sends, and crashes the stack once some recipients have the document and others not yet. */
async function crashMidSend(id: string): Promise<number | undefined> {
  const sending = post('city-clerk', `/api/documents/${id}/send`, { recipients: BROADCAST }).catch(
    () => undefined,
  );
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const arrived = await arrivedCount(id).catch(() => 0);
    if (arrived > 0 && arrived < RECIPIENTS) {
      await running.crash();
      return arrived;
    }
    if (arrived === RECIPIENTS) break;
  }
  await sending;
  return undefined;
}

describe('a send cut off by a crash', () => {
  it('is finished after the restart, exactly once per recipient, without a client coming back', async () => {
    let cutAt: number | undefined;
    let id = '';
    // The crash must fall between the first and the last arrival; a send that finished before the test
    // saw it half-way is tried again with another document.
    for (let attempt = 0; attempt < 5 && cutAt === undefined; attempt++) {
      id = await signed();
      await issueAs('city-clerk', id);
      const view = await get('city-clerk', `/api/documents/${id}`);
      expect(view.state).toBe('ISSUED');
      cutAt = await crashMidSend(id);
    }
    expect(cutAt, 'the stack was never caught half-way through a send').toBeDefined();

    const dataDir = running.info.dataDir;
    running = await startStackProcess({ dataDir });
    useStack(running.info);

    const deadline = Date.now() + 60_000;
    let arrived = await arrivedCount(id);
    while (arrived < RECIPIENTS && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      arrived = await arrivedCount(id);
    }
    const view = await get('city-clerk', `/api/documents/${id}`);
    expect(view.state).toBe('SENT');
    const deliveries = view.deliveries as { orgId: string; status: string }[];
    expect(deliveries).toHaveLength(RECIPIENTS);
    expect(deliveries.filter((d) => d.status === 'pending')).toEqual([]);
    expect(new Set(deliveries.map((d) => d.orgId)).size).toBe(RECIPIENTS);
    // Exactly one arrival per recipient in the log, and the chain of the document's events intact.
    const arrivals = (view.log as { type: string; orgId?: string }[]).filter((e) => e.type === 'arrived');
    expect(arrivals).toHaveLength(RECIPIENTS);
    expect(view.chain.valid).toBe(true);
    // A recipient has it in its inbox.
    const inbox = await get('ba-dinh-clerk', '/api/inbox?folder=incoming&limit=100');
    expect((inbox.items as { id: string }[]).map((item) => item.id)).toContain(id);
    // The sender's client, coming back with the same request, is told the send happened.
    const retried = await post('city-clerk', `/api/documents/${id}/send`, { recipients: BROADCAST });
    expect(retried.state).toBe('SENT');
  }, 300_000);
});

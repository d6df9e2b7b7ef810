import { describe, expect, it } from 'vitest';
import { login, stack } from '../support/api';
import { sent } from '../support/flow';

/**
 * The live inbox over the running stack: the local gateway serves the WebSocket API, the log's stream feeds
 * the notifier, which posts to the connections of the organisations an event concerns.
 */

interface Live {
  readonly messages: { type: string; documentId: string; receivedAt: number }[];
  close(): void;
}

async function connect(userId: string, token?: string): Promise<Live> {
  const url = `${stack().url.replace(/^http/, 'ws')}/api/live?token=${encodeURIComponent(token ?? (await login(userId)))}`;
  const socket = new WebSocket(url);
  const messages: Live['messages'] = [];
  socket.addEventListener('message', (event) => {
    messages.push({ ...JSON.parse(String(event.data)), receivedAt: Date.now() });
  });
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve());
    socket.addEventListener('error', () => reject(new Error(`${userId}: the socket was refused`)));
  });
  return { messages, close: () => socket.close() };
}

describe('the live inbox on the local stack', () => {
  it('tells an open ward inbox of a document sent to it within 2 s, and no other ward', async () => {
    const ward = await connect('ba-dinh-clerk');
    const other = await connect('hoan-kiem-clerk');
    try {
      const id = await sent(['phuong-ba-dinh']);
      const sentAt = Date.now();
      const deadline = sentAt + 5_000;
      while (!ward.messages.some((m) => m.documentId === id) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      const arrival = ward.messages.find((m) => m.documentId === id);
      expect(arrival?.type).toBe('changed');
      expect((arrival?.receivedAt ?? Number.POSITIVE_INFINITY) - sentAt).toBeLessThan(2_000);
      expect(other.messages.filter((m) => m.documentId === id)).toEqual([]);
    } finally {
      ward.close();
      other.close();
    }
  });

  it('refuses a connection without a valid token', async () => {
    await expect(connect('nobody', 'not-a-token')).rejects.toThrow(/refused/);
  });
});

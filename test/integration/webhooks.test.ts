import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamoWebhookStore } from '../../lambdas/adapters/webhook-store';
import { verifyWebhookSignature } from '../../lambdas/core/webhooks/signature';
import type { WebhookDelivery } from '../../lambdas/ports/webhooks';
import { api, login, stack } from '../support/api';
import { sent } from '../support/flow';

/**
 * Webhooks over the running stack: the test starts real HTTP receivers on the loopback (the local stack
 * allows http://127.0.0.1 there, never deployed); the fan-out (fed by the log's stream) queues deliveries,
 * the local scheduler's clock, moved forward by the test as EventBridge Scheduler's time would pass, runs
 * the sender. One receiver checks the HMAC with its secret; another fails until it is dead-lettered, and a
 * replay then reaches it with the same delivery id.
 */

interface Received {
  readonly body: string;
  readonly headers: IncomingMessage['headers'];
}

interface Receiver {
  readonly url: string;
  readonly got: Received[];
  status: number;
  close(): Promise<void>;
}

async function receiver(path: string): Promise<Receiver> {
  const got: Received[] = [];
  const state = { status: 204 };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      got.push({ body: Buffer.concat(chunks).toString('utf8'), headers: request.headers });
      response.writeHead(state.status).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return Object.assign(state, {
    url,
    got,
    close: () => new Promise<void>((done) => server.close(() => done())),
  }) as Receiver;
}

interface Delivery {
  id: string;
  documentId: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatusCode?: number;
}

const ADMIN = 'city-admin';
const as = async <T>(method: string, path: string, body?: unknown) => {
  const response = await api<T>(method, path, { token: await login(ADMIN), body });
  return response;
};

const deliveries = async (webhookId: string, documentId: string) =>
  (await as<{ items: Delivery[] }>('GET', `/api/webhooks/${webhookId}/deliveries`)).body.items.filter(
    (d) => d.documentId === documentId,
  );

interface ClockRun {
  schedule: string;
  result?: { due: number; delivered: number; retrying: number; dead: number };
  error?: string;
}
const clock = async (body: unknown) => {
  const response = await fetch(`${stack().services.scheduler}/clock`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  const answer = (await response.json()) as { runs: ClockRun[] };
  for (const run of answer.runs) expect(run.error, run.schedule).toBeUndefined();
  return answer;
};

async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    value = await probe();
  }
  return value;
}

describe('webhooks on the local stack', () => {
  let good: Receiver;
  let failing: Receiver;
  const made: string[] = [];

  beforeAll(async () => {
    good = await receiver('/hooks/good');
    failing = await receiver('/hooks/failing');
    failing.status = 503;
  });
  afterAll(async () => {
    for (const id of made) await as('DELETE', `/api/webhooks/${id}`);
    await clock({ reset: true });
    await good.close();
    await failing.close();
  });

  it('deliver signed events, retry with backoff, dead-letter after the last try, and replay', async () => {
    const registered = await as<{ webhook: { id: string }; secret: string }>('POST', '/api/webhooks', {
      url: good.url,
      events: ['document.issued', 'document.sent'],
      description: 'Cổng một cửa (thử)',
    });
    expect(registered.status).toBe(201);
    const { webhook, secret } = registered.body;
    made.push(webhook.id);
    const other = await as<{ webhook: { id: string } }>('POST', '/api/webhooks', {
      url: failing.url,
      events: ['document.sent'],
    });
    expect(other.status).toBe(201);
    made.push(other.body.webhook.id);
    // Not listed again: the secret is shown once.
    const listed = await as<{ items: { id: string }[] }>('GET', '/api/webhooks');
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    const id = await sent(['phuong-ba-dinh']);
    // The fan-out has queued both of the good receiver's events, and the failing receiver's one.
    const queued = await eventually(
      () => deliveries(webhook.id, id),
      (d) => d.length === 2,
    );
    expect(queued.map((d) => d.eventType).sort()).toEqual(['document.issued', 'document.sent']);
    expect(
      await eventually(
        () => deliveries(other.body.webhook.id, id),
        (d) => d.length === 1,
      ),
    ).toHaveLength(1);

    // A minute later (the scheduler's clock) the sender sends them.
    await clock({ advanceMinutes: 1 });
    const delivered = await eventually(
      () => deliveries(webhook.id, id),
      (d) => d.every((x) => x.status === 'delivered'),
    );
    expect(delivered.map((d) => d.status)).toEqual(['delivered', 'delivered']);
    const mine = good.got.filter((r) => r.body.includes(id));
    expect(mine).toHaveLength(2);
    for (const r of mine) {
      expect(verifyWebhookSignature(r.body, String(r.headers['docflow-signature']), secret)).toMatchObject({
        valid: true,
      });
      expect(
        verifyWebhookSignature(r.body, String(r.headers['docflow-signature']), 'whsec_wrong').valid,
      ).toBe(false);
      expect(delivered.map((d) => d.id)).toContain(r.headers['docflow-delivery']);
      const payload = JSON.parse(r.body) as { type: string; document: Record<string, unknown> };
      expect(payload.document).toMatchObject({ id, senderOrgId: 'ubnd-hanoi' });
      expect(payload.document.symbol).toMatch(/\//);
      // Ids and register metadata, never the subject or the file.
      expect(r.body).not.toMatch(/Về việc|%PDF|sha256/i);
    }

    // The failing receiver: tried again after 1, 4, 16, 64, 256 minutes, then dead.
    for (const minutes of [4, 16, 64, 256, 1024]) {
      const before = failing.got.filter((r) => r.body.includes(id)).length;
      await clock({ advanceMinutes: minutes });
      await eventually(
        async () => failing.got.filter((r) => r.body.includes(id)).length,
        (n) => n > before,
        10_000,
      );
    }
    const [dead] = await eventually(
      () => deliveries(other.body.webhook.id, id),
      (d) => d[0]?.status === 'dead',
    );
    expect(dead).toMatchObject({ status: 'dead', attempts: 6, lastStatusCode: 503 });
    const tries = failing.got.filter((r) => r.body.includes(id));
    expect(tries).toHaveLength(6);
    expect(new Set(tries.map((r) => r.headers['docflow-delivery']))).toEqual(new Set([dead?.id]));
    await clock({ advanceMinutes: 2000 });
    expect(failing.got.filter((r) => r.body.includes(id))).toHaveLength(6);

    // Replayed once the receiver is back: delivered, with the same id.
    failing.status = 200;
    const replayed = await as<Delivery>(
      'POST',
      `/api/webhooks/${other.body.webhook.id}/deliveries/${dead?.id}/replay`,
    );
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({ status: 'pending', attempts: 0 });
    await clock({ advanceMinutes: 1 });
    const [back] = await eventually(
      () => deliveries(other.body.webhook.id, id),
      (d) => d[0]?.status === 'delivered',
    );
    expect(back?.status).toBe('delivered');
    expect(failing.got.filter((r) => r.body.includes(id)).at(-1)?.headers['docflow-delivery']).toBe(dead?.id);
  }, 400_000);

  it('sign with both secrets while a rotation overlaps', async () => {
    const registered = await as<{ webhook: { id: string }; secret: string }>('POST', '/api/webhooks', {
      url: good.url,
      events: ['document.issued'],
    });
    made.push(registered.body.webhook.id);
    const rotated = await as<{ webhook: { secrets: unknown[] }; secret: string }>(
      'POST',
      `/api/webhooks/${registered.body.webhook.id}/rotations`,
      { overlapHours: 1 },
    );
    expect(rotated.status).toBe(200);
    expect(rotated.body.webhook.secrets).toHaveLength(2);
    const id = await sent(['phuong-ba-dinh']);
    await eventually(
      () => deliveries(registered.body.webhook.id, id),
      (d) => d.length === 1,
    );
    await clock({ advanceMinutes: 1 });
    const [got] = await eventually(
      async () =>
        good.got.filter(
          (r) =>
            r.body.includes(id) &&
            r.headers['docflow-event'] === 'document.issued' &&
            r.headers['docflow-signature'],
        ),
      (r) => r.some((x) => String(x.headers['docflow-signature']).split(',').length === 3),
    );
    const signed = good.got.find(
      (r) => r.body.includes(id) && String(r.headers['docflow-signature']).split(',').length === 3,
    );
    expect(got).toBeDefined();
    for (const secret of [registered.body.secret, rotated.body.secret]) {
      expect(
        verifyWebhookSignature(signed?.body ?? '', String(signed?.headers['docflow-signature']), secret)
          .valid,
      ).toBe(true);
    }
  }, 300_000);

  it('refuse a webhook of another organisation, bad endpoints, and non-administrators', async () => {
    const registered = await as<{ webhook: { id: string } }>('POST', '/api/webhooks', {
      url: good.url,
      events: ['document.completed'],
    });
    made.push(registered.body.webhook.id);
    const clerk = await api('GET', '/api/webhooks', { token: await login('city-clerk') });
    expect(clerk.status).toBe(403);
    const unknown = await as<{ error: { code: string } }>(
      'DELETE',
      '/api/webhooks/00000000-0000-0000-0000-000000000000',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('webhook_not_found');
    const inside = await as<{ error: { code: string } }>('POST', '/api/webhooks', {
      url: 'http://169.254.169.254/latest/meta-data/',
      events: ['document.sent'],
    });
    expect({ status: inside.status, code: inside.body.error.code }).toEqual({
      status: 422,
      code: 'webhook_https_required',
    });
    const english = await api<{ error: { message: string } }>('POST', '/api/webhooks', {
      token: await login(ADMIN),
      body: { url: 'https://10.0.0.8/hook', events: ['document.sent'] },
      headers: { 'accept-language': 'en' },
    });
    expect(english.status).toBe(422);
    expect(english.body.error.message).toMatch(/internal addresses/);
  });
  it("seal secrets in the KMS emulator under the webhook key: only the sender's role opens them, only in their context", async () => {
    const registered = await as<{ webhook: { id: string }; secret: string }>('POST', '/api/webhooks', {
      url: good.url,
      events: ['document.completed'],
    });
    expect(registered.status).toBe(201);
    const { webhook, secret } = registered.body;
    made.push(webhook.id);
    const fn = (name: string) => {
      const found = stack().functions[name];
      if (!found) throw new Error(`no function ${name}`);
      return found;
    };
    const env = stack().environment;
    const config = { region: env.AWS_REGION, maxAttempts: 1 };
    const dynamo = new DynamoDBClient({
      ...config,
      endpoint: stack().services.dynamodb,
      credentials: {
        accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
      },
    });
    const kmsAs = (name: string) =>
      new KMSClient({ ...config, endpoint: stack().services.kms, credentials: fn(name).credentials });
    const sender = kmsAs('webhookSender');
    const admin = kmsAs('webhooks');
    try {
      const { Items } = await DynamoDBDocumentClient.from(dynamo).send(
        new ScanCommand({
          TableName: fn('webhookSender').environment.DOCFLOW_WEBHOOKS_TABLE,
          FilterExpression: 'sk = :sk',
          ExpressionAttributeValues: { ':sk': `WEBHOOK#${webhook.id}` },
        }),
      );
      const stored = Items?.[0]?.webhook as
        | { orgId: string; secrets: { id: string; sealed: string }[] }
        | undefined;
      const sealed = stored?.secrets[0];
      if (!stored || !sealed) throw new Error('the webhook is not stored');
      expect(sealed.sealed).toMatch(/^kms:/);
      expect(sealed.sealed).not.toContain(secret);
      const blob = Buffer.from(sealed.sealed.slice(4), 'base64');
      const context = { webhookId: webhook.id, orgId: stored.orgId, secretId: sealed.id };
      const keyId = fn('webhookSender').environment.DOCFLOW_WEBHOOK_KEY_ID;
      expect(keyId).toMatch(/^arn:aws:kms:[^:]+:\d{12}:key\//);
      // The sender's role opens it with its context: the secret shown once at registration.
      const opened = await sender.send(
        new DecryptCommand({ KeyId: keyId, CiphertextBlob: blob, EncryptionContext: context }),
      );
      expect(new TextDecoder().decode(opened.Plaintext)).toBe(secret);
      // Another subscription's context does not open it; the webhooks function may seal but not open.
      await expect(
        sender.send(
          new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { ...context, webhookId: 'other' } }),
        ),
      ).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
      await expect(
        admin.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: context })),
      ).rejects.toMatchObject({ name: 'AccessDeniedException' });
      await expect(
        sender.send(new EncryptCommand({ KeyId: keyId, Plaintext: blob, EncryptionContext: context })),
      ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    } finally {
      dynamo.destroy();
      sender.destroy();
      admin.destroy();
    }
  });
});

describe("the webhook store's claims, on DynamoDB Local with the sender's own role", () => {
  beforeAll(() => {
    const sender = stack().functions.webhookSender;
    if (!sender) throw new Error('no webhookSender function');
    for (const [name, value] of Object.entries(sender.environment)) vi.stubEnv(name, value);
  });
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('one of two claims at once wins; a live claim holds, a lapsed one is taken over; a lost claim saves nothing', async () => {
    const now = new Date();
    const iso = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString();
    const delivery: WebhookDelivery = {
      id: `${now.toISOString().replace(/[-:.]/g, '')}-${randomHex()}`,
      webhookId: crypto.randomUUID(),
      orgId: 'ubnd-hanoi',
      eventId: randomHex(),
      eventType: 'document.sent',
      documentId: crypto.randomUUID(),
      payload: '{}',
      status: 'pending',
      attempts: 0,
      createdAt: iso(0),
      nextAttemptAt: iso(0),
    };
    expect(await dynamoWebhookStore.addDelivery(delivery)).toBe(true);
    const claims = await Promise.all(
      ['a', 'b', 'c'].map((id) => dynamoWebhookStore.claimDelivery(delivery, { id, until: iso(5) }, iso(0))),
    );
    const won = claims.filter((c) => c !== undefined);
    expect(won).toHaveLength(1);
    const winner = won[0]?.claimId ?? '';
    // Held: no other claim before it lapses, even from a run whose clock is far ahead in schedule time.
    expect(
      await dynamoWebhookStore.claimDelivery(delivery, { id: 'd', until: iso(6) }, iso(4)),
    ).toBeUndefined();
    // Lapsed (the winner died): taken over; the winner's late save is refused and changes nothing.
    expect(
      await dynamoWebhookStore.claimDelivery(delivery, { id: 'e', until: iso(11) }, iso(6)),
    ).toMatchObject({
      claimId: 'e',
    });
    expect(
      await dynamoWebhookStore.settleDelivery({ ...delivery, status: 'dead', attempts: 1 }, winner),
    ).toBe(false);
    expect(
      await dynamoWebhookStore.settleDelivery({ ...delivery, status: 'delivered', attempts: 1 }, 'e'),
    ).toBe(true);
    const stored = await dynamoWebhookStore.getDelivery(delivery.webhookId, delivery.id);
    expect(stored).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(stored?.claimId).toBeUndefined();
    // Tried already: an old reading of it (attempts 0) claims nothing.
    expect(
      await dynamoWebhookStore.claimDelivery(delivery, { id: 'f', until: iso(20) }, iso(15)),
    ).toBeUndefined();
  });
});

function randomHex(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(10))).toString('hex');
}

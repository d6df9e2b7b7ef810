// Webhooks against in-memory ports: who manages them, which events become deliveries (only the subscribing
// organisation's own), what a delivery carries, signing with both secrets during a rotation, backoff, the
// dead letter and the replay.
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../lambdas/core/domain/actor';
import type { Caller } from '../../lambdas/core/domain/caller';
import type { DomainError } from '../../lambdas/core/errors';
import { verifyWebhookSignature } from '../../lambdas/core/webhooks/signature';
import { MAX_ATTEMPTS, WebhookPayloadSchema } from '../../lambdas/core/webhooks/webhooks';
import type {
  SecretBox,
  Webhook,
  WebhookDelivery,
  WebhookRequest,
  WebhookResponse,
  WebhookStore,
  WebhookTransport,
} from '../../lambdas/ports/webhooks';
import { send } from '../../lambdas/use-cases/delivery';
import { createDraft, outgoingCommand, recordContent } from '../../lambdas/use-cases/drafts';
import { register } from '../../lambdas/use-cases/incoming';
import { issue as makeIssue, requestIssue } from '../../lambdas/use-cases/issuing';
import { sign as makeSignature, requestSignature } from '../../lambdas/use-cases/signing';
import {
  deleteWebhook,
  fanOutEvent,
  listDeliveries,
  listWebhooks,
  registerWebhook,
  replayDelivery,
  rotateWebhookSecret,
  sendDueDeliveries,
  updateWebhook,
  type WebhookAdminPorts,
} from '../../lambdas/use-cases/webhooks';
import { authorizeAll } from '../support/authorize';
import { memoryPorts } from '../support/memory-ports';
import { directory, later, NOW, people } from '../unit/domain-fixtures';

const callerOf = (actor: Actor): Caller => ({ actor, directory });
const cityAdmin = callerOf(people.admin);
const wardAdmin = callerOf({
  id: 'u-ward-admin',
  name: 'Quản Trị Phường',
  position: { orgId: 'phuong-ba-dinh', role: 'admin', title: 'Quản trị' },
});
const cityClerk = callerOf(people.cityClerk);

class MemoryWebhookStore implements WebhookStore {
  readonly hooks = new Map<string, Webhook>();
  readonly deliveries = new Map<string, WebhookDelivery>();
  async listWebhooks(orgId: string) {
    return [...this.hooks.values()].filter((w) => w.orgId === orgId);
  }
  async getWebhook(orgId: string, id: string) {
    const w = this.hooks.get(id);
    return w?.orgId === orgId ? w : undefined;
  }
  async putWebhook(w: Webhook) {
    this.hooks.set(w.id, w);
  }
  async deleteWebhook(_orgId: string, id: string) {
    this.hooks.delete(id);
  }
  async addDelivery(d: WebhookDelivery) {
    const key = `${d.webhookId}/${d.id}`;
    if (this.deliveries.has(key)) return false;
    this.deliveries.set(key, d);
    return true;
  }
  async getDelivery(webhookId: string, id: string) {
    return this.deliveries.get(`${webhookId}/${id}`);
  }
  async listDeliveries(webhookId: string, limit: number) {
    return [...this.deliveries.values()]
      .filter((d) => d.webhookId === webhookId)
      .sort((a, b) => b.id.localeCompare(a.id))
      .slice(0, limit);
  }
  async saveDelivery(d: WebhookDelivery) {
    this.deliveries.set(`${d.webhookId}/${d.id}`, d);
  }
  // As the DynamoDB store's conditional writes: one claim per attempt, taken over only once lapsed.
  async claimDelivery(d: WebhookDelivery, claim: { id: string; until: string }, now: string) {
    const key = `${d.webhookId}/${d.id}`;
    const stored = this.deliveries.get(key);
    if (stored?.status !== 'pending' || stored.attempts !== d.attempts) return undefined;
    if (stored.claimedUntil !== undefined && stored.claimedUntil >= now) return undefined;
    const claimed = { ...stored, claimId: claim.id, claimedUntil: claim.until };
    this.deliveries.set(key, claimed);
    return claimed;
  }
  async settleDelivery(d: WebhookDelivery, claimId: string) {
    const key = `${d.webhookId}/${d.id}`;
    if (this.deliveries.get(key)?.claimId !== claimId) return false;
    const { claimId: _claim, claimedUntil: _until, ...settled } = d;
    this.deliveries.set(key, settled);
    return true;
  }
  async dueDeliveries(at: string, limit: number) {
    return [...this.deliveries.values()]
      .filter((d) => d.status === 'pending' && d.nextAttemptAt !== undefined && d.nextAttemptAt <= at)
      .sort((a, b) => (a.nextAttemptAt ?? '').localeCompare(b.nextAttemptAt ?? ''))
      .slice(0, limit);
  }
}

/** Sealing that a test can tell from the clear text, and that needs the same context to open. */
const box: SecretBox = {
  async seal(secret, context) {
    return Buffer.from(JSON.stringify({ secret, context })).toString('base64');
  },
  async open(sealed, context) {
    const parsed = JSON.parse(Buffer.from(sealed, 'base64').toString()) as {
      secret: string;
      context: unknown;
    };
    if (JSON.stringify(parsed.context) !== JSON.stringify(context)) throw new Error('wrong context');
    return parsed.secret;
  },
};

class Receiver implements WebhookTransport {
  readonly got: WebhookRequest[] = [];
  answer: WebhookResponse = { ok: true, status: 204 };
  async post(request: WebhookRequest) {
    this.got.push(request);
    return this.answer;
  }
}

async function setup() {
  const ports = await memoryPorts(directory, Object.values(people), NOW);
  const store = new MemoryWebhookStore();
  let now = NOW;
  const admin: WebhookAdminPorts = {
    webhooks: store,
    secrets: box,
    endpoints: { allowLoopback: false },
    now: () => now,
  };
  const receiver = new Receiver();
  const sender = { webhooks: store, secrets: box, transport: receiver, now: () => now };
  const fanOut = { webhooks: store, documents: ports.documents, now: () => now };
  return {
    ports,
    store,
    admin,
    receiver,
    sender,
    fanOut,
    setNow: (d: Date) => {
      now = d;
    },
  };
}

/** A city document issued and sent to Ba Đình ward, registered there; every log event fanned out. */
async function circulate(s: Awaited<ReturnType<typeof setup>>) {
  const specialist = callerOf(people.citySpecialist);
  const chairman = callerOf(people.chairman);
  const { id } = await createDraft(s.ports, specialist, {
    typeId: 'cong-van',
    subject: 'Về việc phòng chống lụt bão (mật)',
    urgency: 'urgent',
    recipients: [],
    draftingUnitCode: 'KGVX',
  });
  s.ports.files.uploads.set(`uploads/${id}/draft.pdf`, new TextEncoder().encode('%PDF-1.7 NỘI DUNG'));
  await recordContent(s.ports, specialist, id);
  await outgoingCommand(s.ports, specialist, id, { type: 'submit' });
  await outgoingCommand(s.ports, chairman, id, { type: 'approve' });
  const prepared = await requestSignature(s.ports, chairman, id, {});
  await authorizeAll(s.ports, chairman, [prepared.requestId]);
  await makeSignature(s.ports, chairman, id, prepared.requestId);
  const issue = await requestIssue(s.ports, cityClerk, id);
  await authorizeAll(s.ports, cityClerk, [issue.requestId]);
  await makeIssue(s.ports, cityClerk, id, issue.requestId);
  await send(s.ports, cityClerk, id, [{ to: 'phuong-ba-dinh', purpose: 'action' }]);
  await register(s.ports, callerOf(people.wardClerk), id, undefined);
  let made = 0;
  for (const event of await s.ports.documents.readLog(id)) made += await fanOutEvent(s.fanOut, event);
  return { id, made };
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: DomainError) => ({ status: e.status, code: e.code }),
  );

describe('webhook subscriptions', () => {
  it("are managed by the organisation's administrators only, within their organisation", async () => {
    const s = await setup();
    const { webhook, secret } = await registerWebhook(s.admin, cityAdmin, {
      url: 'https://portal.hanoi.gov.vn/hooks',
      events: ['document.issued', 'document.sent'],
    });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(s.store.hooks.get(webhook.id))).not.toContain(secret);
    expect(JSON.stringify(await listWebhooks(s.admin, cityAdmin))).not.toContain(secret);
    expect(await refusal(listWebhooks(s.admin, cityClerk))).toEqual({
      status: 403,
      code: 'webhook_admins_only',
    });
    expect(
      await refusal(
        registerWebhook(s.admin, cityClerk, { url: 'https://x.example/', events: ['document.sent'] }),
      ),
    ).toEqual({ status: 403, code: 'webhook_admins_only' });
    // Another organisation's administrator does not find it; a clerk of the organisation may not change it.
    expect(await refusal(deleteWebhook(s.admin, wardAdmin, webhook.id))).toEqual({
      status: 404,
      code: 'webhook_not_found',
    });
    expect(await refusal(updateWebhook(s.admin, cityClerk, webhook.id, { enabled: false }))).toEqual({
      status: 403,
      code: 'webhook_admins_only',
    });
    expect(await refusal(listDeliveries(s.admin, cityAdmin, 'nope', 10))).toEqual({
      status: 404,
      code: 'webhook_not_found',
    });
    expect(
      await refusal(
        registerWebhook(s.admin, cityAdmin, { url: 'https://169.254.169.254/', events: ['document.sent'] }),
      ),
    ).toEqual({ status: 422, code: 'webhook_private_address' });
    expect(
      await refusal(
        registerWebhook(s.admin, cityAdmin, { url: 'http://portal.example/', events: ['document.sent'] }),
      ),
    ).toEqual({ status: 422, code: 'webhook_https_required' });
    expect((await updateWebhook(s.admin, cityAdmin, webhook.id, { enabled: false })).enabled).toBe(false);
    await deleteWebhook(s.admin, cityAdmin, webhook.id);
    expect((await listWebhooks(s.admin, cityAdmin)).items).toEqual([]);
  });
});

describe('webhook deliveries', () => {
  it("carry only the subscribing organisation's events, with ids and register metadata, never the subject", async () => {
    const s = await setup();
    const city = await registerWebhook(s.admin, cityAdmin, {
      url: 'https://city.example/hook',
      events: ['document.issued', 'document.sent', 'document.registered'],
    });
    const ward = await registerWebhook(s.admin, wardAdmin, {
      url: 'https://ward.example/hook',
      events: ['document.received', 'document.registered', 'document.issued'],
    });
    const { id, made } = await circulate(s);
    expect(made).toBe(4);
    const typesOf = (webhookId: string) =>
      [...s.store.deliveries.values()]
        .filter((d) => d.webhookId === webhookId)
        .map((d) => d.eventType)
        .sort();
    // The ward sees its arrival and registration, not the city's issuing; the city not the ward's registration.
    expect(typesOf(city.webhook.id)).toEqual(['document.issued', 'document.sent']);
    expect(typesOf(ward.webhook.id)).toEqual(['document.received', 'document.registered']);
    for (const d of s.store.deliveries.values()) {
      const payload = WebhookPayloadSchema.parse(JSON.parse(d.payload));
      expect(payload.document.id).toBe(id);
      expect(d.payload).not.toMatch(/lụt bão|NỘI DUNG|sha256|Trần Sỹ/i);
    }
    const registered = [...s.store.deliveries.values()].find((d) => d.eventType === 'document.registered');
    expect(JSON.parse(registered?.payload ?? '{}')).toMatchObject({
      type: 'document.registered',
      organisationId: 'phuong-ba-dinh',
      document: {
        id,
        symbol: '01/UBND-KGVX',
        senderOrgId: 'ubnd-hanoi',
        arrivalNumber: 1,
        typeId: 'cong-van',
      },
    });
    // The stream may give an event again: nothing is added twice.
    let again = 0;
    for (const event of await s.ports.documents.readLog(id)) again += await fanOutEvent(s.fanOut, event);
    expect(again).toBe(0);
  });

  it('are signed with the secrets in force: both during a rotation, the new one only after it', async () => {
    const s = await setup();
    const { webhook, secret: first } = await registerWebhook(s.admin, cityAdmin, {
      url: 'https://city.example/hook',
      events: ['document.issued'],
    });
    await circulate(s);
    expect(await sendDueDeliveries(s.sender, NOW)).toEqual({ due: 1, delivered: 1, retrying: 0, dead: 0 });
    const [got] = s.receiver.got;
    expect(got?.headers['docflow-event']).toBe('document.issued');
    const t = Math.floor(NOW.getTime() / 1000);
    expect(
      verifyWebhookSignature(got?.body ?? '', got?.headers['docflow-signature'], first, { now: t }).valid,
    ).toBe(true);
    const rotated = await rotateWebhookSecret(s.admin, cityAdmin, webhook.id, 2);
    expect(rotated.secret).not.toBe(first);
    expect(rotated.webhook.secrets).toHaveLength(2);
    const [delivery] = (await listDeliveries(s.admin, cityAdmin, webhook.id, 10)).items;
    await replayDelivery(s.admin, cityAdmin, webhook.id, delivery?.id ?? '');
    await sendDueDeliveries(s.sender, NOW);
    const during = s.receiver.got[1];
    expect(during?.headers['docflow-delivery']).toBe(got?.headers['docflow-delivery']);
    for (const secret of [first, rotated.secret])
      expect(
        verifyWebhookSignature(during?.body ?? '', during?.headers['docflow-signature'], secret, { now: t })
          .valid,
      ).toBe(true);
    // After the overlap the old secret signs no more.
    const after = later(3 * 60);
    s.setNow(after);
    await replayDelivery(s.admin, cityAdmin, webhook.id, delivery?.id ?? '');
    await sendDueDeliveries(s.sender, after);
    const last = s.receiver.got[2];
    const t2 = Math.floor(after.getTime() / 1000);
    expect(
      verifyWebhookSignature(last?.body ?? '', last?.headers['docflow-signature'], rotated.secret, {
        now: t2,
      }).valid,
    ).toBe(true);
    expect(
      verifyWebhookSignature(last?.body ?? '', last?.headers['docflow-signature'], first, { now: t2 }).valid,
    ).toBe(false);
    expect((await listWebhooks(s.admin, cityAdmin)).items[0]?.secrets).toHaveLength(1);
  });

  it('are sent once when two runs meet (the minute schedule and a clock advance), and taken over after a crash', async () => {
    const s = await setup();
    await registerWebhook(s.admin, cityAdmin, {
      url: 'https://city.example/hook',
      events: ['document.issued'],
    });
    await circulate(s);
    // Both runs find the delivery due; only the one that claims it first sends it.
    const runs = await Promise.all([
      sendDueDeliveries(s.sender, NOW),
      sendDueDeliveries(s.sender, later(10)),
    ]);
    expect(runs.map((r) => r.due)).toEqual([1, 1]);
    expect(runs.map((r) => r.delivered).sort()).toEqual([0, 1]);
    expect(s.receiver.got).toHaveLength(1);
    expect([...s.store.deliveries.values()][0]).toMatchObject({ status: 'delivered', attempts: 1 });
    expect([...s.store.deliveries.values()][0]?.claimId).toBeUndefined();

    // A sender that claimed a delivery and died: nobody sends it while its claim holds, then another does.
    s.receiver.got.length = 0;
    const [delivered] = [...s.store.deliveries.values()];
    if (!delivered) throw new Error('no delivery');
    const pending: WebhookDelivery = {
      ...delivered,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: NOW.toISOString(),
    };
    await s.store.saveDelivery(pending);
    const until = new Date(NOW.getTime() + 5 * 60_000).toISOString();
    expect(await s.store.claimDelivery(pending, { id: 'died', until }, NOW.toISOString())).toBeDefined();
    expect(await sendDueDeliveries(s.sender, NOW)).toMatchObject({ due: 1, delivered: 0 });
    expect(s.receiver.got).toHaveLength(0);
    s.setNow(later(6));
    expect(await sendDueDeliveries(s.sender, later(6))).toMatchObject({ due: 1, delivered: 1 });
    expect(s.receiver.got).toHaveLength(1);
    // The dead sender's late save changes nothing.
    expect(await s.store.settleDelivery({ ...pending, status: 'dead' }, 'died')).toBe(false);
    expect([...s.store.deliveries.values()][0]?.status).toBe('delivered');
  });

  it('back off exponentially, go dead after the last try, and come back on replay', async () => {
    const s = await setup();
    const { webhook } = await registerWebhook(s.admin, cityAdmin, {
      url: 'https://city.example/hook',
      events: ['document.sent'],
    });
    await circulate(s);
    s.receiver.answer = { ok: false, status: 503, error: 'HTTP 503' };
    let at = NOW;
    const gaps: number[] = [];
    for (let i = 1; i <= MAX_ATTEMPTS; i++) {
      const result = await sendDueDeliveries(s.sender, at);
      expect(result.due, `try ${i}`).toBe(1);
      // Not due again before its backoff.
      const [d] = [...s.store.deliveries.values()];
      if (d?.status === 'pending') {
        const next = new Date(d.nextAttemptAt ?? '');
        gaps.push((next.getTime() - at.getTime()) / 60_000);
        expect((await sendDueDeliveries(s.sender, new Date(next.getTime() - 1000))).due).toBe(0);
        at = next;
      }
    }
    expect(gaps).toEqual([1, 4, 16, 64, 256]);
    const [dead] = (await listDeliveries(s.admin, cityAdmin, webhook.id, 10)).items;
    expect(dead).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS, lastStatusCode: 503 });
    expect((await sendDueDeliveries(s.sender, later(10_000))).due).toBe(0);
    s.receiver.answer = { ok: true, status: 200 };
    expect(await replayDelivery(s.admin, cityAdmin, webhook.id, dead?.id ?? '')).toMatchObject({
      status: 'pending',
      attempts: 0,
    });
    expect(await sendDueDeliveries(s.sender, later(10_000))).toMatchObject({ delivered: 1 });
    expect(await refusal(replayDelivery(s.admin, cityAdmin, webhook.id, 'unknown'))).toEqual({
      status: 404,
      code: 'webhook_delivery_not_found',
    });
    expect(s.receiver.got.map((r) => r.headers['docflow-delivery'])).toEqual(
      Array(MAX_ATTEMPTS + 1).fill(dead?.id),
    );
  });
});

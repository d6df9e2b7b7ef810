import { randomUUID } from 'node:crypto';
import { api, login } from '../support/api';
import type { View } from '../support/flow';
import type { MatrixRoute, Persona } from './matrix';
import { SENDER, SINK, type Subject, type Team, type World } from './world';

/*
 * The request each cell of the matrix sends: the body a client of that role would send for that step, so
 * that what the answer reflects is who asks and in which state, not a malformed request.
 */

export interface CellRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
}

export interface CellContext {
  readonly world: World;
  /** The document in the row's state (document routes), or undefined. */
  readonly subject?: Subject;
  /** The team "own" columns belong to: the subject's, or the sender's for routes about no document. */
  readonly own: Team;
  readonly persona: Persona;
  /** The person asking, undefined when anonymous. */
  readonly user?: string;
}

const DEADLINE = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

/** The own team's person with the asking column's role: for "own" columns the caller themselves. */
function ownCounterpart(context: CellContext): string {
  const role = context.persona.split(':')[1] as keyof Team | undefined;
  const id = role && role !== 'orgId' ? context.world.sender[role] : undefined;
  return id ?? context.world.sender.leader;
}

/** A fresh specialist of the sender, saved straight into the directory. */
async function sparePerson(): Promise<string> {
  const spare = `m-skhcn-spare-${randomUUID().slice(0, 8)}`;
  const { loadDirectory, savePeople } = await import('../../lambdas/adapters/directory-store');
  const { personFromEntry } = await import('../../lambdas/core/domain/directory');
  await savePeople([
    personFromEntry(await loadDirectory(), {
      id: spare,
      name: `Ma Trận ${spare}`,
      orgId: SENDER,
      role: 'specialist',
    }),
  ]);
  return spare;
}

/** A pending request, by the sender's administrator, to make a fresh spare person of the sender an auditor. */
async function pendingRequest(world: World): Promise<string> {
  const spare = `m-skhcn-spare-${randomUUID().slice(0, 8)}`;
  const { loadDirectory, savePeople } = await import('../../lambdas/adapters/directory-store');
  const { personFromEntry } = await import('../../lambdas/core/domain/directory');
  await savePeople([
    personFromEntry(await loadDirectory(), {
      id: spare,
      name: `Ma Trận ${spare}`,
      orgId: SENDER,
      role: 'specialist',
    }),
  ]);
  const asked = await api<View>('PUT', `/api/people/${spare}/position`, {
    token: await login(world.sender.admin),
    body: { orgId: SENDER, role: 'auditor', title: 'Kiểm soát viên' },
  });
  if (asked.status !== 202)
    throw new Error(`position request: ${asked.status} ${JSON.stringify(asked.body)}`);
  return asked.body.request.id as string;
}

/** A TL. delegation of the sender to the other organisation's head, in force only in 2099. */
const futureDelegation = (world: World) => ({
  kind: 'TL',
  orgId: SENDER,
  delegateId: world.other.leader,
  basis: REASON,
  validFrom: '2099-01-01T00:00:00.000Z',
  validUntil: '2099-01-02T00:00:00.000Z',
});

/** A delegation recorded by the sender's head, for a cell to revoke. */
async function recordedDelegation(world: World): Promise<string> {
  const made = await api<View>('POST', '/api/delegations', {
    token: await login(world.sender.leader),
    body: futureDelegation(world),
  });
  if (made.status !== 201) throw new Error(`delegation: ${made.status} ${JSON.stringify(made.body)}`);
  return made.body.id as string;
}

/** A webhook of the sender, registered by its administrator (to a closed local port: deliveries fail fast). */
async function senderWebhook(world: World): Promise<string> {
  const made = await api<View>('POST', '/api/webhooks', {
    token: await login(world.sender.admin),
    body: { url: 'http://127.0.0.1:9/docflow-matrix', events: ['document.completed'] },
  });
  if (made.status !== 201) throw new Error(`webhook: ${made.status} ${JSON.stringify(made.body)}`);
  return made.body.webhook.id as string;
}
let sharedWebhook: Promise<string> | undefined;
/** One webhook for the cells that leave it in place (a fresh one for each deletion). */
const webhookOf = (world: World) => {
  sharedWebhook ??= senderWebhook(world);
  return sharedWebhook;
};

let treeSize: number | undefined;

type Builder = (context: CellContext) => CellRequest | Promise<CellRequest>;

const onDocument =
  (
    method: string,
    step: string,
    body: (context: CellContext & { subject: Subject }) => unknown = () =>
      method === 'GET' ? undefined : {},
  ) =>
  (context: CellContext): CellRequest => {
    const { subject } = context;
    if (!subject) throw new Error(`${step} needs a document`);
    return { method, path: `/api/documents/${subject.id}${step}`, body: body({ ...context, subject }) };
  };

const REASON = 'Ma trận quyền: kiểm tra';

export const REQUESTS: Readonly<Record<MatrixRoute, Builder>> = {
  'GET /api/health': () => ({ method: 'GET', path: '/api/health' }),
  'GET /api/openapi.json': () => ({ method: 'GET', path: '/api/openapi.json' }),
  'GET /api/me': () => ({ method: 'GET', path: '/api/me' }),
  'GET /api/orgs': () => ({ method: 'GET', path: '/api/orgs?kind=department' }),
  'POST /api/documents': () => ({
    method: 'POST',
    path: '/api/documents',
    body: { title: 'Ma trận quyền: dự thảo mới', docType: 'cong-van' },
  }),
  'GET /api/documents/{id}': onDocument('GET', ''),
  'GET /api/documents/{id}/file': (c) => {
    const { path } = onDocument('GET', '/file')(c);
    return { method: 'GET', path: `${path}?redirect=false` };
  },
  'POST /api/documents/{id}/content': onDocument('POST', '/content'),
  'POST /api/documents/{id}/attachments/uploads': onDocument('POST', '/attachments/uploads', () => ({
    fileName: 'phu-luc.pdf',
    mediaType: 'application/pdf',
  })),
  'POST /api/documents/{id}/attachments': onDocument('POST', '/attachments', () => ({
    uploadId: randomUUID(),
    title: 'Phụ lục: ma trận quyền',
    fileName: 'phu-luc.pdf',
    mediaType: 'application/pdf',
  })),
  // a20: an attachment no document of the matrix has.
  'DELETE /api/documents/{id}/attachments/{attachmentId}': onDocument(
    'DELETE',
    '/attachments/a20',
    () => undefined,
  ),
  'GET /api/documents/{id}/attachments/{attachmentId}/file': (c) => {
    const { path } = onDocument('GET', '/attachments/a20/file')(c);
    return { method: 'GET', path: `${path}?redirect=false` };
  },
  'POST /api/documents/{id}/submit': onDocument('POST', '/submit'),
  'POST /api/documents/{id}/approve': onDocument('POST', '/approve'),
  'POST /api/documents/{id}/signature-requests': onDocument('POST', '/signature-requests'),
  // The document's own placement (as its sender's leader reads it): a valid body, whoever sends it.
  'PUT /api/documents/{id}/placement': async (c) => {
    const { path } = onDocument('PUT', '/placement')(c);
    const read = await api<View>('GET', path.replace(/\/placement$/, ''), {
      token: await login(c.world.sender.leader),
    });
    const placement = (read.body as { document?: { placement?: unknown } }).document?.placement ?? {
      signature: { page: 0, x: 320, y: 140, width: 230, height: 140 },
      seal: { page: 0, x: 325, y: 159, width: 102, height: 102 },
      number: { page: 0, x: 40, y: 700, width: 230, height: 16 },
      date: { page: 0, x: 300, y: 700, width: 260, height: 16 },
    };
    return { method: 'PUT', path, body: placement };
  },
  'POST /api/documents/{id}/sign': onDocument('POST', '/sign', ({ subject }) => ({
    requestId: subject.requestId ?? randomUUID(),
  })),
  'POST /api/documents/{id}/issue-requests': onDocument('POST', '/issue-requests'),
  'POST /api/documents/{id}/issue': onDocument('POST', '/issue', ({ subject }) => ({
    requestId: subject.requestId ?? randomUUID(),
  })),
  'POST /api/documents/{id}/send': onDocument('POST', '/send', () => ({ recipients: [SINK] })),
  'POST /api/documents/{id}/archive': onDocument('POST', '/archive'),
  'POST /api/documents/{id}/recall': onDocument('POST', '/recall', () => ({ reason: REASON })),
  'POST /api/documents/{id}/return': onDocument('POST', '/return', () => ({ reason: REASON })),
  'POST /api/documents/{id}/register': onDocument('POST', '/register'),
  'POST /api/documents/{id}/assign': onDocument('POST', '/assign', ({ subject }) => ({
    lead: subject.own.specialist,
    deadline: DEADLINE,
    note: REASON,
  })),
  'POST /api/documents/{id}/reassign': onDocument('POST', '/reassign', ({ subject }) => ({
    handler: subject.own.specialist,
  })),
  'POST /api/documents/{id}/start': onDocument('POST', '/start'),
  'POST /api/documents/{id}/resolve': onDocument('POST', '/resolve'),
  'POST /api/documents/{id}/forward': onDocument('POST', '/forward', () => ({ to: SINK })),
  // A fresh SENT document (a consumed cell) goes to SINK alone, where it waits to be registered.
  'POST /api/documents/{id}/recipient-reminders': onDocument('POST', '/recipient-reminders', () => ({
    recipientOrgIds: [SINK],
  })),
  'GET /api/inbox': () => ({ method: 'GET', path: '/api/inbox?folder=incoming' }),
  'GET /api/registers/outgoing': () => ({ method: 'GET', path: `/api/registers/outgoing?orgId=${SENDER}` }),
  'GET /api/registers/incoming': () => ({ method: 'GET', path: `/api/registers/incoming?orgId=${SENDER}` }),
  'GET /api/registers/follow-up': () => ({ method: 'GET', path: `/api/registers/follow-up?orgId=${SENDER}` }),
  'GET /api/statistics': () => ({ method: 'GET', path: `/api/statistics?orgId=${SENDER}` }),
  'GET /api/pki/roots': () => ({ method: 'GET', path: '/api/pki/roots' }),
  'GET /api/pki/crl': () => ({ method: 'GET', path: '/api/pki/crl' }),
  'POST /api/pki/csr': () => ({
    method: 'POST',
    path: '/api/pki/csr',
    body: { holder: { kind: 'seal', orgId: SENDER } },
  }),
  'POST /api/pki/certificates': () => ({
    method: 'POST',
    path: '/api/pki/certificates',
    body: { holder: { kind: 'seal', orgId: SENDER }, certificate: 'not a certificate' },
  }),
  'GET /api/people': () => ({ method: 'GET', path: `/api/people?orgId=${SENDER}` }),
  // The spare person's own position again: allowed or refused, it changes nothing.
  'PUT /api/people/{id}/position': ({ world }) => ({
    method: 'PUT',
    path: `/api/people/${world.spare}/position`,
    body: { orgId: SENDER, role: 'specialist', title: 'Chuyên viên' },
  }),
  'GET /api/position-requests': () => ({ method: 'GET', path: '/api/position-requests' }),
  'POST /api/position-requests/{id}/approve': async ({ world }) => ({
    method: 'POST',
    path: `/api/position-requests/${await pendingRequest(world)}/approve`,
    body: {},
  }),
  'POST /api/position-requests/{id}/reject': async ({ world }) => ({
    method: 'POST',
    path: `/api/position-requests/${await pendingRequest(world)}/reject`,
    body: { reason: REASON },
  }),
  'GET /api/administration-log': () => ({ method: 'GET', path: '/api/administration-log' }),
  'GET /api/delegations': () => ({ method: 'GET', path: `/api/delegations?orgId=${SENDER}` }),
  // To the other organisation's head, and only from 2099 on: it never lets anyone sign or read meanwhile.
  'POST /api/delegations': ({ world }) => ({
    method: 'POST',
    path: '/api/delegations',
    body: futureDelegation(world),
  }),
  'POST /api/delegations/{id}/revoke': async ({ world }) => ({
    method: 'POST',
    path: `/api/delegations/${await recordedDelegation(world)}/revoke`,
    body: {},
  }),
  'GET /api/administration/people': () => ({
    method: 'GET',
    path: `/api/administration/people?orgId=${SENDER}`,
  }),
  // A fresh id per cell: an administrator who may add one adds exactly this person.
  'POST /api/people': () => ({
    method: 'POST',
    path: '/api/people',
    body: {
      id: `m-skhcn-added-${randomUUID().slice(0, 8)}`,
      name: 'Ma Trận Người Mới',
      position: { orgId: SENDER, role: 'specialist', title: 'Chuyên viên' },
    },
  }),
  // A fresh spare person per cell, handing nothing over to the sender's specialist.
  'POST /api/people/{id}/departure': async ({ world }) => ({
    method: 'POST',
    path: `/api/people/${await sparePerson()}/departure`,
    body: { successorId: world.sender.specialist },
  }),
  'GET /api/people/{id}/signature-image': (c) => ({
    method: 'GET',
    path: `/api/people/${ownCounterpart(c)}/signature-image`,
  }),
  'POST /api/people/{id}/signature-image/uploads': (c) => ({
    method: 'POST',
    path: `/api/people/${ownCounterpart(c)}/signature-image/uploads`,
    body: {},
  }),
  'POST /api/people/{id}/signature-image': (c) => ({
    method: 'POST',
    path: `/api/people/${ownCounterpart(c)}/signature-image`,
    body: { uploadId: randomUUID() },
  }),
  'DELETE /api/people/{id}/signature-image': (c) => ({
    method: 'DELETE',
    path: `/api/people/${ownCounterpart(c)}/signature-image`,
  }),
  'GET /api/signature-activation/.well-known/openid-configuration': () => ({
    method: 'GET',
    path: '/api/signature-activation/.well-known/openid-configuration',
  }),
  'GET /api/signature-activation/jwks.json': () => ({
    method: 'GET',
    path: '/api/signature-activation/jwks.json',
  }),
  'GET /api/me/authenticators': () => ({ method: 'GET', path: '/api/me/authenticators' }),
  'POST /api/me/passkeys/options': () => ({ method: 'POST', path: '/api/me/passkeys/options', body: {} }),
  'POST /api/me/passkeys': () => ({
    method: 'POST',
    path: '/api/me/passkeys',
    body: { challengeId: randomUUID(), response: {} },
  }),
  'DELETE /api/me/passkeys/{id}': () => ({ method: 'DELETE', path: `/api/me/passkeys/${randomUUID()}` }),
  'POST /api/me/totp': () => ({ method: 'POST', path: '/api/me/totp', body: {} }),
  'POST /api/me/totp/confirm': () => ({
    method: 'POST',
    path: '/api/me/totp/confirm',
    body: { code: '000000' },
  }),
  'DELETE /api/me/totp': () => ({ method: 'DELETE', path: '/api/me/totp' }),
  'POST /api/signature-authorizations/challenges': () => ({
    method: 'POST',
    path: '/api/signature-authorizations/challenges',
    body: { requestIds: [randomUUID()] },
  }),
  'POST /api/signature-authorizations': () => ({
    method: 'POST',
    path: '/api/signature-authorizations',
    body: { challengeId: randomUUID(), totp: '000000' },
  }),
  'GET /api/documents/{id}/verification': onDocument('GET', '/verification'),
  'GET /api/documents/{id}/evidence': onDocument('GET', '/evidence'),
  'POST /api/verify': () => ({ method: 'POST', path: '/api/verify', body: {} }),
  'POST /api/verify/{id}': () => ({ method: 'POST', path: `/api/verify/${randomUUID()}`, body: {} }),
  'POST /api/documents/{id}/external-sends': onDocument('POST', '/external-sends', () => ({
    recipients: [{ organId: '000.00.00.G22', organName: 'Bộ Nội vụ' }],
  })),
  'GET /api/documents/{id}/external-deliveries': onDocument('GET', '/external-deliveries'),
  'GET /api/documents/{id}/external-deliveries/history': onDocument('GET', '/external-deliveries/history'),
  'GET /api/exchange/received': () => ({ method: 'GET', path: '/api/exchange/received' }),
  'GET /api/exchange/agencies': () => ({ method: 'GET', path: '/api/exchange/agencies?query=b%E1%BB%99' }),
  'GET /api/exchange/received/{id}/history': () => ({
    method: 'GET',
    path: `/api/exchange/received/${Buffer.from(`${SENDER}#none`).toString('base64url')}/history`,
  }),
  'POST /api/exchange/received/{id}/steps': () => ({
    method: 'POST',
    path: `/api/exchange/received/${Buffer.from(`${SENDER}#none`).toString('base64url')}/steps`,
    body: { step: 'accept' },
  }),
  'GET /api/webhooks': () => ({ method: 'GET', path: '/api/webhooks' }),
  'POST /api/webhooks': () => ({
    method: 'POST',
    path: '/api/webhooks',
    body: { url: 'http://127.0.0.1:9/docflow-matrix', events: ['document.completed'] },
  }),
  'PUT /api/webhooks/{id}': async ({ world }) => ({
    method: 'PUT',
    path: `/api/webhooks/${await webhookOf(world)}`,
    body: { description: 'Ma trận quyền' },
  }),
  'DELETE /api/webhooks/{id}': async ({ world }) => ({
    method: 'DELETE',
    path: `/api/webhooks/${await senderWebhook(world)}`,
  }),
  'POST /api/webhooks/{id}/rotations': async ({ world }) => ({
    method: 'POST',
    path: `/api/webhooks/${await webhookOf(world)}/rotations`,
    body: { overlapHours: 1 },
  }),
  'GET /api/webhooks/{id}/deliveries': async ({ world }) => ({
    method: 'GET',
    path: `/api/webhooks/${await webhookOf(world)}/deliveries`,
  }),
  'POST /api/webhooks/{id}/deliveries/{deliveryId}/replay': async ({ world }) => ({
    method: 'POST',
    path: `/api/webhooks/${await webhookOf(world)}/deliveries/20260101T000000000Z-${'0'.repeat(20)}/replay`,
  }),
  'GET /api/notifications': () => ({ method: 'GET', path: '/api/notifications' }),
  'GET /api/overdue': () => ({ method: 'GET', path: '/api/overdue' }),
  'POST /api/notifications/read': () => ({ method: 'POST', path: '/api/notifications/read', body: {} }),
  'GET /api/notifications/preferences': () => ({ method: 'GET', path: '/api/notifications/preferences' }),
  'PUT /api/notifications/preferences': () => ({
    method: 'PUT',
    path: '/api/notifications/preferences',
    body: { language: 'vi', emailFor: ['urgent'] },
  }),
  'POST /api/public/checks': () => ({ method: 'POST', path: '/api/public/checks', body: {} }),
  'POST /api/public/checks/{id}': () => ({
    method: 'POST',
    path: `/api/public/checks/${randomUUID()}`,
    body: {},
  }),
  'GET /api/transparency/head': () => ({ method: 'GET', path: '/api/transparency/head' }),
  'GET /api/transparency/proof': ({ subject }) => {
    if (!subject) throw new Error('a proof needs a document');
    return { method: 'GET', path: `/api/transparency/proof?documentId=${subject.id}&seq=${subject.seq}` };
  },
  'GET /api/transparency/consistency': async ({ user }) => {
    if (treeSize === undefined) {
      const head = await api<View>('GET', '/api/transparency/head', {
        token: await login(user ?? 'city-clerk'),
      });
      treeSize = head.body.treeSize as number;
    }
    return { method: 'GET', path: `/api/transparency/consistency?from=${treeSize}` };
  },
  'GET /api/audit/documents': () => ({ method: 'GET', path: '/api/audit/documents' }),
};

/** Sends one cell's request as its persona; the status it got. */
export async function send(context: CellContext, build: Builder): Promise<{ status: number; body: unknown }> {
  const request = await build(context);
  const token = context.user ? await login(context.user) : undefined;
  const call = () =>
    api(request.method, request.path, {
      ...(token ? { token } : {}),
      ...(request.body !== undefined ? { body: request.body } : {}),
    });
  let response = await call();
  // Every persona calls from this one machine, and the open public routes bound each client
  // (test/integration/public-check.test.ts checks that bound): the eleventh persona in a row waits its turn,
  // as a real client told 429 would, so the cell reads who may call the route, not how fast.
  if (response.status === 429) {
    const seconds = Number(response.headers.get('retry-after') ?? 1);
    await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(seconds, 1), 5) * 1000));
    response = await call();
  }
  return { status: response.status, body: response.body };
}

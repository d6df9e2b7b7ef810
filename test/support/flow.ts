import { randomUUID } from 'node:crypto';
import { draftDecision } from '../fixtures/documents';
import { api, login, stack } from './api';
import { SoftwareAuthenticator } from './software-authenticator';
import { uploadTo } from './upload';

/**
 * The circulation steps through the HTTP API, as a client would take them, for tests that need a document
 * in some state. Each step asserts its own success, so a broken step fails where it breaks.
 */

// biome-ignore lint/suspicious/noExplicitAny: test helper reads loosely typed JSON views
export type View = Record<string, any>;

async function ok(
  method: string,
  path: string,
  userId: string,
  body?: unknown,
  headers?: Record<string, string>,
) {
  const response = await api<View>(method, path, { token: await login(userId), body, headers });
  if (response.status >= 300) {
    throw new Error(`${method} ${path} as ${userId}: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

export const post = (userId: string, path: string, body: unknown = {}, headers?: Record<string, string>) =>
  ok('POST', path, userId, body, headers);
export const get = (userId: string, path: string) => ok('GET', path, userId);

/*
 * Signatures need the signer's own authorization (docs/SECURITY.md). Each test user gets a passkey in
 * software, registered through the API on first use (per stack), as a person does from their profile page.
 */

const devices = new Map<string, Promise<SoftwareAuthenticator>>();

/** The user's passkey on this stack, registered on first use (once, however many ask at the same time). */
export function passkeyOf(userId: string): Promise<SoftwareAuthenticator> {
  const { url } = stack();
  const key = `${url} ${userId}`;
  const known = devices.get(key);
  if (known) return known;
  const registering = (async () => {
    const origin = url.replace('127.0.0.1', 'localhost');
    const device = new SoftwareAuthenticator({ origin, rpId: 'localhost' });
    const { challengeId, options } = await post(userId, '/api/me/passkeys/options');
    await post(userId, '/api/me/passkeys', {
      challengeId,
      response: device.register(options),
      label: 'test',
    });
    return device;
  })();
  devices.set(key, registering);
  registering.catch(() => devices.delete(key));
  return registering;
}

/*
 * One passkey answers one prompt at a time, and its signature counter only grows: two assertions from the
 * same device racing to the server would arrive out of order and the later counter would be refused as a
 * possible clone (WebAuthn §6.1.1). Tests that sign in parallel therefore queue each user's prompts.
 */
const prompts = new Map<string, Promise<unknown>>();

function oneAtATime<T>(userId: string, work: () => Promise<T>): Promise<T> {
  const key = `${stack().url} ${userId}`;
  const run = (prompts.get(key) ?? Promise.resolve()).then(work, work);
  prompts.set(
    key,
    run.catch(() => undefined),
  );
  return run;
}

/** The user authorizes these prepared signatures with their passkey: returns the authorization. */
export async function authorize(userId: string, requestIds: readonly string[]): Promise<View> {
  const device = await passkeyOf(userId);
  return oneAtATime(userId, async () => {
    const challenge = await post(userId, '/api/signature-authorizations/challenges', { requestIds });
    return post(userId, '/api/signature-authorizations', {
      challengeId: challenge.challengeId,
      passkey: device.assert(challenge.options.challenge),
    });
  });
}

/** The leader prepares, authorizes and makes their signature: the document as it is then. */
export async function signAs(
  userId: string,
  id: string,
  capacity: Record<string, unknown> = {},
  headers?: Record<string, string>,
): Promise<View> {
  const prepared = await post(userId, `/api/documents/${id}/signature-requests`, capacity);
  await authorize(userId, [prepared.requestId]);
  return post(userId, `/api/documents/${id}/sign`, { requestId: prepared.requestId }, headers);
}

/** The clerk prepares the issue, authorizes the seal and issues: the document as it is then. */
export async function issueAs(clerk: string, id: string, headers?: Record<string, string>): Promise<View> {
  const prepared = await post(clerk, `/api/documents/${id}/issue-requests`);
  await authorize(clerk, [prepared.requestId]);
  return post(clerk, `/api/documents/${id}/issue`, { requestId: prepared.requestId }, headers);
}

export interface DraftOptions {
  readonly drafter?: string;
  readonly title?: string;
  readonly docType?: string;
  readonly pages?: number;
  readonly pdf?: Uint8Array;
  readonly recipients?: readonly string[];
  readonly urgency?: 'normal' | 'urgent' | 'very-urgent' | 'flash' | 'flash-timed';
  /** An issued document of the drafter's organisation this draft replaces, or corrects. */
  readonly replaces?: string;
  readonly corrects?: string;
}

/** Creates a draft and uploads its PDF by the presigned URL, as the web inbox does. */
export async function draft(options: DraftOptions = {}): Promise<string> {
  const drafter = options.drafter ?? 'city-specialist';
  const created = await post(drafter, '/api/documents', {
    title: options.title ?? `Về việc thử nghiệm ${randomUUID().slice(0, 8)}`,
    docType: options.docType ?? 'quyet-dinh',
    ...(options.recipients ? { recipients: options.recipients } : {}),
    ...(options.urgency ? { urgency: options.urgency } : {}),
    ...(options.replaces ? { replaces: options.replaces } : {}),
    ...(options.corrects ? { corrects: options.corrects } : {}),
  });
  const pdf = options.pdf ?? (await draftDecision(options.pages ?? 1));
  const put = await uploadTo(created.upload, pdf);
  if (!put.ok) throw new Error(`upload: ${put.status} ${await put.text()}`);
  await post(drafter, `/api/documents/${created.id}/content`);
  return created.id as string;
}

export interface Signers {
  readonly drafter: string;
  readonly approver: string;
  readonly signer: string;
  readonly capacity?: { capacity: string; onBehalfOfCollective?: boolean };
}

export const CITY: Signers = {
  drafter: 'city-specialist',
  approver: 'city-chairman',
  signer: 'city-vice-chairman',
  capacity: { capacity: 'KT', onBehalfOfCollective: true },
};

/** Draft → submitted → approved (for `signer`): ready for the leader's signature. */
export async function toSign(signers: Signers = CITY, options: DraftOptions = {}): Promise<string> {
  const id = await draft({ ...options, drafter: signers.drafter });
  await post(signers.drafter, `/api/documents/${id}/submit`);
  await post(signers.approver, `/api/documents/${id}/approve`, { signerId: signers.signer });
  return id;
}

export async function signed(signers: Signers = CITY, options: DraftOptions = {}): Promise<string> {
  const id = await toSign(signers, options);
  await signAs(signers.signer, id, signers.capacity ?? {});
  return id;
}

/** Signed, issued and sent by the clerk of the signer's organisation. */
export async function sent(
  recipients: readonly string[],
  signers: Signers = CITY,
  clerk = 'city-clerk',
  options: DraftOptions = {},
): Promise<string> {
  const id = await signed(signers, options);
  await issueAs(clerk, id);
  await post(clerk, `/api/documents/${id}/send`, { recipients });
  return id;
}

export interface IssueAndSendOptions extends DraftOptions {
  /** Organisation ids or groups (`all-wards`); default: two departments and one ward. */
  readonly sendTo?: readonly string[];
  /** Clerks (user ids) of recipients who register the arrived document. */
  readonly registerBy?: readonly string[];
}

/** A city decision signed (KT.), issued, sent and, if asked, registered by recipients: returns its id. */
export async function issueAndSend(options: IssueAndSendOptions = {}): Promise<string> {
  const id = await sent(
    options.sendTo ?? ['so-noi-vu', 'so-tai-chinh', 'phuong-ba-dinh'],
    CITY,
    'city-clerk',
    options,
  );
  for (const clerk of options.registerBy ?? []) await post(clerk, `/api/documents/${id}/register`);
  return id;
}

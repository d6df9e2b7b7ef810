import { randomUUID } from 'node:crypto';
import { draftDecision } from '../fixtures/documents';
import { api, login } from './api';
import { issueAs, signAs } from './sole-control';

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

export interface DraftOptions {
  readonly drafter?: string;
  readonly title?: string;
  readonly docType?: string;
  readonly pages?: number;
  readonly pdf?: Uint8Array;
  readonly recipients?: readonly string[];
}

/** Creates a draft and uploads its PDF by the presigned URL, as the web inbox does. */
export async function draft(options: DraftOptions = {}): Promise<string> {
  const drafter = options.drafter ?? 'city-specialist';
  const created = await post(drafter, '/api/documents', {
    title: options.title ?? `Về việc thử nghiệm ${randomUUID().slice(0, 8)}`,
    docType: options.docType ?? 'quyet-dinh',
    ...(options.recipients ? { recipients: options.recipients } : {}),
  });
  const pdf = options.pdf ?? (await draftDecision(options.pages ?? 1));
  const put = await fetch(created.upload.url, { method: 'PUT', headers: created.upload.headers, body: pdf });
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

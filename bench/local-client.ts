import { randomUUID } from 'node:crypto';
import { draftDecision } from '../test/fixtures/documents';
import { SoftwareAuthenticator } from '../test/support/software-authenticator';
import { uploadTo } from '../test/support/upload';

/**
 * A client of the local stack's HTTP API for benchmarks: signs in demo users, takes the circulation's steps
 * as the web does, and authorizes signatures with a passkey in software (docs/SECURITY.md), registered
 * through the API as a person registers theirs from the profile page.
 */
export interface Client {
  readonly base: string;
  post(userId: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
  get(userId: string, path: string): Promise<Record<string, unknown>>;
}

export function client(base: string): Client {
  const tokens = new Map<string, string>();
  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  const token = async (userId: string) => {
    let t = tokens.get(userId);
    if (!t) {
      t = String((await call('POST', '/api/dev/login', undefined, { userId })).token);
      tokens.set(userId, t);
    }
    return t;
  };
  return {
    base,
    post: async (userId, path, body = {}) => call('POST', path, await token(userId), body),
    get: async (userId, path) => call('GET', path, await token(userId)),
  };
}

const devices = new Map<string, SoftwareAuthenticator>();

/**
 * The user's passkey on this stack, registered on first use; `device` names one of several, so that
 * concurrent clients acting as one person each answer with their own (a passkey's counter only goes up).
 */
async function passkeyOf(api: Client, userId: string, device = 'bench'): Promise<SoftwareAuthenticator> {
  const key = `${api.base} ${userId} ${device}`;
  const known = devices.get(key);
  if (known) return known;
  // WebAuthn binds a passkey to a host name: the local stack's relying party is localhost.
  const authenticator = new SoftwareAuthenticator({
    origin: api.base.replace('127.0.0.1', 'localhost'),
    rpId: 'localhost',
  });
  const { challengeId, options } = (await api.post(userId, '/api/me/passkeys/options')) as {
    challengeId: string;
    options: { challenge: string };
  };
  await api.post(userId, '/api/me/passkeys', {
    challengeId,
    response: authenticator.register(options),
    label: device,
  });
  devices.set(key, authenticator);
  return authenticator;
}

/** The holder authorizes these prepared signatures (one challenge, one passkey assertion). */
export async function authorize(
  api: Client,
  userId: string,
  requestIds: readonly string[],
  device?: string,
): Promise<void> {
  const authenticator = await passkeyOf(api, userId, device);
  const challenge = (await api.post(userId, '/api/signature-authorizations/challenges', { requestIds })) as {
    challengeId: string;
    options: { challenge: string };
  };
  await api.post(userId, '/api/signature-authorizations', {
    challengeId: challenge.challengeId,
    passkey: authenticator.assert(challenge.options.challenge),
  });
}

/** Drafted by the city's specialist and approved by the chairman, who will sign it (TM.). */
export async function approvedCityDocument(api: Client): Promise<string> {
  await passkeyOf(api, 'city-chairman');
  const created = await api.post('city-specialist', '/api/documents', {
    title: `Thông báo ${randomUUID().slice(0, 6)}`,
    docType: 'thong-bao',
  });
  const upload = created.upload as { url: string; fields: Record<string, string> };
  const put = await uploadTo(upload, await draftDecision(1));
  if (!put.ok) throw new Error(`upload: ${put.status}`);
  const id = String(created.id);
  await api.post('city-specialist', `/api/documents/${id}/content`);
  await api.post('city-specialist', `/api/documents/${id}/submit`);
  await api.post('city-chairman', `/api/documents/${id}/approve`);
  return id;
}

/** Prepared, authorized and made: the chairman's signature, then the clerk's seal and number. */
export async function issuedCityDocument(api: Client): Promise<string> {
  const id = await approvedCityDocument(api);
  const signature = await api.post('city-chairman', `/api/documents/${id}/signature-requests`, {
    capacity: 'TM',
  });
  await authorize(api, 'city-chairman', [String(signature.requestId)]);
  await api.post('city-chairman', `/api/documents/${id}/sign`, { requestId: signature.requestId });
  const seal = await api.post('city-clerk', `/api/documents/${id}/issue-requests`);
  await authorize(api, 'city-clerk', [String(seal.requestId)]);
  await api.post('city-clerk', `/api/documents/${id}/issue`, { requestId: seal.requestId });
  return id;
}

// Signing through the HTTP API as a leader or clerk does since signatures need their holder's own
// authorization (docs/SECURITY.md): prepare the signature, authorize it with a passkey (a software
// authenticator registered once per person and stack), then make it. The signer function signs with the
// holder's key through STS, as on AWS.
import { api, login, stack } from './api';
import type { View } from './flow';
import { SoftwareAuthenticator } from './software-authenticator';

const devices = new Map<string, SoftwareAuthenticator>();

async function call<T = View>(userId: string, method: string, path: string, body: unknown = {}): Promise<T> {
  const response = await api<T>(method, path, { token: await login(userId), body });
  if (response.status >= 300)
    throw new Error(`${method} ${path} as ${userId}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** The web's origin as a browser with a passkey sees it: localhost (an IP address cannot be a WebAuthn RP). */
export const webOrigin = () => stack().url.replace(/\/\/[^:/]+/, '//localhost');

/** The person's passkey on this stack, registered through the API on first use. */
export async function passkeyOf(userId: string): Promise<SoftwareAuthenticator> {
  const key = `${stack().url} ${userId}`;
  const known = devices.get(key);
  if (known) return known;
  const device = new SoftwareAuthenticator({ origin: webOrigin(), rpId: 'localhost' });
  const { challengeId, options } = await call<{ challengeId: string; options: { challenge: string } }>(
    userId,
    'POST',
    '/api/me/passkeys/options',
  );
  await call(userId, 'POST', '/api/me/passkeys', {
    challengeId,
    response: device.register({ challenge: options.challenge }),
    label: 'test device',
  });
  devices.set(key, device);
  return device;
}

/** The person authorizes these prepared signatures with their passkey: the authorization. */
export async function authorize(userId: string, requestIds: readonly string[]): Promise<View> {
  const device = await passkeyOf(userId);
  const challenge = await call<{ challengeId: string; options?: { challenge: string } }>(
    userId,
    'POST',
    '/api/signature-authorizations/challenges',
    { requestIds },
  );
  return call(userId, 'POST', '/api/signature-authorizations', {
    challengeId: challenge.challengeId,
    passkey: device.assert(String(challenge.options?.challenge)),
  });
}

/** A leader's signature: prepared (capacity etc. in `body`), authorized, made. The document's view. */
export async function signAs(userId: string, documentId: string, body: object = {}): Promise<View> {
  const prepared = await call(userId, 'POST', `/api/documents/${documentId}/signature-requests`, body);
  await authorize(userId, [prepared.requestId]);
  return call(userId, 'POST', `/api/documents/${documentId}/sign`, { requestId: prepared.requestId });
}

/** A clerk's issue (number, date, seal): prepared, authorized, made. The document's view. */
export async function issueAs(clerk: string, documentId: string): Promise<View> {
  const prepared = await call(clerk, 'POST', `/api/documents/${documentId}/issue-requests`);
  await authorize(clerk, [prepared.requestId]);
  return call(clerk, 'POST', `/api/documents/${documentId}/issue`, { requestId: prepared.requestId });
}

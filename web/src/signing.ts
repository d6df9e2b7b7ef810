import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import * as z from 'zod';
import { type DocumentView, documentContracts } from '../../lambdas/contracts/documents';
import { signatureContracts } from '../../lambdas/contracts/signatures';
import { ApiError, api, del, get, post } from './api';

/*
 * Sole control of signatures, as the page takes part in it (docs/SECURITY.md): a signature is prepared
 * (the server finds the digest the key will sign), authorized with the person's own passkey or
 * authenticator app over exactly that digest, and only then made. The page shows what is to be signed and
 * checks the revision's SHA-256 against the file it shows; the server decides everything else.
 */

const routes = {
  prepareSign: documentContracts['POST /api/documents/{id}/signature-requests'],
  prepareIssue: documentContracts['POST /api/documents/{id}/issue-requests'],
  made: documentContracts['POST /api/documents/{id}/sign'].response,
  file: documentContracts['GET /api/documents/{id}/file'].response,
  authenticators: signatureContracts['GET /api/me/authenticators'].response,
  passkeyOptions: signatureContracts['POST /api/me/passkeys/options'].response,
  passkeyAdd: signatureContracts['POST /api/me/passkeys'].response,
  passkeyRemove: signatureContracts['DELETE /api/me/passkeys/{id}'].response,
  totpStart: signatureContracts['POST /api/me/totp'].response,
  totpConfirm: signatureContracts['POST /api/me/totp/confirm'].response,
  totpRemove: signatureContracts['DELETE /api/me/totp'].response,
  challenge: signatureContracts['POST /api/signature-authorizations/challenges'].response,
  authorize: signatureContracts['POST /api/signature-authorizations'].response,
};

export type PreparedSignature = z.infer<typeof routes.prepareSign.response>;
export type SignatureRequestBody = z.infer<typeof routes.prepareSign.body>;
export type AuthorizationChallenge = z.infer<typeof routes.challenge>;
export type ChallengedSignature = AuthorizationChallenge['signatures'][number];
export type Authenticators = z.infer<typeof routes.authenticators>;
export type Authorization = z.infer<typeof routes.authorize>;
export type TotpEnrolment = z.infer<typeof routes.totpStart>;

/** One signature the person asked for: a leader's on a document, or a clerk's issue (number and seal). */
export interface SignatureJob {
  readonly documentId: string;
  readonly step: 'sign' | 'issue';
  /** The sign form's choice (capacity); nothing for an issue. */
  readonly body?: SignatureRequestBody;
  /** What the person knows the document by before it is prepared (its subject). */
  readonly title: string;
  /** The SHA-256 of the version the page shows, when it shows one (the document page). */
  readonly shownSha256?: string;
}

const documentPath = (id: string) => `/api/documents/${encodeURIComponent(id)}`;

export function prepare(
  job: SignatureJob,
  idempotencyKey: string,
  signal?: AbortSignal,
): Promise<PreparedSignature> {
  return job.step === 'sign'
    ? api('POST', `${documentPath(job.documentId)}/signature-requests`, routes.prepareSign.response, {
        body: job.body ?? {},
        idempotencyKey,
        signal,
      })
    : api('POST', `${documentPath(job.documentId)}/issue-requests`, routes.prepareIssue.response, {
        body: {},
        idempotencyKey,
        signal,
      });
}

export function authorizationChallenge(
  requestIds: readonly string[],
  idempotencyKey: string,
  signal?: AbortSignal,
): Promise<AuthorizationChallenge> {
  return api('POST', '/api/signature-authorizations/challenges', routes.challenge, {
    body: { requestIds },
    idempotencyKey,
    signal,
  });
}

export type AuthorizationAnswer =
  | { readonly challengeId: string; readonly passkey: AuthenticationResponseJSON }
  | { readonly challengeId: string; readonly totp: string };

export function authorize(answer: AuthorizationAnswer, idempotencyKey: string): Promise<Authorization> {
  return post('/api/signature-authorizations', answer, routes.authorize, idempotencyKey);
}

/** Makes the prepared and authorized signature: the document as it is then. */
export function makeSignature(prepared: PreparedSignature, idempotencyKey: string): Promise<DocumentView> {
  return post(
    `${documentPath(prepared.documentId)}/${prepared.step === 'issue' ? 'issue' : 'sign'}`,
    { requestId: prepared.requestId },
    routes.made,
    idempotencyKey,
  );
}

// --- The person's authenticators ---------------------------------------------------------------------------

export const listAuthenticators = (signal?: AbortSignal) =>
  get('/api/me/authenticators', routes.authenticators, signal);
export const passkeyOptions = (key: string) =>
  post('/api/me/passkeys/options', {}, routes.passkeyOptions, key);
export const addPasskey = (
  body: { challengeId: string; response: RegistrationResponseJSON; label?: string },
  key: string,
) => post('/api/me/passkeys', body, routes.passkeyAdd, key);
export const removePasskey = (credentialId: string) =>
  del(`/api/me/passkeys/${encodeURIComponent(credentialId)}`, routes.passkeyRemove);
export const startTotp = (key: string) => post('/api/me/totp', {}, routes.totpStart, key);
export const confirmTotp = (code: string, key: string) =>
  post('/api/me/totp/confirm', { code }, routes.totpConfirm, key);
export const removeTotp = () => del('/api/me/totp', routes.totpRemove);

export const hasFactor = (a: Authenticators) => a.passkeys.length > 0 || a.totp !== null;

/*
 * The server's WebAuthn options come as JSON objects (the contract does not spell out WebAuthn's types):
 * the parts the browser needs are checked here before the authenticator sees them.
 */
const RequestOptions = z.looseObject({ challenge: z.string().min(1) });
const CreationOptions = z.looseObject({
  challenge: z.string().min(1),
  rp: z.looseObject({ name: z.string() }),
  user: z.looseObject({ id: z.string(), name: z.string(), displayName: z.string() }),
  pubKeyCredParams: z.array(z.looseObject({ type: z.string(), alg: z.number() })),
});

export function requestOptions(options: unknown): PublicKeyCredentialRequestOptionsJSON {
  return RequestOptions.parse(options) as PublicKeyCredentialRequestOptionsJSON;
}

export function creationOptions(options: unknown): PublicKeyCredentialCreationOptionsJSON {
  return CreationOptions.parse(options) as unknown as PublicKeyCredentialCreationOptionsJSON;
}

// --- What the page checks itself -----------------------------------------------------------------------------

export function toHex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The SHA-256 of the document's current file, as the server gives it for viewing. */
export async function currentFileSha256(documentId: string, signal?: AbortSignal): Promise<string> {
  const { url } = await get(`${documentPath(documentId)}/file?redirect=false`, routes.file, signal);
  const response = await fetch(url, { signal });
  if (!response.ok) throw new ApiError(response.status, 'http', `HTTP ${response.status}`);
  return toHex(await crypto.subtle.digest('SHA-256', await response.arrayBuffer()));
}

/** `3f2a 9c01 77de 0b12 … 4c1e`: enough to compare by eye, the whole value in the page's data. */
export function shortSha256(hex: string): string {
  const head = hex.slice(0, 16).match(/.{1,4}/g) ?? [];
  return `${head.join(' ')} … ${hex.slice(-4)}`;
}

export type HashCheck =
  | { readonly kind: 'match' }
  /** The file the server serves is not the revision it prepared: never go on. */
  | { readonly kind: 'mismatch'; readonly fileSha256: string }
  /** The prepared revision is the current file, but not the one this page shows: the document changed. */
  | { readonly kind: 'stale' };

export function checkRevision(
  signature: { readonly revisionSha256: string },
  fileSha256: string,
  shownSha256: string | undefined,
): HashCheck {
  if (fileSha256.toLowerCase() !== signature.revisionSha256.toLowerCase())
    return { kind: 'mismatch', fileSha256 };
  if (shownSha256 !== undefined && shownSha256.toLowerCase() !== fileSha256.toLowerCase())
    return { kind: 'stale' };
  return { kind: 'match' };
}

/**
 * After a failure: `refused` when the server said no (nothing was done), `unknown` when it may have done it
 * (no answer, a 5xx, an answer the page cannot read): then only a retry of the same request may follow.
 */
export function outcomeOf(error: unknown): 'refused' | 'unknown' {
  if (error instanceof ApiError) return error.uncertain ? 'unknown' : 'refused';
  return 'unknown';
}

/** Runs `task` over `items`, at most `limit` at a time, in order of the results. */
export async function inBatches<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A 6-digit code as the server accepts it; spaces people type (or apps show) removed. */
export function totpCode(input: string): string | undefined {
  const code = input.replace(/\s+/g, '');
  return /^\d{6}$/.test(code) ? code : undefined;
}

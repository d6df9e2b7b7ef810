import { randomBytes, randomUUID } from 'node:crypto';
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { Secret, TOTP } from 'otpauth';
import type { Caller } from '../../core/domain/caller';
import { DomainError } from '../../core/errors';
import { authenticatorError, authenticatorText } from '../../core/i18n/authenticators';
import {
  ACTIVATION_SECONDS,
  type AuthorizationFactor,
  activationClaims,
  assertAuthorizable,
  challengeBytes,
  challengeStatement,
  holderTag,
  type SignatureRequest,
} from '../../core/signing/authorization';
import { logger } from '../../observability/logger';
import type { Authenticators, Challenges, Passkey } from '../../ports/authenticators';
import type { DirectoryRepository } from '../../ports/directory';
import type {
  ActivationIssuer,
  ActivationStore,
  AuthorizationRecords,
  SignatureRequests,
} from '../../ports/signature-authorization';

/*
 * The activation function (docs/SECURITY.md): the signer proves, with their own passkey (user verification
 * required) or their authenticator app, that they authorize these exact signatures; only then is
 * activation data issued, bound to the digests, for the signer function alone.
 */

export interface ActivationPorts {
  readonly directory: Pick<DirectoryRepository, 'findPerson'>;
  readonly authenticators: Authenticators;
  readonly challenges: Challenges;
  readonly requests: SignatureRequests;
  readonly records: AuthorizationRecords;
  readonly activations: ActivationStore;
  readonly issuer: ActivationIssuer;
  /** Where the web is served (WebAuthn checks the origin and the relying party id). */
  readonly webOrigins: readonly string[];
  readonly rpId: string;
  readonly now: () => Date;
}

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const CHALLENGE_MS = ACTIVATION_SECONDS * 1000;
const TOTP_PERIOD = 30;

function totpFor(secret: string, label: string): TOTP {
  return new TOTP({
    issuer: 'docflow',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD,
    secret: Secret.fromBase32(secret),
  });
}

// --- Authenticators: each person manages their own ---------------------------------------------------------

export async function listAuthenticators(ports: ActivationPorts, caller: Caller) {
  const [passkeys, totp] = await Promise.all([
    ports.authenticators.passkeys(caller.actor.id),
    ports.authenticators.totp(caller.actor.id),
  ]);
  return {
    passkeys: passkeys.map((p) => ({ credentialId: p.credentialId, label: p.label, createdAt: p.createdAt })),
    totp: totp?.confirmedAt ? { confirmedAt: totp.confirmedAt } : null,
  };
}

export async function passkeyRegistrationOptions(ports: ActivationPorts, caller: Caller) {
  const existing = await ports.authenticators.passkeys(caller.actor.id);
  const options = await generateRegistrationOptions({
    rpName: 'docflow',
    rpID: ports.rpId,
    userName: caller.actor.id,
    userDisplayName: caller.actor.name,
    userID: new TextEncoder().encode(caller.actor.id),
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credentialId })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
    supportedAlgorithmIDs: [-7, -257],
  });
  const id = randomUUID();
  await ports.challenges.save({
    id,
    personId: caller.actor.id,
    purpose: 'registration',
    challenge: options.challenge,
    expiresAt: new Date(ports.now().getTime() + CHALLENGE_MS).toISOString(),
  });
  return { challengeId: id, options };
}

async function takeChallenge(
  ports: ActivationPorts,
  caller: Caller,
  id: string,
  purpose: 'registration' | 'authorization',
) {
  const challenge = await ports.challenges.take(id);
  if (
    !challenge ||
    challenge.personId !== caller.actor.id ||
    challenge.purpose !== purpose ||
    new Date(challenge.expiresAt) <= ports.now()
  )
    throw authenticatorError('authorization_challenge_unknown', 409);
  return challenge;
}

export async function registerPasskey(
  ports: ActivationPorts,
  caller: Caller,
  input: { challengeId: string; response: RegistrationResponseJSON; label?: string },
) {
  const challenge = await takeChallenge(ports, caller, input.challengeId, 'registration');
  const result = await verifyRegistrationResponse({
    response: input.response,
    expectedChallenge: challenge.challenge,
    expectedOrigin: [...ports.webOrigins],
    expectedRPID: ports.rpId,
    requireUserVerification: true,
  }).catch((error: Error) => {
    throw authenticatorError('authorization_failed', 422, {
      reason: authenticatorText('reason_passkey_rejected', { detail: error.message }),
    });
  });
  if (!result.verified || !result.registrationInfo)
    throw authenticatorError('authorization_failed', 422, {
      reason: authenticatorText('reason_passkey_not_verified'),
    });
  const { credential } = result.registrationInfo;
  const passkey: Passkey = {
    credentialId: credential.id,
    publicKey: b64url(credential.publicKey),
    counter: credential.counter,
    transports: credential.transports,
    label: input.label?.trim() || 'Passkey',
    createdAt: ports.now().toISOString(),
  };
  await ports.authenticators.addPasskey(caller.actor.id, passkey);
  logger.info('passkey registered', { personId: caller.actor.id, credentialId: passkey.credentialId });
  return listAuthenticators(ports, caller);
}

export async function removePasskey(ports: ActivationPorts, caller: Caller, credentialId: string) {
  const passkeys = await ports.authenticators.passkeys(caller.actor.id);
  if (!passkeys.some((p) => p.credentialId === credentialId))
    throw new DomainError('not_found', 404, { what: authenticatorText('what_passkey') });
  await ports.authenticators.removePasskey(caller.actor.id, credentialId);
  logger.info('passkey removed', { personId: caller.actor.id, credentialId });
  return listAuthenticators(ports, caller);
}

/** Starts (or restarts) enrolling an authenticator app: the secret is shown once, as an otpauth:// URI. */
export async function startTotpEnrolment(ports: ActivationPorts, caller: Caller) {
  const current = await ports.authenticators.totp(caller.actor.id);
  if (current?.confirmedAt) throw authenticatorError('totp_already_enrolled', 409);
  const secret = new Secret({ size: 20 }).base32;
  await ports.authenticators.saveTotp(caller.actor.id, { secret, createdAt: ports.now().toISOString() });
  return { secret, uri: totpFor(secret, caller.actor.id).toString() };
}

function acceptTotp(secret: string, personId: string, code: string, now: Date): number {
  const totp = totpFor(secret, personId);
  const delta = totp.validate({ token: code, timestamp: now.getTime(), window: 1 });
  if (delta === null) throw authenticatorError('totp_code_invalid', 422);
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD) + delta;
}

export async function confirmTotp(ports: ActivationPorts, caller: Caller, code: string) {
  const enrolment = await ports.authenticators.totp(caller.actor.id);
  if (!enrolment || enrolment.confirmedAt) throw authenticatorError('authenticator_missing', 409);
  const step = acceptTotp(enrolment.secret, caller.actor.id, code, ports.now());
  if (!(await ports.authenticators.spendTotpStep(caller.actor.id, step)))
    throw authenticatorError('totp_code_invalid', 422);
  await ports.authenticators.saveTotp(caller.actor.id, {
    ...enrolment,
    confirmedAt: ports.now().toISOString(),
  });
  logger.info('authenticator app enrolled', { personId: caller.actor.id });
  return listAuthenticators(ports, caller);
}

export async function removeTotp(ports: ActivationPorts, caller: Caller) {
  await ports.authenticators.removeTotp(caller.actor.id);
  return listAuthenticators(ports, caller);
}

// --- Authorizing signatures -----------------------------------------------------------------------------

async function pendingRequests(ports: ActivationPorts, ids: readonly string[]): Promise<SignatureRequest[]> {
  const found = await Promise.all(ids.map((id) => ports.requests.get(id)));
  return found.filter((r): r is SignatureRequest => r !== undefined);
}

/**
 * The challenge for the caller's authenticator, over the prepared signatures they list: what they are
 * shown (title, number, the revision's SHA-256, capacity) and the passkeys that may answer.
 */
export async function authorizationChallenge(
  ports: ActivationPorts,
  caller: Caller,
  listedIds: readonly string[],
) {
  const now = ports.now();
  // Independent reads at once: each is a round trip, and this is on the path of every signature.
  const [listed, passkeys, totp] = await Promise.all([
    pendingRequests(ports, listedIds),
    ports.authenticators.passkeys(caller.actor.id),
    ports.authenticators.totp(caller.actor.id),
  ]);
  // An issue's attachments are sealed with its main file: one authorization, bound to all their digests.
  const attached = listed
    .filter((r) => r.personId === caller.actor.id)
    .flatMap((r) => (r.attachments ?? []).map((a) => a.requestId))
    .filter((id) => !listedIds.includes(id));
  const requestIds = [...listedIds, ...new Set(attached)];
  const requests = [...listed, ...(await pendingRequests(ports, [...new Set(attached)]))];
  assertAuthorizable(caller.actor, requests, requestIds, now);
  const ordered = requestIds.map((id) => requests.find((r) => r.id === id) as SignatureRequest);
  if (passkeys.length === 0 && !totp?.confirmedAt) throw authenticatorError('authenticator_missing', 409);
  const expiresAt = new Date(now.getTime() + CHALLENGE_MS);
  const statement = challengeStatement(caller.actor.id, ordered, b64url(randomBytes(16)), expiresAt);
  const challenge = b64url(challengeBytes(statement));
  const options = await generateAuthenticationOptions({
    rpID: ports.rpId,
    challenge: Uint8Array.from(challengeBytes(statement)),
    allowCredentials: passkeys.map((p) => ({
      id: p.credentialId,
      transports: p.transports as AuthenticatorTransportFuture[] | undefined,
    })),
    userVerification: 'required',
    timeout: CHALLENGE_MS,
  });
  const id = randomUUID();
  await ports.challenges.save({
    id,
    personId: caller.actor.id,
    purpose: 'authorization',
    challenge,
    requestIds: [...requestIds],
    statement,
    expiresAt: expiresAt.toISOString(),
  });
  return {
    challengeId: id,
    expiresAt: expiresAt.toISOString(),
    factors: { passkey: passkeys.length > 0, totp: Boolean(totp?.confirmedAt) },
    options: passkeys.length > 0 ? options : undefined,
    signatures: ordered.map((r) => ({
      requestId: r.id,
      documentId: r.documentId,
      step: r.step,
      revisionSha256: r.revisionSha256,
      digest: r.digest,
      ...r.display,
    })),
  };
}

type AuthenticatorTransportFuture = NonNullable<
  Parameters<typeof generateAuthenticationOptions>[0]['allowCredentials']
>[number]['transports'] extends (infer T)[] | undefined
  ? T
  : never;

export type AuthorizationAnswer =
  | { readonly challengeId: string; readonly passkey: AuthenticationResponseJSON }
  | { readonly challengeId: string; readonly totp: string };

/**
 * Checks the person's answer to the challenge and, if it holds, authorizes the signatures: the activation
 * data (signed by the activation key, ≤ 5 minutes) is stored for the signer function, and the requests are
 * marked as covered by this authorization.
 */
export async function authorize(ports: ActivationPorts, caller: Caller, answer: AuthorizationAnswer) {
  const challenge = await takeChallenge(ports, caller, answer.challengeId, 'authorization');
  const now = ports.now();
  const requestIds = challenge.requestIds ?? [];
  const [requests, passkeys] = await Promise.all([
    pendingRequests(ports, requestIds),
    'passkey' in answer ? ports.authenticators.passkeys(caller.actor.id) : [],
  ]);
  assertAuthorizable(caller.actor, requests, requestIds, now);
  const ordered = requestIds.map((id) => requests.find((r) => r.id === id) as SignatureRequest);
  const [first] = ordered;
  if (!first) throw authenticatorError('authorization_challenge_unknown', 409);
  let factor: AuthorizationFactor;
  let passkeyEvidence:
    | {
        credentialId: string;
        publicKey: string;
        clientDataJSON: string;
        authenticatorData: string;
        signature: string;
      }
    | undefined;
  let counterSaved: Promise<void> = Promise.resolve();
  if ('passkey' in answer) {
    const passkey = passkeys.find((p) => p.credentialId === answer.passkey.id);
    if (!passkey)
      throw authenticatorError('authorization_failed', 403, {
        reason: authenticatorText('reason_passkey_unknown'),
      });
    const result = await verifyAuthenticationResponse({
      response: answer.passkey,
      expectedChallenge: challenge.challenge,
      expectedOrigin: [...ports.webOrigins],
      expectedRPID: ports.rpId,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')),
        counter: passkey.counter,
      },
      requireUserVerification: true,
    }).catch((error: Error) => {
      throw authenticatorError('authorization_failed', 403, {
        reason: authenticatorText('reason_passkey_rejected', { detail: error.message }),
      });
    });
    if (!result.verified || !result.authenticationInfo.userVerified)
      throw authenticatorError('authorization_failed', 403, {
        reason: authenticatorText('reason_user_verification_missing'),
      });
    counterSaved = ports.authenticators.setCounter(
      caller.actor.id,
      passkey.credentialId,
      result.authenticationInfo.newCounter,
    );
    factor = 'passkey';
    passkeyEvidence = {
      credentialId: passkey.credentialId,
      publicKey: passkey.publicKey,
      clientDataJSON: answer.passkey.response.clientDataJSON,
      authenticatorData: answer.passkey.response.authenticatorData,
      signature: answer.passkey.response.signature,
    };
  } else {
    const enrolment = await ports.authenticators.totp(caller.actor.id);
    if (!enrolment?.confirmedAt) throw authenticatorError('authenticator_missing', 409);
    const step = acceptTotp(enrolment.secret, caller.actor.id, answer.totp, now);
    if (!(await ports.authenticators.spendTotpStep(caller.actor.id, step)))
      throw authenticatorError('totp_code_invalid', 422);
    factor = 'totp';
  }
  const authorizationId = randomUUID();
  const holder = holderTag(first.holder);
  const digests = ordered.map((r) => r.digest);
  const claims = activationClaims({
    issuer: ports.issuer.issuer,
    authorizationId,
    personId: caller.actor.id,
    holder,
    factor,
    digests,
    now,
  });
  // The record, the activation data and the counter are independent writes; the requests are marked as
  // covered only once all three hold, so a request never points to an authorization not yet stored.
  await Promise.all([
    counterSaved,
    ports.records.save({
      id: authorizationId,
      personId: caller.actor.id,
      holder,
      factor,
      at: now.toISOString(),
      digests,
      requestIds,
      statement: challenge.statement as never,
      passkey: passkeyEvidence,
    }),
    ports.issuer
      .sign(claims)
      .then((token) => ports.activations.save({ id: authorizationId, token, expiresAt: claims.exp })),
  ]);
  await ports.requests.authorize(requestIds, authorizationId);
  logger.info('signatures authorized', {
    personId: caller.actor.id,
    authorizationId,
    holder,
    factor,
    count: digests.length,
  });
  return { authorizationId, factor, expiresAt: new Date(claims.exp * 1000).toISOString(), requestIds };
}

// Authorizing signatures in use-case tests, as a signer with an authenticator app would: enrol once, then
// answer each challenge with the code of the moment (each code once: the clock moves on between them).
import { Secret, TOTP } from 'otpauth';
import type { Caller } from '../../lambdas/core/domain/caller';
import {
  authorizationChallenge,
  authorize,
  confirmTotp,
  startTotpEnrolment,
} from '../../lambdas/use-cases/authorization/activation';
import type { MemoryPorts } from './memory-ports';

type Ports = MemoryPorts & { advance(minutes: number): void };

export const totpCode = (secret: string, at: Date) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: at.getTime(),
  });

const secrets = new WeakMap<object, Map<string, string>>();

export async function enrol(ports: Ports, caller: Caller): Promise<string> {
  const known = secrets.get(ports) ?? new Map<string, string>();
  secrets.set(ports, known);
  const existing = known.get(caller.actor.id);
  if (existing) return existing;
  const { secret } = await startTotpEnrolment(ports.activation, caller);
  ports.advance(1);
  await confirmTotp(ports.activation, caller, totpCode(secret, ports.now()));
  known.set(caller.actor.id, secret);
  return secret;
}

/** The caller authorizes these prepared signatures with a fresh code from their app. */
export async function authorizeAll(ports: Ports, caller: Caller, requestIds: readonly string[]) {
  const secret = await enrol(ports, caller);
  const challenge = await authorizationChallenge(ports.activation, caller, requestIds);
  ports.advance(1);
  return authorize(ports.activation, caller, {
    challengeId: challenge.challengeId,
    totp: totpCode(secret, ports.now()),
  });
}

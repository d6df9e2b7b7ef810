// Sole control of signatures (docs/SECURITY.md), through the use cases with in-memory ports: only the
// person's own, fresh authorization of exact digests lets the signer use their key. The same rules are
// proven against the local stack's STS and KMS in test/integration/sole-control.test.ts.
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../lambdas/core/domain/actor';
import type { Caller } from '../../lambdas/core/domain/caller';
import { checkAuthorization } from '../../lambdas/core/signing/assertion';
import {
  authorizationChallenge,
  authorize,
  passkeyRegistrationOptions,
  registerPasskey,
} from '../../lambdas/use-cases/authorization/activation';
import { signDigest } from '../../lambdas/use-cases/authorization/signer';
import { createDraft, outgoingCommand, recordContent } from '../../lambdas/use-cases/drafts';
import { issue, requestIssue } from '../../lambdas/use-cases/issuing';
import { requestSignature, sign } from '../../lambdas/use-cases/signing';
import { authorizeAll, enrol, totpCode } from '../support/authorize';
import { memoryPorts } from '../support/memory-ports';
import { SoftwareAuthenticator } from '../support/software-authenticator';
import { directory, NOW, people } from '../unit/domain-fixtures';

const callerOf = (actor: Actor): Caller => ({ actor, directory });
const chairman = callerOf(people.chairman);
const vice = callerOf(people.viceChairman);
const specialist = callerOf(people.citySpecialist);
const clerk = callerOf(people.cityClerk);
const wardClerk = callerOf(people.wardClerk);

type Ports = Awaited<ReturnType<typeof setup>>;
const setup = () => memoryPorts(directory, Object.values(people), NOW);

async function approvedDraft(ports: Ports, subject = 'Về việc kiểm tra chữ ký số') {
  const { id } = await createDraft(ports, specialist, {
    typeId: 'cong-van',
    subject,
    urgency: 'normal',
    recipients: [],
    draftingUnitCode: 'KGVX',
  });
  ports.files.uploads.set(`uploads/${id}/draft.pdf`, new TextEncoder().encode(`%PDF-1.7 ${subject}`));
  await recordContent(ports, specialist, id);
  await outgoingCommand(ports, specialist, id, { type: 'submit' });
  await outgoingCommand(ports, chairman, id, { type: 'approve' });
  return id;
}

const digestBytes = (hex: string) => new Uint8Array(Buffer.from(hex, 'hex'));

describe('a signature', () => {
  it('is not made before the signer authorizes it: nothing reaches the key', async () => {
    const ports = await setup();
    const id = await approvedDraft(ports);
    const prepared = await requestSignature(ports, chairman, id, {});
    await expect(sign(ports, chairman, id, prepared.requestId)).rejects.toMatchObject({
      code: 'signature_request_not_authorized',
      status: 409,
    });
    expect(ports.signer.keys.signed).toEqual([]);
    expect((await ports.documents.read(id)).document?.state).toBe('SUBMITTED_TO_SIGNER');
  });

  it('records the authorization with the signature: who, the factor, the statement naming its digest', async () => {
    const ports = await setup();
    const id = await approvedDraft(ports);
    const prepared = await requestSignature(ports, chairman, id, {});
    await authorizeAll(ports, chairman, [prepared.requestId]);
    const view = await sign(ports, chairman, id, prepared.requestId);
    expect(view.state).toBe('SIGNED');
    const signed = (await ports.documents.readLog(id)).find((e) => e.type === 'signed');
    const authorization = signed?.type === 'signed' ? signed.payload.signature.authorization : undefined;
    expect(authorization).toMatchObject({ factor: 'totp', digest: prepared.digest, batchSize: 1 });
    expect(authorization?.statement).toMatchObject({
      personId: people.chairman.id,
      holder: `official:${people.chairman.id}`,
      requests: [{ id: prepared.requestId, documentId: id, digest: prepared.digest }],
    });
    expect(ports.signer.keys.signed).toEqual([
      { holder: `official:${people.chairman.id}`, sessionName: authorization?.id, digest: prepared.digest },
    ]);
  });

  it('cannot be authorized by anyone but its signer', async () => {
    const ports = await setup();
    const id = await approvedDraft(ports);
    const prepared = await requestSignature(ports, chairman, id, {});
    await enrol(ports, vice);
    await expect(authorizationChallenge(ports.activation, vice, [prepared.requestId])).rejects.toMatchObject({
      code: 'signature_request_unknown',
    });
  });

  it('needs an authenticator the signer registered', async () => {
    const ports = await setup();
    const id = await approvedDraft(ports);
    const prepared = await requestSignature(ports, chairman, id, {});
    await expect(
      authorizationChallenge(ports.activation, chairman, [prepared.requestId]),
    ).rejects.toMatchObject({
      code: 'authenticator_missing',
    });
  });

  it('refuses a wrong or replayed authenticator code', async () => {
    const ports = await setup();
    const id = await approvedDraft(ports);
    const secret = await enrol(ports, chairman);
    const prepared = await requestSignature(ports, chairman, id, {});
    const first = await authorizationChallenge(ports.activation, chairman, [prepared.requestId]);
    await expect(
      authorize(ports.activation, chairman, { challengeId: first.challengeId, totp: '000000' }),
    ).rejects.toMatchObject({
      code: 'totp_code_invalid',
    });
    // The code used at enrolment is spent: the same code of the same moment does not authorize again.
    const again = await authorizationChallenge(ports.activation, chairman, [prepared.requestId]);
    await expect(
      authorize(ports.activation, chairman, {
        challengeId: again.challengeId,
        totp: totpCode(secret, ports.now()),
      }),
    ).rejects.toMatchObject({ code: 'totp_code_invalid' });
  });
});

describe('activation data', () => {
  async function authorized(ports: Ports) {
    const id = await approvedDraft(ports);
    const prepared = await requestSignature(ports, chairman, id, {});
    const { authorizationId } = await authorizeAll(ports, chairman, [prepared.requestId]);
    return { id, prepared, authorizationId, holder: `official:${people.chairman.id}` };
  }

  it('for digest X does not sign digest Y', async () => {
    const ports = await setup();
    const { authorizationId, holder } = await authorized(ports);
    const other = '11'.repeat(32);
    await expect(
      signDigest(ports.signer, { authorizationId, holder, digest: digestBytes(other) }),
    ).rejects.toMatchObject({
      code: 'signature_activation_other_digest',
    });
    expect(ports.signer.keys.signed).toEqual([]);
  });

  it('uses the key once per digest: a repeated request gets the same value', async () => {
    const ports = await setup();
    const { authorizationId, holder, prepared } = await authorized(ports);
    const first = await signDigest(ports.signer, {
      authorizationId,
      holder,
      digest: digestBytes(prepared.digest),
    });
    const again = await signDigest(ports.signer, {
      authorizationId,
      holder,
      digest: digestBytes(prepared.digest),
    });
    expect(again).toEqual(first);
    expect(ports.signer.keys.signed).toHaveLength(1);
  });

  it('expires after five minutes', async () => {
    const ports = await setup();
    const { authorizationId, holder, prepared } = await authorized(ports);
    ports.advance(6);
    await expect(
      signDigest(ports.signer, { authorizationId, holder, digest: digestBytes(prepared.digest) }),
    ).rejects.toMatchObject({ code: 'signature_activation_expired' });
  });

  it("of one official does not open another official's key", async () => {
    const ports = await setup();
    const { authorizationId, prepared } = await authorized(ports);
    await expect(
      signDigest(ports.signer, {
        authorizationId,
        holder: `official:${people.viceChairman.id}`,
        digest: digestBytes(prepared.digest),
      }),
    ).rejects.toMatchObject({ code: 'signature_activation_other_key' });
  });

  it('that is forged (not signed by the activation key) signs nothing', async () => {
    const ports = await setup();
    const { authorizationId, holder, prepared } = await authorized(ports);
    const token = (await ports.activation.activations.token(authorizationId)) ?? '';
    const [header, payload] = token.split('.');
    ports.activation.activations.tokens.set(authorizationId, `${header}.${payload}.${'A'.repeat(86)}`);
    await expect(
      signDigest(ports.signer, { authorizationId, holder, digest: digestBytes(prepared.digest) }),
    ).rejects.toMatchObject({ code: 'signature_activation_invalid' });
  });

  it('of a batch signs its N documents and not an N+1st', async () => {
    const ports = await setup();
    const ids = [
      await approvedDraft(ports, 'Một'),
      await approvedDraft(ports, 'Hai'),
      await approvedDraft(ports, 'Ba'),
    ];
    const extra = await approvedDraft(ports, 'Bốn');
    const prepared = await Promise.all(ids.map((id) => requestSignature(ports, chairman, id, {})));
    const outside = await requestSignature(ports, chairman, extra, {});
    const { authorizationId } = await authorizeAll(
      ports,
      chairman,
      prepared.map((p) => p.requestId),
    );
    for (const p of prepared)
      expect((await sign(ports, chairman, p.documentId, p.requestId)).state).toBe('SIGNED');
    await expect(
      signDigest(ports.signer, {
        authorizationId,
        holder: `official:${people.chairman.id}`,
        digest: digestBytes(outside.digest),
      }),
    ).rejects.toMatchObject({ code: 'signature_activation_other_digest' });
    expect(ports.signer.keys.signed).toHaveLength(3);
  });
});

describe('the seal', () => {
  async function signedDraft(ports: Ports) {
    const id = await approvedDraft(ports);
    const prepared = await requestSignature(ports, chairman, id, {});
    await authorizeAll(ports, chairman, [prepared.requestId]);
    await sign(ports, chairman, id, prepared.requestId);
    return id;
  }

  it("is applied with the clerk's authorization, naming the organisation's seal", async () => {
    const ports = await setup();
    const id = await signedDraft(ports);
    const prepared = await requestIssue(ports, clerk, id);
    await authorizeAll(ports, clerk, [prepared.requestId]);
    const view = await issue(ports, clerk, id, prepared.requestId);
    expect(view.state).toBe('ISSUED');
    expect(ports.signer.keys.signed.at(-1)?.holder).toBe('seal:ubnd-hanoi');
  });

  it('cannot be authorized by anyone but a clerk of that organisation, whoever prepared the request', async () => {
    const ports = await setup();
    const id = await signedDraft(ports);
    const prepared = await requestIssue(ports, clerk, id);
    const request = await ports.requests.get(prepared.requestId);
    // A request made out to another person (as a compromised signing function could write it).
    for (const who of [specialist, wardClerk]) {
      await ports.requests.save({
        ...(request as NonNullable<typeof request>),
        id: crypto.randomUUID(),
        personId: who.actor.id,
      });
    }
    const forged = [...ports.requests.items.values()].filter((r) => r.personId !== people.cityClerk.id);
    for (const [who, r] of [
      [specialist, forged.find((f) => f.personId === people.citySpecialist.id)],
      [wardClerk, forged.find((f) => f.personId === people.wardClerk.id)],
    ] as const) {
      await enrol(ports, who);
      await expect(authorizationChallenge(ports.activation, who, [r?.id ?? ''])).rejects.toMatchObject({
        code: 'seal_not_yours',
        status: 403,
      });
    }
  });
});

describe('a passkey', () => {
  const origin = 'https://docflow.test';

  async function registered(ports: Ports, caller: Caller) {
    const device = new SoftwareAuthenticator({ origin, rpId: 'docflow.test' });
    const { challengeId, options } = await passkeyRegistrationOptions(ports.activation, caller);
    await registerPasskey(ports.activation, caller, {
      challengeId,
      response: device.register(options) as never,
      label: 'Điện thoại',
    });
    return device;
  }

  it('authorizes a signature with user verification, and the evidence holds its assertion', async () => {
    const ports = await setup();
    const device = await registered(ports, chairman);
    const id = await approvedDraft(ports);
    const prepared = await requestSignature(ports, chairman, id, {});
    const challenge = await authorizationChallenge(ports.activation, chairman, [prepared.requestId]);
    const answer = device.assert(String(challenge.options?.challenge));
    await authorize(ports.activation, chairman, {
      challengeId: challenge.challengeId,
      passkey: answer as never,
    });
    await sign(ports, chairman, id, prepared.requestId);
    const signed = (await ports.documents.readLog(id)).find((e) => e.type === 'signed');
    const authorization = signed?.type === 'signed' ? signed.payload.signature.authorization : undefined;
    expect(authorization?.factor).toBe('passkey');
    expect(authorization?.passkey?.signature).toBe(answer.response.signature);
    // What an auditor checks offline, from the log alone.
    if (!authorization) throw new Error('no authorization recorded');
    expect(checkAuthorization(authorization)).toEqual({
      namesDigest: true,
      assertionValid: true,
      problems: [],
    });
    const otherDigest = checkAuthorization({ ...authorization, digest: '22'.repeat(32) });
    expect(otherDigest.namesDigest).toBe(false);
    const forged = checkAuthorization({
      ...authorization,
      statement: {
        ...authorization.statement,
        requests: [{ id: 'x', documentId: id, digest: '33'.repeat(32) }],
      },
      digest: '33'.repeat(32),
    });
    expect(forged.assertionValid).toBe(false);
    expect(forged.problems).toContain('the assertion answers another challenge');
  });

  it('without user verification (no biometrics or PIN) authorizes nothing', async () => {
    const ports = await setup();
    const device = await registered(ports, chairman);
    device.userVerification = false;
    const id = await approvedDraft(ports);
    const prepared = await requestSignature(ports, chairman, id, {});
    const challenge = await authorizationChallenge(ports.activation, chairman, [prepared.requestId]);
    await expect(
      authorize(ports.activation, chairman, {
        challengeId: challenge.challengeId,
        passkey: device.assert(String(challenge.options?.challenge)) as never,
      }),
    ).rejects.toMatchObject({ code: 'authorization_failed', status: 403 });
  });

  it('answering another challenge (other digests) authorizes nothing', async () => {
    const ports = await setup();
    const device = await registered(ports, chairman);
    const id = await approvedDraft(ports);
    const prepared = await requestSignature(ports, chairman, id, {});
    const challenge = await authorizationChallenge(ports.activation, chairman, [prepared.requestId]);
    const stale = device.assert(Buffer.from('another challenge').toString('base64url'));
    await expect(
      authorize(ports.activation, chairman, { challengeId: challenge.challengeId, passkey: stale as never }),
    ).rejects.toMatchObject({ code: 'authorization_failed' });
  });
});

// Joint documents (văn bản liên tịch) against in-memory ports: the city leads, the Department of Home
// Affairs co-issues. Each leader signs in turn with their own authorization, the lead's clerk issues (the
// number), the department's clerk seals, and only then does the lead's clerk send.
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../lambdas/core/domain/actor';
import type { Caller } from '../../lambdas/core/domain/caller';
import { DomainError } from '../../lambdas/core/errors';
import { renderError } from '../../lambdas/core/i18n/messages';
import { send } from '../../lambdas/use-cases/delivery';
import { createDraft, outgoingCommand, recordContent } from '../../lambdas/use-cases/drafts';
import { issue as makeIssue, requestIssue } from '../../lambdas/use-cases/issuing';
import { viewFor } from '../../lambdas/use-cases/read/document-view';
import { inbox } from '../../lambdas/use-cases/read/inbox';
import { registerEntries } from '../../lambdas/use-cases/read/registers';
import { sign as makeSignature, requestSignature } from '../../lambdas/use-cases/signing';
import { authorizeAll } from '../support/authorize';
import { memoryPorts } from '../support/memory-ports';
import { directory, NOW, people } from '../unit/domain-fixtures';

const callerOf = (actor: Actor): Caller => ({ actor, directory });
const chairman = callerOf(people.chairman);
const specialist = callerOf(people.citySpecialist);
const clerk = callerOf(people.cityClerk);
const director = callerOf(people.director);
const deptClerk = callerOf(people.deptClerk);
const wardClerk = callerOf(people.wardClerk);

const setup = () => memoryPorts(directory, Object.values(people), NOW);
type Ports = Awaited<ReturnType<typeof setup>>;

async function sign(ports: Ports, caller: Caller, id: string) {
  const prepared = await requestSignature(ports, caller, id, {});
  await authorizeAll(ports, caller, [prepared.requestId]);
  return makeSignature(ports, caller, id, prepared.requestId);
}

async function issue(ports: Ports, caller: Caller, id: string) {
  const prepared = await requestIssue(ports, caller, id);
  await authorizeAll(ports, caller, [prepared.requestId]);
  return makeIssue(ports, caller, id, prepared.requestId);
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const outcome = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(outcome instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(outcome)}`);
  return outcome;
}

async function jointDraft(ports: Ports) {
  const { id } = await createDraft(ports, specialist, {
    typeId: 'ke-hoach',
    subject: 'Kế hoạch liên tịch về cải cách hành chính năm 2026',
    urgency: 'normal',
    recipients: [{ to: 'phuong-ba-dinh', purpose: 'action' }],
    coIssuers: ['so-noi-vu'],
  });
  ports.files.uploads.set(`uploads/${id}/draft.pdf`, new TextEncoder().encode('%PDF-1.7 joint'));
  await recordContent(ports, specialist, id);
  await outgoingCommand(ports, specialist, id, { type: 'submit' });
  await outgoingCommand(ports, chairman, id, { type: 'approve' });
  return id;
}

describe('joint documents', () => {
  it('are signed by each leader in turn, issued by the lead, sealed by each co-issuer, then sent', async () => {
    const ports = await setup();
    const id = await jointDraft(ports);

    // The co-issuer's leader sees the draft to sign, but signs only after the lead's leader.
    const toSign = await inbox(ports, director, { folder: 'to-sign', limit: 50 });
    expect(toSign.items.map((i) => i.id)).toContain(id);
    const early = await refusal(requestSignature(ports, director, id, {}));
    expect(early).toMatchObject({ code: 'joint_not_your_turn_sign', status: 403 });
    expect(renderError(early, 'en')).toContain('Ủy ban nhân dân thành phố Hà Nội');

    expect((await sign(ports, chairman, id)).state).toBe('SUBMITTED_TO_SIGNER');
    // The lead's leader does not sign twice, nor may the clerk issue before every issuer has signed.
    expect(await refusal(requestSignature(ports, chairman, id, {}))).toMatchObject({
      code: 'joint_not_your_turn_sign',
    });
    expect(await refusal(requestIssue(ports, clerk, id))).toMatchObject({ code: 'outgoing_cannot_issue' });

    const signed = await sign(ports, director, id);
    expect(signed.state).toBe('SIGNED');
    expect(signed.signatures.map((s) => (s.kind === 'person' ? s.signerOrgId : s.orgId))).toEqual([
      'ubnd-hanoi',
      'so-noi-vu',
    ]);
    // The department's signature block sits beside the lead's: the port is told its place.
    expect(ports.signing.calls.filter((c) => c.step === 'personal').map((c) => c.by)).toEqual([
      people.chairman.id,
      people.director.id,
    ]);

    // The co-issuer's clerk cannot take the lead's number; the lead's clerk issues.
    expect(await refusal(requestIssue(ports, deptClerk, id))).toMatchObject({ status: 403 });
    const issued = await issue(ports, clerk, id);
    expect(issued).toMatchObject({ state: 'ISSUED', number: 1 });
    const symbol = issued.symbol;

    // Not sent before the department has sealed.
    const early2 = await refusal(send(ports, clerk, id, undefined));
    expect(early2).toMatchObject({ code: 'joint_not_all_sealed', status: 409 });
    expect(renderError(early2, 'vi')).toContain('Sở Nội vụ');

    // The department's clerk seals through the issue routes, with its own authorization.
    const mine = await viewFor(ports, deptClerk, id);
    expect(mine.actions).toContain('issue');
    expect(mine.issuers).toEqual(['ubnd-hanoi', 'so-noi-vu']);
    // Another organisation's clerk has nothing to seal and does not see the document.
    expect(await refusal(requestIssue(ports, wardClerk, id))).toMatchObject({ status: 404 });
    const sealed = await issue(ports, deptClerk, id);
    expect(sealed.state).toBe('ISSUED');
    expect(sealed.signatures.map((s) => s.kind)).toEqual([
      'person',
      'person',
      'organisation',
      'organisation',
    ]);
    expect(await refusal(requestIssue(ports, deptClerk, id))).toMatchObject({ code: 'joint_all_sealed' });

    // The same number in both registers: the lead's series, the lead's notation.
    const lead = await registerEntries(ports, clerk, 'outgoing', {});
    const co = await registerEntries(ports, deptClerk, 'outgoing', {});
    expect(lead.entries).toEqual([expect.objectContaining({ number: 1, documentId: id, symbol })]);
    expect(co.entries).toEqual([expect.objectContaining({ number: 1, documentId: id, symbol })]);
    expect(co.entries[0]?.signer).toContain(people.director.name);

    // Sent once, by the lead's clerk; the recipient sees every issuer.
    expect(await refusal(send(ports, deptClerk, id, undefined))).toMatchObject({ status: 403 });
    expect((await send(ports, clerk, id, undefined)).state).toBe('SENT');
    const received = await viewFor(ports, wardClerk, id);
    expect(received.issuers).toEqual(['ubnd-hanoi', 'so-noi-vu']);
  });

  it('refuses co-issuers that are unknown, the lead itself or named twice', async () => {
    const ports = await setup();
    const draft = (coIssuers: string[]) =>
      createDraft(ports, specialist, {
        typeId: 'ke-hoach',
        subject: 'Kế hoạch liên tịch',
        urgency: 'normal',
        recipients: [],
        coIssuers,
      });
    expect(await refusal(draft(['khong-co']))).toMatchObject({
      code: 'joint_co_issuer_unknown',
      status: 422,
    });
    expect(await refusal(draft(['ubnd-hanoi']))).toMatchObject({ code: 'joint_co_issuer_is_lead' });
    const twice = await refusal(draft(['so-noi-vu', 'so-noi-vu']));
    expect(renderError(twice, 'en')).toBe('Sở Nội vụ is chosen twice as a co-issuer.');
  });

  it('a signed joint draft is not returned for revision', async () => {
    const ports = await setup();
    const id = await jointDraft(ports);
    await sign(ports, chairman, id);
    const back = await refusal(
      outgoingCommand(ports, chairman, id, { type: 'return-for-revision', reason: 'Sửa' }),
    );
    expect(back).toMatchObject({ code: 'outgoing_cannot_return_for_revision', status: 409 });
  });
});

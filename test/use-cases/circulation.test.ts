// The circulation use cases against in-memory ports: the retry, lease and batching logic that only the
// whole local stack reached before. The integration tests cover the same flow over HTTP and DynamoDB.
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../lambdas/core/domain/actor';
import type { Caller } from '../../lambdas/core/domain/caller';
import type { DomainError } from '../../lambdas/core/errors';
import { renderError } from '../../lambdas/core/i18n/messages';
import { registerTable } from '../../lambdas/core/registers/table';
import { ARRIVALS_PER_TRANSACTION, recall, send } from '../../lambdas/use-cases/delivery';
import { createDraft, outgoingCommand, recordContent } from '../../lambdas/use-cases/drafts';
import { assign, forward, reassign, register, resolve } from '../../lambdas/use-cases/incoming';
import { issue as makeIssue, requestIssue } from '../../lambdas/use-cases/issuing';
import { type DocumentView, fileUrl, viewFor } from '../../lambdas/use-cases/read/document-view';
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
const wardClerk = callerOf(people.wardClerk);
const wardChairman = callerOf(people.wardChairman);
const wardSpecialist = callerOf(people.wardSpecialist);

function setup() {
  return memoryPorts(directory, Object.values(people), NOW);
}

type Ports = Awaited<ReturnType<typeof setup>>;

/** The leader prepares their signature, authorizes it with their own factor, and it is made. */
async function sign(ports: Ports, caller: Caller, id: string) {
  const prepared = await requestSignature(ports, caller, id, {});
  await authorizeAll(ports, caller, [prepared.requestId]);
  return makeSignature(ports, caller, id, prepared.requestId);
}

/** The clerk prepares the issue, authorizes the seal, and it is applied. */
async function issue(ports: Ports, caller: Caller, id: string) {
  const prepared = await requestIssue(ports, caller, id);
  await authorizeAll(ports, caller, [prepared.requestId]);
  return makeIssue(ports, caller, id, prepared.requestId);
}

/** A city draft with its file recorded, submitted and approved for the chairman's signature. */
async function approvedDraft(ports: Ports, subject = 'Về việc triển khai tiếp nhận hồ sơ') {
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

async function issuedDocument(ports: Ports) {
  const id = await approvedDraft(ports);
  await sign(ports, chairman, id);
  await issue(ports, clerk, id);
  return id;
}

describe('outgoing use cases', () => {
  it('take a draft to issued: a personal signature, the number and seal, a register row', async () => {
    const ports = await setup();
    const id = await issuedDocument(ports);
    const view: DocumentView = await viewFor(ports, clerk, id);
    expect(view.state).toBe('ISSUED');
    expect(view.number).toBe(1);
    expect(view.chain).toEqual({ valid: true, length: expect.any(Number) });
    expect(ports.signing.calls.map((c) => c.step)).toEqual(['prepare', 'personal', 'seal']);
    const register = await registerEntries(ports, clerk, 'outgoing', {});
    expect(register.entries).toEqual([expect.objectContaining({ number: 1, documentId: id })]);
  });

  it('read again and decide again when another writer commits first', async () => {
    const ports = await setup();
    const id = await approvedDraft(ports);
    ports.documents.failNextCommits(3);
    await sign(ports, chairman, id);
    const events = await ports.documents.readLog(id);
    expect(events.filter((e) => e.type === 'signed')).toHaveLength(1);
    // The PDF was signed once: only the commit was tried again, under the document's lease.
    expect(ports.signing.calls.filter((c) => c.step === 'personal')).toHaveLength(1);
  });

  it('sign once when the same authorized request is sent twice at once: both get the signed document', async () => {
    const ports = await setup();
    const id = await approvedDraft(ports);
    const prepared = await requestSignature(ports, chairman, id, {});
    await authorizeAll(ports, chairman, [prepared.requestId]);
    const [first, second] = await Promise.all([
      makeSignature(ports, chairman, id, prepared.requestId),
      makeSignature(ports, chairman, id, prepared.requestId),
    ]);
    expect(first.state).toBe('SIGNED');
    expect(second.state).toBe('SIGNED');
    expect(ports.signing.calls.filter((c) => c.step === 'personal')).toHaveLength(1);
    expect(ports.signer.keys.signed).toHaveLength(1);
  });

  it('make one of two signatures prepared and authorized for the same draft; refuse the other', async () => {
    const ports = await setup();
    const id = await approvedDraft(ports);
    const a = await requestSignature(ports, chairman, id, {});
    const b = await requestSignature(ports, chairman, id, {});
    await authorizeAll(ports, chairman, [a.requestId, b.requestId]);
    const results = await Promise.allSettled([
      makeSignature(ports, chairman, id, a.requestId),
      makeSignature(ports, chairman, id, b.requestId),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ name: 'DomainError', status: 409 });
    expect(ports.signer.keys.signed).toHaveLength(1);
  });

  it('give parallel issues unique, gap-free numbers; the clerk authorizes the seals in one batch', async () => {
    const ports = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const id = await approvedDraft(ports, `Văn bản số ${i}`);
      await sign(ports, chairman, id);
      ids.push(id);
    }
    const prepared = await Promise.all(ids.map((id) => requestIssue(ports, clerk, id)));
    await authorizeAll(
      ports,
      clerk,
      prepared.map((p) => p.requestId),
    );
    const views = await Promise.all(prepared.map((p) => makeIssue(ports, clerk, p.documentId, p.requestId)));
    expect(views.map((v) => v.number).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(prepared.map((p) => p.symbol).sort()).toEqual(views.map((v) => v.symbol).sort());
  });

  it('seal once when the commit meets a concurrent writer', async () => {
    const ports = await setup();
    const id = await approvedDraft(ports);
    await sign(ports, chairman, id);
    ports.documents.failNextCommits(2);
    expect((await issue(ports, clerk, id)).number).toBe(1);
    expect(ports.signing.calls.filter((c) => c.step === 'seal')).toHaveLength(1);
  });

  it('refuse to record a signature over a draft that changed while it was signed', async () => {
    const ports = await setup();
    const id = await approvedDraft(ports);
    const signPersonal = ports.signing.signPersonal.bind(ports.signing);
    ports.signing.signPersonal = async (input) => {
      const signed = await signPersonal(input);
      // Meanwhile the chairman's deputy returns the draft and the drafter uploads a new version.
      await outgoingCommand(ports, chairman, id, { type: 'return-for-revision', reason: 'Sửa điều 2' });
      return signed;
    };
    await expect(sign(ports, chairman, id)).rejects.toMatchObject({ status: 409 });
    expect((await ports.documents.readLog(id)).some((e) => e.type === 'signed')).toBe(false);
  });

  it('resume an interrupted issue with the number it reserved', async () => {
    const ports = await setup();
    const id = await approvedDraft(ports);
    await sign(ports, chairman, id);
    const seal = ports.signing.issueAndSeal.bind(ports.signing);
    ports.signing.issueAndSeal = async () => {
      throw new Error('the seal failed half-way');
    };
    await expect(issue(ports, clerk, id)).rejects.toThrow('half-way');
    expect((await ports.documents.read(id)).reservation?.number).toBe(1);
    ports.signing.issueAndSeal = seal;
    const view = await issue(ports, clerk, id);
    expect(view.number).toBe(1);
    expect((await ports.documents.read(id)).reservation).toBeUndefined();
  });
});

describe('retries of a step already taken (its answer lost)', () => {
  it('answer with the document as it is, not a refusal, when the same person took the step last', async () => {
    const ports = await setup();
    const { id } = await createDraft(ports, specialist, {
      typeId: 'cong-van',
      subject: 'Về việc thử lại',
      urgency: 'normal',
      recipients: [],
      draftingUnitCode: 'KGVX',
    });
    ports.files.uploads.set(`uploads/${id}/draft.pdf`, new TextEncoder().encode('%PDF-1.7 thử lại'));
    await recordContent(ports, specialist, id);
    await outgoingCommand(ports, specialist, id, { type: 'submit' });
    const events = (await ports.documents.readLog(id)).length;
    const again = await outgoingCommand(ports, specialist, id, { type: 'submit' });
    expect(again.state).toBe('UNDER_REVIEW');
    expect(await ports.documents.readLog(id)).toHaveLength(events);
    // Someone else, or the same step once something else happened, is refused as before.
    await expect(
      outgoingCommand(ports, callerOf(people.otherCitySpecialist), id, { type: 'submit' }),
    ).rejects.toMatchObject({
      status: 409,
    });
    await outgoingCommand(ports, chairman, id, { type: 'approve' });
    await expect(outgoingCommand(ports, specialist, id, { type: 'submit' })).rejects.toMatchObject({
      status: 409,
    });
  });

  it('a send repeated after it happened completes and answers; a send to others is refused', async () => {
    const ports = await setup();
    const id = await issuedDocument(ports);
    await send(ports, clerk, id, [{ to: 'phuong-ba-dinh', purpose: 'action' }]);
    const again = await send(ports, clerk, id, [{ to: 'phuong-ba-dinh', purpose: 'action' }]);
    expect(again.deliveries).toHaveLength(1);
    await expect(send(ports, clerk, id, [{ to: 'xa-soc-son', purpose: 'action' }])).rejects.toMatchObject({
      status: 409,
    });
  });
});

describe('delivery use cases', () => {
  it('deliver to every ward in batches that each fit one transaction, checking signatures once', async () => {
    const ports = await setup();
    const id = await issuedDocument(ports);
    const before = ports.documents.commits.length;
    const view = await send(ports, clerk, id, [{ to: 'all-wards', purpose: 'action' }]);
    const wards = directory.ofKind('ward').length + directory.ofKind('commune').length;
    expect(view.deliveries).toHaveLength(wards);
    const arrivals = ports.documents.commits.slice(before + 1);
    expect(arrivals.every((c) => c.incoming.length <= ARRIVALS_PER_TRANSACTION)).toBe(true);
    expect(arrivals).toHaveLength(Math.ceil(wards / ARRIVALS_PER_TRANSACTION));
    expect(ports.signing.calls.filter((c) => c.step === 'verify')).toHaveLength(1);
  });

  it('complete an interrupted send on retry, delivering each recipient exactly once', async () => {
    const ports = await setup();
    const id = await issuedDocument(ports);
    const commit = ports.documents.commit.bind(ports.documents);
    let arrivalsCommitted = 0;
    ports.documents.commit = async (change) => {
      if (change.incoming.length > 0 && ++arrivalsCommitted === 2)
        throw new Error('the function was stopped');
      return commit(change);
    };
    await expect(send(ports, clerk, id, [{ to: 'all-wards', purpose: 'action' }])).rejects.toThrow('stopped');
    const half = (await ports.documents.read(id)).incoming.length;
    expect(half).toBe(ARRIVALS_PER_TRANSACTION);
    ports.documents.commit = commit;
    const view = await send(ports, clerk, id, undefined);
    const orgs = (view.deliveries ?? []).map((d) => d.orgId);
    expect(new Set(orgs).size).toBe(orgs.length);
    expect((await ports.documents.read(id)).incoming).toHaveLength(orgs.length);
    const arrived = (await ports.documents.readLog(id)).filter((e) => e.type === 'arrived');
    expect(arrived).toHaveLength(orgs.length);
  });

  it('return an arrival at once when the signatures do not verify', async () => {
    const ports = await setup();
    const id = await issuedDocument(ports);
    ports.signing.valid = false;
    await send(ports, clerk, id, [{ to: 'phuong-ba-dinh', purpose: 'action' }]);
    const record = (await ports.documents.read(id)).incoming[0];
    expect(record?.state).toBe('RETURNED');
    expect(record?.returnReason).toContain('chữ ký bị thay đổi');
  });

  it('recall every live recipient record in batches', async () => {
    const ports = await setup();
    const id = await issuedDocument(ports);
    await send(ports, clerk, id, [{ to: 'all-wards', purpose: 'action' }]);
    const view = await recall(ports, chairman, id, 'Ban hành nhầm');
    expect(view.state).toBe('RECALLED');
    const records = (await ports.documents.read(id)).incoming;
    expect(records.every((r) => r.state === 'RECALLED')).toBe(true);
    // Repeating it changes nothing.
    const commits = ports.documents.commits.length;
    await recall(ports, chairman, id, 'Ban hành nhầm');
    expect(ports.documents.commits).toHaveLength(commits);
  });

  it('refuse a recall by a recipient as forbidden, and hide the document from other organisations', async () => {
    const ports = await setup();
    const id = await issuedDocument(ports);
    await send(ports, clerk, id, [{ to: 'phuong-ba-dinh', purpose: 'action' }]);
    await expect(recall(ports, wardChairman, id, 'x')).rejects.toMatchObject({ status: 403 });
    await expect(viewFor(ports, callerOf(people.deptClerk), id)).rejects.toMatchObject({ status: 404 });
    const asAuditor = await viewFor(ports, callerOf(people.auditor), id);
    expect(asAuditor.deliveries).toHaveLength(1);
  });
});

describe('incoming use cases', () => {
  it('register with the next arrival number, present to the head, assign, and list it for the handler', async () => {
    const ports = await setup();
    const id = await issuedDocument(ports);
    await send(ports, clerk, id, [{ to: 'phuong-ba-dinh', purpose: 'action' }]);
    const registered = await register(ports, wardClerk, id, undefined);
    expect(registered.record?.arrivalNumber).toBe(1);
    expect(registered.record?.state).toBe('PRESENTED');
    await assign(ports, wardChairman, id, {
      lead: people.wardSpecialist.id,
      deadline: '2026-01-20',
      note: 'Đề nghị xử lý',
    });
    const folder = await inbox(ports, wardSpecialist, { folder: 'assigned', limit: 25 });
    expect(folder.items.map((i) => i.id)).toEqual([id]);
    await resolve(ports, wardSpecialist, id, { note: 'Đã xử lý' });
    expect((await inbox(ports, wardSpecialist, { folder: 'assigned', limit: 25 })).items).toEqual([]);
    const incomingRegister = await registerEntries(ports, wardClerk, 'incoming', {});
    expect(incomingRegister.entries).toEqual([expect.objectContaining({ number: 1, documentId: id })]);
  });

  it('refuse to assign someone of another organisation, naming them', async () => {
    const ports = await setup();
    const id = await issuedDocument(ports);
    await send(ports, clerk, id, [{ to: 'phuong-ba-dinh', purpose: 'action' }]);
    await register(ports, wardClerk, id, undefined);
    const refusal = await assign(ports, wardChairman, id, {
      lead: people.deptSpecialist.id,
      deadline: '2026-01-20',
      note: 'x',
    }).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ status: 422, code: 'validation_failed' });
    for (const language of ['vi', 'en'] as const)
      expect(renderError(refusal as DomainError, language)).toContain(people.deptSpecialist.id);
  });
});

describe('ids in request bodies (use-cases/references.ts)', () => {
  /** The refusal's text in both languages, which must name the field. */
  async function refusedNaming(field: string, step: Promise<unknown>) {
    const error = await step.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ status: 422, code: 'validation_failed' });
    for (const language of ['vi', 'en'] as const)
      expect(renderError(error as DomainError, language)).toContain(field);
  }

  async function submitted(ports: Ports) {
    const { id } = await createDraft(ports, specialist, {
      typeId: 'cong-van',
      subject: 'Về việc kiểm tra mã',
      urgency: 'normal',
      recipients: [],
      draftingUnitCode: 'KGVX',
    });
    ports.files.uploads.set(`uploads/${id}/draft.pdf`, new TextEncoder().encode('%PDF-1.7 kiểm tra'));
    await recordContent(ports, specialist, id);
    await outgoingCommand(ports, specialist, id, { type: 'submit' });
    return id;
  }

  it('approve: the signer must be a leader of the document’s organisation; nothing else is recorded', async () => {
    const ports = await setup();
    const id = await submitted(ports);
    const events = (await ports.documents.readLog(id)).length;
    for (const signerId of [people.director.id, people.cityClerk.id, 'khong-co-ai'])
      await refusedNaming('signerId', outgoingCommand(ports, chairman, id, { type: 'approve', signerId }));
    expect(await ports.documents.readLog(id)).toHaveLength(events);
    const approved = await outgoingCommand(ports, chairman, id, {
      type: 'approve',
      signerId: people.viceChairman.id,
    });
    expect(approved.document?.designatedSignerId).toBe(people.viceChairman.id);
  });

  /** A city draft that replaces or corrects `original`, taken to issued (not sent). */
  async function amendingDocument(
    ports: Ports,
    kind: 'replaces' | 'corrects',
    original: string,
    recipients: { to: string; purpose: 'action' | 'information' }[] = [],
  ) {
    const { id } = await createDraft(
      ports,
      specialist,
      { typeId: 'quyet-dinh', subject: `Văn bản ${kind}`, urgency: 'normal', recipients },
      'none',
      'pdf',
      { kind, documentId: original },
    );
    ports.files.uploads.set(`uploads/${id}/draft.pdf`, new TextEncoder().encode(`%PDF-1.7 ${kind}`));
    await recordContent(ports, specialist, id);
    await outgoingCommand(ports, specialist, id, { type: 'submit' });
    await outgoingCommand(ports, chairman, id, { type: 'approve' });
    await sign(ports, chairman, id);
    await issue(ports, clerk, id);
    return id;
  }

  it('replace and correct: a document of its own naming an issued one, sent to its recipients too', async () => {
    const ports = await setup();
    const id = await issuedDocument(ports);
    await send(ports, clerk, id, [
      { to: 'phuong-ba-dinh', purpose: 'action' },
      { to: 'so-noi-vu', purpose: 'information' },
    ]);
    const symbol = (await ports.documents.read(id)).document?.symbol;
    const draft = await submitted(ports);
    // Another organisation's issued document (the ward's), a draft, an id that was never used.
    const { id: wardDoc } = await createDraft(ports, wardSpecialist, {
      typeId: 'cong-van',
      subject: 'Của phường',
      urgency: 'normal',
      recipients: [],
    });
    ports.files.uploads.set(`uploads/${wardDoc}/draft.pdf`, new TextEncoder().encode('%PDF-1.7 phường'));
    await recordContent(ports, wardSpecialist, wardDoc);
    await outgoingCommand(ports, wardSpecialist, wardDoc, { type: 'submit' });
    await outgoingCommand(ports, wardChairman, wardDoc, { type: 'approve' });
    await sign(ports, wardChairman, wardDoc);
    await issue(ports, wardClerk, wardDoc);
    expect((await ports.documents.read(wardDoc)).document?.state).toBe('ISSUED');
    for (const named of [wardDoc, draft, '00000000-0000-4000-8000-000000000000'])
      await refusedNaming(
        'replaces',
        createDraft(
          ports,
          specialist,
          { typeId: 'quyet-dinh', subject: 'x', urgency: 'normal', recipients: [] },
          'none',
          'pdf',
          {
            kind: 'replaces',
            documentId: named,
          },
        ),
      );

    // A correction: sent to its own recipient and every recipient of the original; the original stays in force.
    const correction = await amendingDocument(ports, 'corrects', id, [
      { to: 'so-tai-chinh', purpose: 'action' },
    ]);
    expect((await viewFor(ports, clerk, correction)).amends).toEqual({
      kind: 'corrects',
      documentId: id,
      symbol,
    });
    await send(ports, clerk, correction, undefined);
    const corrected = await ports.documents.read(correction);
    expect(corrected.incoming.map((r) => r.orgId).sort()).toEqual([
      'phuong-ba-dinh',
      'so-noi-vu',
      'so-tai-chinh',
    ]);
    expect(corrected.incoming.every((r) => r.amends?.documentId === id)).toBe(true);
    const correctionSymbol = corrected.document?.symbol;
    const afterCorrection = await viewFor(ports, callerOf(people.wardClerk), id);
    expect(afterCorrection.amendedBy).toEqual([
      { kind: 'corrects', documentId: correction, symbol: correctionSymbol, at: expect.any(String) },
    ]);
    expect(afterCorrection.log.map((e) => e.type)).toContain('corrected');
    expect((await ports.documents.read(id)).document?.state).toBe('SENT');
    // The recipient sees on the correction what it corrects.
    expect((await viewFor(ports, wardClerk, correction)).amends).toMatchObject({ kind: 'corrects', symbol });

    // A replacement: the original is replaced, and cannot be replaced or corrected again.
    const replacement = await amendingDocument(ports, 'replaces', id);
    await send(ports, clerk, replacement, undefined);
    // Sent again (a retry): nothing more.
    await send(ports, clerk, replacement, undefined);
    const original = await viewFor(ports, clerk, id);
    expect(original.state).toBe('REPLACED');
    expect(original.amendedBy?.map((a) => [a.kind, a.documentId])).toEqual([
      ['corrects', correction],
      ['replaces', replacement],
    ]);
    expect((await ports.documents.read(replacement)).incoming.map((r) => r.orgId).sort()).toEqual([
      'phuong-ba-dinh',
      'so-noi-vu',
    ]);
    // Both registers note it: the outgoing one on both documents, the recipient's incoming one on the new one.
    const outgoingRows = (await registerEntries(ports, clerk, 'outgoing', {})).entries;
    expect(outgoingRows.find((r) => r.documentId === id)).toMatchObject({
      amendedBy: [
        { kind: 'corrects', symbol: correctionSymbol },
        { kind: 'replaces', symbol: expect.any(String) },
      ],
    });
    expect(outgoingRows.find((r) => r.documentId === replacement)).toMatchObject({
      amends: { kind: 'replaces', symbol },
    });
    const table = registerTable('outgoing', outgoingRows, { year: 2026 }, 'vi');
    expect(table.rows.flat().join('\n')).toContain(`Đã được đính chính bởi văn bản số ${correctionSymbol}`);
    expect(registerTable('outgoing', outgoingRows, { year: 2026 }, 'en').rows.flat().join('\n')).toContain(
      `Replaces document ${symbol}`,
    );
    await register(ports, wardClerk, correction, undefined);
    const incomingRows = (await registerEntries(ports, wardClerk, 'incoming', {})).entries;
    expect(incomingRows.find((r) => r.documentId === correction)).toMatchObject({
      amends: { kind: 'corrects', symbol },
    });
    for (const kind of ['replaces', 'corrects'] as const)
      await refusedNaming(
        kind,
        createDraft(
          ports,
          specialist,
          { typeId: 'quyet-dinh', subject: 'x', urgency: 'normal', recipients: [] },
          'none',
          'pdf',
          {
            kind,
            documentId: id,
          },
        ),
      );
  });

  it('a replacement drafted before the original was recalled is refused at sending, naming it', async () => {
    const ports = await setup();
    const id = await issuedDocument(ports);
    await send(ports, clerk, id, [{ to: 'phuong-ba-dinh', purpose: 'action' }]);
    const replacement = await amendingDocument(ports, 'replaces', id);
    await recall(ports, chairman, id, 'Thu hồi trước khi thay thế');
    const refused = await send(ports, clerk, replacement, undefined).then(
      () => undefined,
      (e: unknown) => e as DomainError,
    );
    expect(refused).toMatchObject({ code: 'amended_cannot_replace', status: 409 });
    expect((await ports.documents.read(replacement)).document?.state).toBe('ISSUED');
  });

  it('register, assign, reassign, resolve: people and units of the organisation, issued replies', async () => {
    const ports = await setup();
    const id = await issuedDocument(ports);
    await send(ports, clerk, id, [{ to: 'phuong-ba-dinh', purpose: 'action' }]);
    await refusedNaming('presentTo', register(ports, wardClerk, id, people.wardSpecialist.id));
    await refusedNaming('presentTo', register(ports, wardClerk, id, people.chairman.id));
    expect((await ports.documents.read(id)).incoming[0]?.state).toBe('ARRIVED');
    await register(ports, wardClerk, id, people.wardVice.id);
    const assignment = { deadline: '2026-01-20', note: 'Đề nghị xử lý' };
    await refusedNaming('lead', assign(ports, wardChairman, id, { ...assignment, lead: 'unit:ZZZ' }));
    await refusedNaming(
      'lead',
      assign(ports, wardChairman, id, { ...assignment, lead: people.wardClerk.id }),
    );
    await refusedNaming(
      'support[1]',
      assign(ports, wardChairman, id, {
        ...assignment,
        lead: 'unit:VHXH',
        support: ['unit:KT', 'unit:QQ'],
      }),
    );
    await refusedNaming(
      'info[0]',
      assign(ports, wardChairman, id, { ...assignment, lead: 'unit:VHXH', info: [people.chairman.id] }),
    );
    const vice = callerOf(people.wardVice);
    await assign(ports, vice, id, { ...assignment, lead: 'unit:VHXH', info: [people.wardClerk.id] });
    await refusedNaming('handler', reassign(ports, vice, id, { handler: 'unit:NOPE' }));
    await reassign(ports, vice, id, { handler: people.wardSpecialist.id });
    const wardDraft = await createDraft(ports, wardSpecialist, {
      typeId: 'cong-van',
      subject: 'Trả lời',
      urgency: 'normal',
      recipients: [],
    });
    await refusedNaming('replyId', resolve(ports, wardSpecialist, id, { replyId: wardDraft.id }));
    await refusedNaming('replyId', resolve(ports, wardSpecialist, id, { replyId: id }));
    expect((await ports.documents.read(id)).incoming[0]?.state).toBe('ASSIGNED');
    await resolve(ports, wardSpecialist, id, { note: 'Đã xử lý' });
  });

  it('forward and send: each target named by its field and place in the list', async () => {
    const ports = await setup();
    const id = await issuedDocument(ports);
    await expect(
      send(ports, clerk, id, [
        { to: 'phuong-ba-dinh', purpose: 'action' },
        { to: 'quan-khong-co', purpose: 'action' },
      ]),
    ).rejects.toSatisfy((e: DomainError) => renderError(e, 'en').includes('recipients[1]'));
    await send(ports, clerk, id, [{ to: 'phuong-ba-dinh', purpose: 'action' }]);
    await register(ports, wardClerk, id, undefined);
    await expect(forward(ports, wardClerk, id, { to: ['phuong-khong-co'] })).rejects.toSatisfy(
      (e: DomainError) => e.status === 422 && renderError(e, 'vi').startsWith('to:'),
    );
  });
});

describe('who reads what', () => {
  it('a recipient sees that the document was recalled and why, and is no longer served its copy', async () => {
    const ports = await setup();
    const id = await issuedDocument(ports);
    await send(ports, clerk, id, [{ to: 'phuong-ba-dinh', purpose: 'action' }]);
    expect(await fileUrl(ports, wardClerk, id)).toContain(id);
    await recall(ports, chairman, id, 'Ban hành nhầm đối tượng');
    await expect(fileUrl(ports, wardClerk, id)).rejects.toSatisfy(
      (e: DomainError) =>
        e.status === 410 && e.code === 'document_recalled' && renderError(e, 'vi').includes('Ban hành nhầm'),
    );
    const view = await viewFor(ports, wardClerk, id);
    expect(view).toMatchObject({ state: 'RECALLED', record: { state: 'RECALLED' } });
    expect(view.log.find((e) => e.type === 'recalled')?.note).toBe('Ban hành nhầm đối tượng');
    // The sender's copy is frozen, not removed; an auditor reads it too.
    expect(await fileUrl(ports, clerk, id)).toContain(id);
    expect(await fileUrl(ports, callerOf(people.auditor), id)).toContain(id);
  });

  it('an administrator reads no document, inbox or register of their own organisation', async () => {
    const ports = await setup();
    const id = await issuedDocument(ports);
    const admin = callerOf(people.admin);
    await expect(viewFor(ports, admin, id)).rejects.toMatchObject({ status: 404 });
    await expect(fileUrl(ports, admin, id)).rejects.toMatchObject({ status: 404 });
    await expect(inbox(ports, admin, { folder: 'outgoing', limit: 25 })).rejects.toMatchObject({
      status: 403,
    });
    await expect(registerEntries(ports, admin, 'outgoing', {})).rejects.toMatchObject({ status: 403 });
  });

  it('an auditor whose organisation is a recipient reads it as an auditor, the whole circulation', async () => {
    const ports = await setup();
    const wardAuditor: Actor = {
      id: 'u-ward-auditor',
      name: 'Kiểm Soát Phường',
      position: { orgId: 'phuong-ba-dinh', role: 'auditor', title: 'Kiểm soát viên' },
    };
    await ports.directory.savePeople([wardAuditor]);
    const id = await issuedDocument(ports);
    await send(ports, clerk, id, [{ to: 'phuong-ba-dinh', purpose: 'action' }]);
    const view = await viewFor(ports, callerOf(wardAuditor), id);
    expect(view.deliveries).toHaveLength(1);
    expect(view.log.map((e) => e.type)).toContain('submitted');
  });
});

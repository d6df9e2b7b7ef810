import { describe, expect, it } from 'vitest';
import type { Actor } from '../../lambdas/core/domain/actor';
import type { Delegation } from '../../lambdas/core/domain/capacity';
import type { Assignee } from '../../lambdas/core/domain/events';
import {
  arriveIncoming,
  decideIncoming,
  type IncomingCommand,
  type IncomingRecord,
} from '../../lambdas/core/domain/incoming';
import type { OutgoingCommand, OutgoingDocument } from '../../lambdas/core/domain/outgoing';
import { type ActionSubject, availableActions } from '../../lambdas/core/views/available-actions';
import {
  createCommand,
  ctx,
  directory,
  issueCommand,
  NOW,
  people,
  runOutgoing,
  sentDocument,
  toSigned,
} from './domain-fixtures';

/*
 * What a person may do now, as the document view lists it: asked of the state machines, so these cases are
 * the web's former ones (web/src/logic.test.ts) and the places where the server's rules are finer than the
 * web's copy of them was (unit heads, organisation leaders, the handler's role, capacities).
 */

const WARD = 'phuong-ba-dinh';

function view(who: Actor, subject: Omit<ActionSubject, 'documentId'>) {
  return availableActions({ actor: who, directory }, { documentId: 'doc-1', ...subject }, NOW);
}
const actions = (who: Actor, subject: Omit<ActionSubject, 'documentId'>) => view(who, subject).actions;

const city = (steps: [OutgoingCommand, Actor][]): OutgoingDocument => runOutgoing(steps).doc;
const create: [OutgoingCommand, Actor] = [createCommand(), people.citySpecialist];
const submit: [OutgoingCommand, Actor] = [{ type: 'submit' }, people.citySpecialist];
const approveFor = (signerId?: string): [OutgoingCommand, Actor] => [
  { type: 'approve', signerId },
  people.chairman,
];
const issue: [OutgoingCommand, Actor] = [issueCommand(), people.cityClerk];
const pendingUpload: ActionSubject['pendingUpload'] = {
  createdBy: people.citySpecialist.id,
  metadata: { typeId: 'quyet-dinh', subject: 'Về việc tổ chức Tết', urgency: 'normal', recipients: [] },
};

describe('an outgoing document, state by state', () => {
  it('lets the drafter submit a draft and replace its file, nobody else', () => {
    const draft = city([create]);
    expect(actions(people.citySpecialist, { document: draft })).toEqual(['submit']);
    expect(actions(people.citySpecialist, { document: draft, pendingUpload })).toEqual(['submit', 'replace']);
    expect(actions(people.otherCitySpecialist, { document: draft, pendingUpload })).toEqual([]);
    expect(actions(people.chairman, { document: draft })).toEqual([]);
  });

  it('offers the first upload to whoever started the draft, while its file is awaited', () => {
    expect(actions(people.citySpecialist, { pendingUpload })).toEqual(['upload']);
    expect(actions(people.otherCitySpecialist, { pendingUpload })).toEqual([]);
    expect(actions(people.citySpecialist, {})).toEqual([]);
  });

  it('lets a leader approve or return a draft under review', () => {
    const review = city([create, submit]);
    expect(actions(people.chairman, { document: review })).toEqual(['approve', 'returnDraft']);
    expect(actions(people.viceChairman, { document: review })).toEqual(['approve', 'returnDraft']);
    expect(actions(people.citySpecialist, { document: review })).toEqual([]);
    expect(actions(people.cityClerk, { document: review })).toEqual([]);
  });

  it('lets only the designated signer sign, in the capacities their position gives', () => {
    const toSign = city([create, submit, approveFor(people.viceChairman.id)]);
    expect(actions(people.chairman, { document: toSign })).toEqual(['returnDraft']);
    expect(view(people.viceChairman, { document: toSign })).toEqual({
      actions: ['sign', 'returnDraft'],
      capacities: [{ kind: 'KT' }, { kind: 'KT', onBehalfOfCollective: true }],
    });
  });

  it('lets any entitled leader sign when no signer was named; a chairman is offered own and TM., not KT. or Q.', () => {
    const toSign = city([create, submit, approveFor()]);
    expect(view(people.chairman, { document: toSign })).toEqual({
      actions: ['sign', 'returnDraft'],
      capacities: [{ kind: 'own' }, { kind: 'TM' }],
    });
    expect(view(people.cityClerk, { document: toSign })).toEqual({ actions: [], capacities: [] });
  });

  it('gives a department its own capacities: head own, deputy KT., acting head Q., unit head none', () => {
    const toSign = runOutgoing([
      [createCommand({ recipients: [{ to: WARD, purpose: 'action' }] }), people.deptSpecialist],
      [{ type: 'submit' }, people.deptSpecialist],
      [{ type: 'approve' }, people.director],
    ]).doc;
    expect(view(people.director, { document: toSign }).capacities).toEqual([{ kind: 'own' }]);
    expect(view(people.deputyDirector, { document: toSign }).capacities).toEqual([{ kind: 'KT' }]);
    expect(view(people.actingDirector, { document: toSign }).capacities).toEqual([{ kind: 'Q' }]);
    // A unit head leads a unit, not the organisation: no capacity of their own, so no signing, but they
    // may return the draft as a leader of the organisation.
    expect(view(people.deptUnitHead, { document: toSign })).toEqual({
      actions: ['returnDraft'],
      capacities: [],
    });
    // With a TUQ. authorisation in force, the unit head signs TUQ. (and only on the documents it covers).
    const tuq: Delegation = {
      id: 'del-tuq',
      kind: 'TUQ',
      orgId: 'so-noi-vu',
      grantedBy: people.director.id,
      delegateId: people.deptUnitHead.id,
      basis: 'Quyết định 15/QĐ-SNV',
      validFrom: '2026-01-01T00:00:00.000Z',
      validUntil: '2026-02-01T00:00:00.000Z',
    };
    expect(view({ ...people.deptUnitHead, delegations: [tuq] }, { document: toSign })).toEqual({
      actions: ['sign', 'returnDraft'],
      capacities: [{ kind: 'TUQ', delegationId: 'del-tuq' }],
    });
  });

  it('lets the clerk issue a signed document and send an issued one; other organisations nothing', () => {
    const signed = city(toSigned());
    expect(actions(people.cityClerk, { document: signed })).toEqual(['issue']);
    expect(actions(people.deptClerk, { document: signed })).toEqual([]);
    const issued = city([...toSigned(), issue]);
    expect(actions(people.cityClerk, { document: issued })).toEqual(['send']);
    expect(actions(people.deptClerk, { document: issued })).toEqual([]);
    // Sending asks for recipients when the draft named none: the clerk is offered it all the same.
    const unaddressed = city([...toSigned(createCommand({ recipients: [] })), issue]);
    expect(actions(people.cityClerk, { document: unaddressed })).toEqual(['send']);
  });

  it('lets the leaders of the organisation itself recall, not a unit head', () => {
    const issued = city([...toSigned(), issue]);
    expect(actions(people.chairman, { document: issued })).toEqual(['recall']);
    expect(actions(people.viceChairman, { document: issued })).toEqual(['recall']);
    const sent = sentDocument().doc;
    expect(actions(people.chairman, { document: sent })).toEqual(['recall']);
    // The clerk's step on a sent document: handing it to the organisation's archive.
    expect(actions(people.cityClerk, { document: sent })).toEqual(['archive']);
    const deptIssued = runOutgoing([
      [createCommand({ recipients: [{ to: WARD, purpose: 'action' }] }), people.deptSpecialist],
      [{ type: 'submit' }, people.deptSpecialist],
      [{ type: 'approve' }, people.director],
      [{ type: 'sign', capacity: { kind: 'own' }, documentSha256: 'a'.repeat(64) }, people.director],
      [issueCommand(), people.deptClerk],
    ]).doc;
    expect(actions(people.director, { document: deptIssued })).toEqual(['recall']);
    expect(actions(people.deptUnitHead, { document: deptIssued })).toEqual([]);
  });

  it('gives auditors and administrators nothing to do but read', () => {
    for (const document of [city([create, submit]), city(toSigned()), sentDocument().doc]) {
      expect(view(people.auditor, { document })).toEqual({ actions: [], capacities: [] });
      expect(view(people.admin, { document })).toEqual({ actions: [], capacities: [] });
    }
  });
});

describe('an incoming record, at the recipient', () => {
  const sent = sentDocument().doc;
  const lead = (assignee: Assignee) => ({
    type: 'assign' as const,
    lead: assignee,
    supporting: [],
    forInformation: [],
    deadline: '2026-12-01',
    note: 'Giao chủ trì xử lý',
  });
  const person = (who: Actor): Assignee => ({ kind: 'person', personId: who.id });

  function recordAfter(steps: [IncomingCommand, Actor][]): IncomingRecord {
    let record = arriveIncoming(sent, WARD, people.cityClerk, NOW, ctx).state;
    for (const [command, who] of steps) record = decideIncoming(record, command, who, NOW, ctx).state;
    return record;
  }
  const register: [IncomingCommand, Actor] = [
    { type: 'register', signatureCheck: { valid: true } },
    people.wardClerk,
  ];
  const present: [IncomingCommand, Actor] = [
    { type: 'present', toPersonId: people.wardChairman.id },
    people.wardClerk,
  ];
  const assignTo = (who: Assignee): [IncomingCommand, Actor] => [lead(who), people.wardChairman];
  const start = (who: Actor): [IncomingCommand, Actor] => [{ type: 'start' }, who];
  const mine = (record: IncomingRecord) => ({ document: sent, record });

  it('lets the clerk register an arrived document or return it to its sender', () => {
    const arrived = recordAfter([]);
    expect(actions(people.wardClerk, mine(arrived))).toEqual(['register', 'returnToSender']);
    expect(actions(people.wardChairman, mine(arrived))).toEqual([]);
  });

  it('lets clerks and leaders forward what is registered, and the leader assign what is presented', () => {
    const registered = recordAfter([register]);
    expect(actions(people.wardClerk, mine(registered))).toEqual(['forward']);
    expect(actions(people.wardChairman, mine(registered))).toEqual(['forward']);
    const presented = recordAfter([register, present]);
    expect(actions(people.wardChairman, mine(presented))).toEqual(['assign', 'forward']);
    expect(actions(people.wardClerk, mine(presented))).toEqual(['forward']);
    expect(actions(people.wardSpecialist, mine(presented))).toEqual([]);
  });

  it('lets the handler start and resolve; a leader of the organisation may resolve too', () => {
    const assigned = recordAfter([register, present, assignTo(person(people.wardSpecialist))]);
    expect(actions(people.wardSpecialist, mine(assigned))).toEqual(['start']);
    expect(actions(people.wardOtherSpecialist, mine(assigned))).toEqual([]);
    const inProgress = recordAfter([
      register,
      present,
      assignTo(person(people.wardSpecialist)),
      start(people.wardSpecialist),
    ]);
    expect(actions(people.wardSpecialist, mine(inProgress))).toEqual(['resolve']);
    expect(actions(people.wardOtherSpecialist, mine(inProgress))).toEqual([]);
    expect(actions(people.wardChairman, mine(inProgress))).toEqual(['resolve', 'forward']);
    // A unit head is a leader, but not of the organisation itself: forward, not resolve.
    expect(actions(people.wardUnitHead, mine(inProgress))).toEqual(['forward']);
  });

  it('counts a unit as the handler for each of its members', () => {
    const assigned = recordAfter([register, present, assignTo({ kind: 'unit', unitCode: 'VHXH' })]);
    expect(actions(people.wardSpecialist, mine(assigned))).toEqual(['start']);
    expect(actions(people.wardOtherSpecialist, mine(assigned))).toEqual([]);
  });

  it('does not let a clerk handle a document, even one assigned to them', () => {
    const assigned = recordAfter([register, present, assignTo(person(people.wardClerk))]);
    expect(actions(people.wardClerk, mine(assigned))).toEqual(['forward']);
  });

  it('offers nothing once the record is closed, and nothing on another organisation’s record', () => {
    const forwarded = recordAfter([register, [{ type: 'forward', to: ['so-y-te'] }, people.wardClerk]]);
    expect(actions(people.wardClerk, mine(forwarded))).toEqual([]);
    const returned = recordAfter([[{ type: 'return', reason: 'Gửi nhầm' }, people.wardClerk]]);
    expect(actions(people.wardClerk, mine(returned))).toEqual([]);
    const arrived = recordAfter([]);
    expect(actions(people.deptClerk, mine(arrived))).toEqual([]);
    // The sender's chairman sees the recipients' records but acts on the outgoing document only.
    expect(actions(people.chairman, mine(arrived))).toEqual(['recall']);
  });
});

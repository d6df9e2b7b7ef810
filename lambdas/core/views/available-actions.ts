import type { Caller } from '../domain/caller';
import { entitledCapacities, type SigningCapacity } from '../domain/capacity';
import { ZERO_HASH } from '../domain/common';
import { decideIncoming, type IncomingCommand, type IncomingRecord } from '../domain/incoming';
import { isJoint, nextSigningOrg } from '../domain/joint';
import {
  type DraftMetadata,
  decideOutgoing,
  type OutgoingCommand,
  type OutgoingDocument,
  previewIssue,
} from '../domain/outgoing';
import { DomainError } from '../errors';
import type { DocumentAction } from './document-view-schema';

/*
 * What a caller may do with a document now, asked of the state machines themselves: each action is tried
 * as its command against decideOutgoing / decideIncoming, with placeholder content where the command needs
 * some (a reason, an assignment, recipients). The rules live there only; nothing here knows a state or a
 * role.
 *
 * A refusal for who the caller is (403), where the document stands (409) or something missing (404) means
 * no. A 422 judges the placeholder content, which the person's form replaces with their own, so it means
 * yes: every rule of who and when is checked before any content in both decide functions.
 */

/** What the actions are asked about: the stored document as far as the caller's organisation is concerned. */
export interface ActionSubject {
  readonly documentId: string;
  readonly document?: OutgoingDocument;
  /** The caller's organisation's own record of the document, when it is a recipient. */
  readonly record?: IncomingRecord;
  /** A draft whose file is uploaded by presigned URL: its first file, or a new version of a draft. */
  readonly pendingUpload?: { readonly createdBy: string; readonly metadata: DraftMetadata };
}

export interface AvailableActions {
  /** In the order the web offers them; the first is the step the document waits for. */
  readonly actions: DocumentAction[];
  /** The signing capacities the caller may sign in now; empty unless `sign` is among the actions. */
  readonly capacities: SigningCapacity[];
}

/** A reason or note the command needs; never recorded, since nothing decided here is committed. */
const PLACEHOLDER_NOTE = '…';
/** Names no organisation: a forward is judged on who and when, the form chooses where to. */
const PLACEHOLDER_ORG = 'placeholder';

function allowed(decide: () => unknown): boolean {
  try {
    decide();
    return true;
  } catch (error) {
    if (error instanceof DomainError) return error.status === 422;
    throw error;
  }
}

function outgoingActions(caller: Caller, subject: ActionSubject, now: Date): AvailableActions {
  const { actor, directory } = caller;
  const doc = subject.document;
  const upload = subject.pendingUpload;
  const actions: DocumentAction[] = [];
  let capacities: SigningCapacity[] = [];
  if (!doc) {
    // The first file: for the person who started the draft, who becomes its drafter when the file arrives.
    if (upload?.createdBy !== actor.id) return { actions, capacities };
    const create: OutgoingCommand = {
      type: 'create',
      documentId: subject.documentId,
      ...upload.metadata,
      documentSha256: ZERO_HASH,
    };
    if (allowed(() => decideOutgoing(undefined, create, actor, now, { directory }))) actions.push('upload');
    return { actions, capacities };
  }
  const can = (command: OutgoingCommand) =>
    allowed(() => decideOutgoing(doc, command, actor, now, { directory }));

  if (can({ type: 'submit' })) actions.push('submit');
  const revise: OutgoingCommand = {
    type: 'revise',
    typeId: doc.typeId,
    subject: doc.subject,
    urgency: doc.urgency,
    deliverBy: doc.deliverBy,
    dueDate: doc.dueDate,
    draftingUnitCode: doc.draftingUnitCode,
    pageCount: doc.pageCount,
    recipients: doc.recipientTargets,
    documentSha256: doc.documentSha256,
  };
  if (upload && can(revise)) actions.push('replace');
  if (can({ type: 'approve' })) actions.push('approve');
  if (doc.placement && can({ type: 'place', placement: doc.placement })) actions.push('place');
  // A joint document is signed by each issuer's leader in turn (core/domain/joint.ts).
  const org = directory.find((isJoint(doc) && nextSigningOrg(doc)) || doc.orgId);
  if (org) {
    capacities = entitledCapacities(actor, actor.delegations ?? [], org, now, doc.typeId).filter((capacity) =>
      can({ type: 'sign', capacity, documentSha256: doc.documentSha256 }),
    );
    if (capacities.length > 0) actions.push('sign');
  }
  if (can({ type: 'return-for-revision', reason: PLACEHOLDER_NOTE })) actions.push('returnDraft');
  // The number and date the clerk would stamp now: the decision checks them against the same preview.
  const issue = (): OutgoingCommand => {
    const preview = previewIssue(doc, directory.get(doc.orgId), undefined, now);
    return {
      type: 'issue',
      number: preview.number,
      issuedOn: preview.issuedOn,
      documentSha256: doc.documentSha256,
    };
  };
  if (allowed(() => decideOutgoing(doc, issue(), actor, now, { directory }))) actions.push('issue');
  // A co-issuer's seal goes through the issue routes too.
  else if (isJoint(doc) && can({ type: 'seal', documentSha256: doc.documentSha256 })) actions.push('issue');
  if (can({ type: 'send' })) actions.push('send');
  if (can({ type: 'archive' })) actions.push('archive');
  if (can({ type: 'recall', reason: PLACEHOLDER_NOTE })) actions.push('recall');
  return { actions, capacities };
}

function incomingActions(caller: Caller, record: IncomingRecord, now: Date): DocumentAction[] {
  const { actor, directory } = caller;
  const can = (command: IncomingCommand) =>
    allowed(() => decideIncoming(record, command, actor, now, { directory }));
  const candidates: [DocumentAction, IncomingCommand][] = [
    ['register', { type: 'register', signatureCheck: { valid: true } }],
    ['returnToSender', { type: 'return', reason: PLACEHOLDER_NOTE }],
    [
      'assign',
      {
        type: 'assign',
        lead: { kind: 'person', personId: actor.id },
        supporting: [],
        forInformation: [],
        note: PLACEHOLDER_NOTE,
      },
    ],
    ['start', { type: 'start' }],
    ['resolve', { type: 'resolve' }],
    ['forward', { type: 'forward', to: [PLACEHOLDER_ORG] }],
  ];
  return candidates.filter(([, command]) => can(command)).map(([action]) => action);
}

/**
 * The actions the caller may take on the document now, and the capacities they may sign it in. Steps that
 * the web does not offer as a form of their own (archive, replace by another document, re-assign, present)
 * are left out; `resolve` is offered from IN_PROGRESS, as the state machine has it, though the resolve step
 * also starts a document its handler had not started.
 */
export function availableActions(caller: Caller, subject: ActionSubject, now: Date): AvailableActions {
  const outgoing = outgoingActions(caller, subject, now);
  const incoming =
    subject.record && subject.record.orgId === caller.actor.position.orgId
      ? incomingActions(caller, subject.record, now)
      : [];
  return { actions: [...outgoing.actions, ...incoming], capacities: outgoing.capacities };
}

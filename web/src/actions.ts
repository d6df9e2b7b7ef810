import type { Assignee, DocumentView, Me } from './api-types';

/*
 * Which actions to offer, from the person's role and the document's state (the rules of
 * lambdas/core/domain/outgoing.ts and incoming.ts). The API decides in the end: an action offered here
 * that the API refuses shows the API's reason.
 */

export type ActionId =
  | 'upload'
  | 'replace'
  | 'submit'
  | 'approve'
  | 'returnDraft'
  | 'sign'
  | 'issue'
  | 'send'
  | 'recall'
  | 'register'
  | 'returnToSender'
  | 'assign'
  | 'start'
  | 'resolve'
  | 'forward';

function isHandler(me: Me, handler: Assignee | undefined): boolean {
  if (!handler) return false;
  return handler.kind === 'person'
    ? handler.personId === me.id
    : me.position.unitCode !== undefined && handler.unitCode === me.position.unitCode;
}

export function availableActions(me: Me, view: DocumentView): ActionId[] {
  const role = me.position.role;
  if (role === 'auditor' || role === 'admin') return [];
  const actions: ActionId[] = [];
  const doc = view.document;
  const ownOrg = me.position.orgId;

  // Outgoing: the sender's own organisation.
  if (view.state === 'AWAITING_CONTENT' && view.upload) actions.push('upload');
  if (doc && doc.orgId === ownOrg) {
    const drafter = doc.drafterId === me.id;
    switch (doc.state) {
      case 'DRAFT':
        if (role === 'specialist' && drafter) {
          actions.push('submit');
          if (view.upload) actions.push('replace');
        }
        break;
      case 'UNDER_REVIEW':
        if (role === 'leader') actions.push('approve', 'returnDraft');
        break;
      case 'SUBMITTED_TO_SIGNER':
        if (role === 'leader' && (!doc.designatedSignerId || doc.designatedSignerId === me.id))
          actions.push('sign');
        if (role === 'leader') actions.push('returnDraft');
        break;
      case 'SIGNED':
        if (role === 'clerk') actions.push('issue');
        break;
      case 'ISSUED':
        if (role === 'clerk') actions.push('send');
        if (role === 'leader') actions.push('recall');
        break;
      case 'SENT':
      case 'ARCHIVED':
        if (role === 'leader') actions.push('recall');
        break;
    }
  }

  // Incoming: this organisation's own record of it.
  const record = view.record;
  if (record && record.orgId === ownOrg) {
    const handler = record.handler ?? record.assignment?.lead;
    switch (record.state) {
      case 'ARRIVED':
        if (role === 'clerk') actions.push('register', 'returnToSender');
        break;
      case 'REGISTERED':
        if (role === 'clerk' || role === 'leader') actions.push('forward');
        break;
      case 'PRESENTED':
        if (role === 'leader') actions.push('assign');
        if (role === 'clerk' || role === 'leader') actions.push('forward');
        break;
      case 'ASSIGNED':
        if (isHandler(me, handler)) actions.push('start');
        if (role === 'clerk' || role === 'leader') actions.push('forward');
        break;
      case 'IN_PROGRESS':
        if (isHandler(me, handler)) actions.push('resolve');
        if (role === 'clerk' || role === 'leader') actions.push('forward');
        break;
    }
  }
  return actions;
}

/** Actions that need no form: one confirmation. */
export const NEEDS_FORM: Readonly<Record<ActionId, boolean>> = {
  upload: true,
  replace: true,
  submit: false,
  approve: true,
  returnDraft: true,
  sign: true,
  issue: true,
  send: true,
  recall: true,
  register: true,
  returnToSender: true,
  assign: true,
  start: false,
  resolve: true,
  forward: true,
};

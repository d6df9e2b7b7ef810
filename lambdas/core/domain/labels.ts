import { type MessageCode, type MessageParams, messageList, messageText } from '../i18n/messages';
import type { LeaderRank, Role } from './directory';
import type { IncomingState, OutgoingState } from './states';

/*
 * Messages are rendered once, in the caller's language, from a code and params. A label (a state, an action)
 * travels as a reference to its `label_*` message (`…Name`), rendered in the same language as the message
 * around it; the machine value (`state`, `action`, `roles`) travels beside it for clients and tests.
 */

const OUTGOING_STATE_CODES = {
  DRAFT: 'label_outgoing_state_draft',
  UNDER_REVIEW: 'label_outgoing_state_under_review',
  SUBMITTED_TO_SIGNER: 'label_outgoing_state_submitted_to_signer',
  SIGNED: 'label_outgoing_state_signed',
  ISSUED: 'label_outgoing_state_issued',
  SENT: 'label_outgoing_state_sent',
  ARCHIVED: 'label_outgoing_state_archived',
  RECALLED: 'label_outgoing_state_recalled',
  REPLACED: 'label_outgoing_state_replaced',
} as const satisfies Record<OutgoingState, MessageCode>;

const INCOMING_STATE_CODES = {
  ARRIVED: 'label_incoming_state_arrived',
  RETURNED: 'label_incoming_state_returned',
  REGISTERED: 'label_incoming_state_registered',
  PRESENTED: 'label_incoming_state_presented',
  ASSIGNED: 'label_incoming_state_assigned',
  IN_PROGRESS: 'label_incoming_state_in_progress',
  RESOLVED: 'label_incoming_state_resolved',
  FORWARDED: 'label_incoming_state_forwarded',
  RECALLED: 'label_incoming_state_recalled',
} as const satisfies Record<IncomingState, MessageCode>;

/** `{state, stateName}` for an outgoing document's state. */
export function outgoingStateParams(state: OutgoingState): MessageParams {
  return { state, stateName: messageText(OUTGOING_STATE_CODES[state]) };
}

/** `{state, stateName}` for an incoming record's state. */
export function incomingStateParams(state: IncomingState): MessageParams {
  return { state, stateName: messageText(INCOMING_STATE_CODES[state]) };
}

const ACTION_CODES = {
  create: 'label_action_create',
  revise: 'label_action_revise',
  submit: 'label_action_submit',
  approve: 'label_action_approve',
  'return-for-revision': 'label_action_return_for_revision',
  sign: 'label_action_sign',
  issue: 'label_action_issue',
  seal: 'label_action_seal',
  send: 'label_action_send',
  archive: 'label_action_archive',
  'renew-archive': 'label_action_archive',
  recall: 'label_action_recall',
  replace: 'label_action_replace',
  correct: 'label_action_correct',
  'add-attachment': 'label_action_change_attachments',
  'remove-attachment': 'label_action_change_attachments',
  place: 'label_action_place',
  arrive: 'label_action_arrive',
  return: 'label_action_return',
  register: 'label_action_register',
  present: 'label_action_present',
  assign: 'label_action_assign',
  reassign: 'label_action_reassign',
  start: 'label_action_start',
  resolve: 'label_action_resolve',
  forward: 'label_action_forward',
  'recall-delivery': 'label_action_recall_delivery',
} as const satisfies Record<string, MessageCode>;
export type ActionName = keyof typeof ACTION_CODES;

/** `{action, actionName}`. */
export function actionParams(action: ActionName): MessageParams {
  return { action, actionName: messageText(ACTION_CODES[action]) };
}

const ROLE_CODES = {
  leader: 'label_role_leader',
  specialist: 'label_role_specialist',
  clerk: 'label_role_clerk',
  auditor: 'label_role_auditor',
  admin: 'label_role_admin',
} as const satisfies Record<Role, MessageCode>;

/** `{roles, rolesName}` for a list of roles, joined with "or". */
export function rolesParams(roles: readonly Role[]): MessageParams {
  return {
    roles: roles.join(','),
    rolesName: messageList(
      'join_or',
      roles.map((r) => messageText(ROLE_CODES[r])),
    ),
  };
}

const RANK_CODES = {
  head: 'label_rank_head',
  deputy: 'label_rank_deputy',
  'acting-head': 'label_rank_acting_head',
} as const satisfies Record<LeaderRank, MessageCode>;

/** `{holderName}` naming who holds a rank. */
export function rankLabelParams(rank: LeaderRank): MessageParams {
  return { holderName: messageText(RANK_CODES[rank]) };
}

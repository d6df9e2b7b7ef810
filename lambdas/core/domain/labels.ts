import { type MessageCode, renderMessage } from '../i18n/messages';
import type { LeaderRank, Role } from './directory';
import type { IncomingState, OutgoingState } from './states';

/**
 * Messages are rendered once, in the caller's language, from a code and params; the params are shared by
 * both templates. So a label that differs by language (a state, an action) travels as a `…Vi` / `…En` pair,
 * both taken from the `label_*` entries of the message catalogue.
 */
function pair(prefix: string, code: MessageCode): Record<string, string> {
  return { [`${prefix}Vi`]: renderMessage(code, 'vi'), [`${prefix}En`]: renderMessage(code, 'en') };
}

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

/** `{state, stateVi, stateEn}` for an outgoing document's state. */
export function outgoingStateParams(state: OutgoingState): Record<string, string> {
  return { state, ...pair('state', OUTGOING_STATE_CODES[state]) };
}

/** `{state, stateVi, stateEn}` for an incoming record's state. */
export function incomingStateParams(state: IncomingState): Record<string, string> {
  return { state, ...pair('state', INCOMING_STATE_CODES[state]) };
}

const ACTION_CODES = {
  create: 'label_action_create',
  revise: 'label_action_revise',
  submit: 'label_action_submit',
  approve: 'label_action_approve',
  'return-for-revision': 'label_action_return_for_revision',
  sign: 'label_action_sign',
  issue: 'label_action_issue',
  send: 'label_action_send',
  archive: 'label_action_archive',
  recall: 'label_action_recall',
  replace: 'label_action_replace',
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

/** `{action, actionVi, actionEn}`. */
export function actionParams(action: ActionName): Record<string, string> {
  return { action, ...pair('action', ACTION_CODES[action]) };
}

const ROLE_CODES = {
  leader: 'label_role_leader',
  specialist: 'label_role_specialist',
  clerk: 'label_role_clerk',
  auditor: 'label_role_auditor',
  admin: 'label_role_admin',
} as const satisfies Record<Role, MessageCode>;

/** `{roles, rolesVi, rolesEn}` for a list of roles, joined with "hoặc" / "or". */
export function rolesParams(roles: readonly Role[]): Record<string, string> {
  const join = (language: 'vi' | 'en') =>
    roles.map((r) => renderMessage(ROLE_CODES[r], language)).join(language === 'vi' ? ' hoặc ' : ' or ');
  return { roles: roles.join(','), rolesVi: join('vi'), rolesEn: join('en') };
}

const RANK_CODES = {
  head: 'label_rank_head',
  deputy: 'label_rank_deputy',
  'acting-head': 'label_rank_acting_head',
} as const satisfies Record<LeaderRank, MessageCode>;

/** `{holderVi, holderEn}` naming who holds a rank. */
export function rankLabelParams(rank: LeaderRank): Record<string, string> {
  return pair('holder', RANK_CODES[rank]);
}

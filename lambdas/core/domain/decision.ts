import { DomainError } from '../errors';
import { type MessageCode, type MessageParams, messageText } from '../i18n/messages';
import type { Actor } from './actor';
import type { Role } from './directory';
import type { EventDraft } from './events';
import { type ActionName, actionParams, rolesParams } from './labels';
import type { NumberingSeries } from './numbering';

/**
 * What a command decides: the aggregate's new state, the events to append (in order) and, when a number was
 * given out, the numbering series to store. The caller writes all of them in one transaction, on the
 * conditions that the aggregate's `version`, the series' `lastNumber` and the log's last `seq` are unchanged.
 */
export interface Decision<S> {
  readonly state: S;
  readonly events: readonly EventDraft[];
  readonly series?: NumberingSeries;
}

/** 403 unless the actor's role is one of `roles`. */
export function requireRole(actor: Actor, action: ActionName, roles: readonly Role[]): void {
  if (!roles.includes(actor.position.role))
    throw new DomainError('forbidden_role', 403, { ...actionParams(action), ...rolesParams(roles) });
}

/** 403 unless the actor works in the organisation the document (or record) belongs to. */
export function requireMember(actor: Actor, action: ActionName, orgId: string, orgName: string): void {
  if (actor.position.orgId !== orgId)
    throw new DomainError('forbidden_other_organisation', 403, { ...actionParams(action), orgName });
}

export function forbidden(code: MessageCode, action: ActionName, params: MessageParams = {}): DomainError {
  return new DomainError(code, 403, { ...actionParams(action), ...params });
}

/** 422 `validation_failed`, saying what is invalid with one of the `invalid_*` messages. */
export function invalid(
  code: Exclude<MessageCode & `invalid_${string}`, 'invalid_json'>,
  params?: MessageParams,
): DomainError {
  return new DomainError('validation_failed', 422, { detail: messageText(code, params) });
}

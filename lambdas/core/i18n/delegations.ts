import { DomainError, type ErrorStatus } from '../errors';
import { defineMessages, type MessageParams, type Translation } from './catalogue';

/*
 * The refusals of recording and revoking a TL./TUQ. delegation (core/domain/delegations.ts): a catalogue of
 * its own, carried only by the directory function that manages delegations (lambdas/core/i18n/README.md).
 * The refusals at signing time (a delegation revoked, ended or not yet in force) are in messages.ts, which
 * the signing function carries.
 */
const DELEGATION_TEXTS = {
  delegation_not_found: {
    vi: 'Không tìm thấy văn bản giao ký {id}.',
    en: 'Delegation {id} was not found.',
  },
  delegation_grant_forbidden: {
    vi: 'Chỉ người đứng đầu {orgName} hoặc quản trị hệ thống được giao ký thay (TL., TUQ.) cho {orgName}.',
    en: 'Only the head of {orgName} or a system administrator may delegate signing (TL., TUQ.) for {orgName}.',
  },
  delegation_to_oneself: {
    vi: 'Không thể tự giao ký cho chính mình.',
    en: 'You cannot delegate signing to yourself.',
  },
  delegation_delegate_not_leader: {
    vi: '{name} giữ chức vụ "{title}", không phải lãnh đạo; chỉ giao ký thay cho người có chức vụ lãnh đạo (người đứng đầu đơn vị, cấp phó).',
    en: '{name} holds the position "{title}", not a leader\'s; signing is delegated only to a leader (the head of a unit or a deputy).',
  },
  delegation_delegate_is_head: {
    vi: '{name} là người đứng đầu {orgName}, đã ký với thẩm quyền của mình; không cần giao ký thay.',
    en: '{name} heads {orgName} and signs on their own authority; no delegation is needed.',
  },
  delegation_delegate_unknown: {
    vi: 'Không có người dùng {id} trong danh bạ.',
    en: 'There is no user {id} in the directory.',
  },
  delegation_already_revoked: {
    vi: 'Văn bản giao ký {id} đã bị thu hồi lúc {time}.',
    en: 'Delegation {id} was already revoked at {time}.',
  },
  delegation_already_ended: {
    vi: 'Văn bản giao ký {id} đã hết hiệu lực lúc {time}; không cần thu hồi.',
    en: 'Delegation {id} already ended at {time}; there is nothing to revoke.',
  },
  delegation_ends_before_start: {
    vi: 'Thời hạn giao ký kết thúc lúc {time}, trước khi bắt đầu; hãy kiểm tra lại ngày hết hiệu lực.',
    en: 'The delegation would end at {time}, before it starts; check its end date.',
  },
  delegation_list_forbidden: {
    vi: 'Chỉ người đứng đầu {orgName}, kiểm soát viên hoặc quản trị hệ thống được xem danh sách giao ký thay của {orgName}.',
    en: 'Only the head of {orgName}, an auditor or a system administrator may see the delegations of {orgName}.',
  },
} as const satisfies Record<string, Translation>;

export const delegationMessages = /* @__PURE__ */ defineMessages(DELEGATION_TEXTS);
export type DelegationCode = keyof typeof DELEGATION_TEXTS;

/** A refusal about a delegation; its parameters are values (names, ids, titles, times). */
export const delegationError = (
  code: DelegationCode,
  status: ErrorStatus,
  params?: MessageParams<never>,
): DomainError => new DomainError(code, status, params, delegationMessages);

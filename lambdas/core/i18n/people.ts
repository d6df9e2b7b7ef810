import { DomainError, type ErrorStatus } from '../errors';
import { defineMessages, type MessageParams, type Translation } from './catalogue';

/*
 * The administration of people (lambdas/use-cases/people.ts): adding a person, recording a departure and
 * whom an administrator may change. A catalogue of its own, carried by the directory function only
 * (lambdas/core/i18n/README.md).
 */
const PEOPLE_TEXTS = {
  person_exists: {
    vi: 'Đã có người dùng mang mã {id}; hãy chọn mã khác.',
    en: 'There is already a user with id {id}; choose another id.',
  },
  person_departed: {
    vi: 'Người dùng {id} đã nghỉ việc từ {at}; không thể thay đổi nữa.',
    en: 'User {id} left on {at}; they can no longer be changed.',
  },
  person_added_guarded: {
    vi: 'Không thể thêm người mới với vai trò quản trị hệ thống hay kiểm soát viên; hãy thêm với vai trò khác rồi lập yêu cầu giao vị trí để một quản trị viên khác phê duyệt.',
    en: 'A new person cannot be added as an administrator or auditor; add them with another role, then request that position for another administrator to approve.',
  },
  successor_invalid: {
    vi: 'Người tiếp nhận công việc phải là một người khác đang công tác tại {orgName}.',
    en: 'The successor must be another person currently working at {orgName}.',
  },
  reason_other_organisation: {
    vi: 'quản trị hệ thống chỉ quản lý cán bộ của cơ quan mình và các đơn vị trực thuộc',
    en: 'an administrator manages only the people of their own organisation and the bodies under it',
  },
  reason_own_departure: {
    vi: 'không ai được tự ghi nhận việc nghỉ của chính mình',
    en: 'nobody may record their own departure',
  },
} as const satisfies Record<string, Translation>;

export const peopleMessages = /* @__PURE__ */ defineMessages(PEOPLE_TEXTS);
export type PeopleCode = keyof typeof PEOPLE_TEXTS;

/** A refusal about administering people; its parameters are values (ids, names, times). */
export const peopleError = (
  code: PeopleCode,
  status: ErrorStatus,
  params?: MessageParams<never>,
): DomainError => new DomainError(code, status, params, peopleMessages);

/** A `forbidden` refusal whose reason is from this catalogue (rendered in the caller's language). */
export const peopleForbidden = (reason: 'reason_other_organisation' | 'reason_own_departure'): DomainError =>
  new DomainError('forbidden', 403, { reason: { vi: PEOPLE_TEXTS[reason].vi, en: PEOPLE_TEXTS[reason].en } });

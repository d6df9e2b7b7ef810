import { DomainError, type ErrorStatus } from '../errors';
import { defineMessages, type MessageParams, type Translation } from './catalogue';

/*
 * Joint documents (văn bản liên tịch): the refusals about who co-issues, who signs and seals next, and
 * sending before every issuer has sealed. A catalogue of its own (lambdas/core/i18n/README.md); its
 * parameters are values (organisation names).
 */
const JOINT_TEXTS = {
  joint_co_issuer_unknown: {
    vi: 'Không có cơ quan {orgId} trong danh bạ để cùng ban hành văn bản liên tịch.',
    en: 'There is no organisation {orgId} in the directory to co-issue the joint document.',
  },
  joint_co_issuer_is_lead: {
    vi: '{orgName} là cơ quan chủ trì; chỉ chọn các cơ quan khác cùng ban hành.',
    en: '{orgName} leads the document; choose only the other organisations that co-issue it.',
  },
  joint_co_issuer_twice: {
    vi: '{orgName} được chọn hai lần làm cơ quan cùng ban hành.',
    en: '{orgName} is chosen twice as a co-issuer.',
  },
  joint_not_your_turn_sign: {
    vi: 'Văn bản liên tịch này đang chờ lãnh đạo {orgName} ký; bạn không thuộc {orgName}.',
    en: "This joint document awaits the signature of {orgName}'s leader; you are not of {orgName}.",
  },
  joint_not_your_turn_seal: {
    vi: 'Văn bản liên tịch này đang chờ văn thư {orgName} đóng dấu; bạn không thuộc {orgName}.',
    en: "This joint document awaits the seal of {orgName}'s clerk; you are not of {orgName}.",
  },
  joint_all_sealed: {
    vi: 'Mọi cơ quan ban hành đã đóng dấu văn bản liên tịch này.',
    en: 'Every issuing organisation has already sealed this joint document.',
  },
  joint_not_joint: {
    vi: 'Văn bản này không phải văn bản liên tịch; văn thư phát hành văn bản bằng thao tác phát hành.',
    en: 'This is not a joint document; the clerk issues it with the issue action.',
  },
  joint_no_room: {
    vi: 'Trang ký của văn bản liên tịch không còn chỗ trống cho chữ ký và dấu của cơ quan cùng ban hành; hãy để thêm khoảng trống dưới nội dung của dự thảo.',
    en: "The joint document's signature page has no free room for a co-issuer's signature and seal; leave more space below the draft's text.",
  },
  joint_not_all_sealed: {
    vi: 'Chưa gửi được: văn bản liên tịch còn chờ đóng dấu của {orgNames}.',
    en: 'Not sent yet: the joint document still awaits the seal of {orgNames}.',
  },
} as const satisfies Record<string, Translation>;

export const jointMessages = /* @__PURE__ */ defineMessages(JOINT_TEXTS);
export type JointCode = keyof typeof JOINT_TEXTS;

/** A refusal about a joint document; its parameters are values (names, ids). */
export const jointError = (
  code: JointCode,
  status: ErrorStatus,
  params?: MessageParams<never>,
): DomainError => new DomainError(code, status, params, jointMessages);

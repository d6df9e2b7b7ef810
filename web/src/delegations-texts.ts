import { defineMessages, type Language } from '../../lambdas/core/i18n/catalogue';

/* The delegations screen's texts (DelegationsPage.tsx): a catalogue of its own, in the shape of every other. */
export const delegationScreenMessages = defineMessages({
  nav: { vi: 'Giao ký thay', en: 'Delegations' },
  title: { vi: 'Giao ký thừa lệnh, thừa ủy quyền', en: 'Signing by order and by authorisation' },
  intro: {
    vi: 'Người đứng đầu giao cho lãnh đạo khác ký thừa lệnh (TL.) hoặc thừa ủy quyền (TUQ.) theo Điều 13 Nghị định 30/2020/NĐ-CP. Người được giao ký bằng chứng thư số của chính mình; mỗi lần giao và thu hồi được ghi vào nhật ký quản trị.',
    en: 'The head lets another leader sign by order (TL.) or by authorisation (TUQ.) under Decree 30/2020/ND-CP, Article 13. The delegate signs with their own certificate; each grant and revocation is written to the administration log.',
  },
  organisation: { vi: 'Cơ quan', en: 'Organisation' },
  kind: { vi: 'Hình thức', en: 'Kind' },
  kind_TL: { vi: 'TL. – thừa lệnh', en: 'TL. – by order' },
  kind_TUQ: { vi: 'TUQ. – thừa ủy quyền (có thời hạn)', en: 'TUQ. – by authorisation (time-limited)' },
  delegate: { vi: 'Người được giao (mã người dùng)', en: 'Delegate (user id)' },
  delegateHint: {
    vi: 'Lãnh đạo được giao ký, ví dụ Chánh Văn phòng; có thể thuộc cơ quan khác.',
    en: 'The leader who will sign, e.g. the Chief of Office; they may belong to another organisation.',
  },
  basis: { vi: 'Căn cứ (quy chế, quyết định)', en: 'Basis (working rules, decision)' },
  validFrom: { vi: 'Hiệu lực từ', en: 'In force from' },
  validUntil: { vi: 'Đến hết', en: 'Until' },
  validUntilHint: {
    vi: 'Bắt buộc với TUQ.; để trống với TL. không thời hạn.',
    en: 'Required for TUQ.; leave empty for an open-ended TL.',
  },
  types: { vi: 'Loại văn bản (để trống: mọi loại)', en: 'Document types (empty: every type)' },
  signerTitle: {
    vi: 'Chức danh in trên chữ ký (nếu khác)',
    en: 'Title printed on the signature (if different)',
  },
  create: { vi: 'Giao ký', en: 'Delegate' },
  created: { vi: 'Đã giao ký cho {name}.', en: 'Signing delegated to {name}.' },
  revoke: { vi: 'Thu hồi', en: 'Revoke' },
  revokeConfirm: {
    vi: 'Thu hồi việc giao ký cho {name}? Từ lúc này người đó không ký thay được nữa; các văn bản đã ký vẫn giữ hiệu lực.',
    en: 'Revoke the delegation to {name}? From now on they can no longer sign; documents already signed stay valid.',
  },
  revoked: { vi: 'Đã thu hồi việc giao ký cho {name}.', en: 'The delegation to {name} was revoked.' },
  empty: { vi: 'Chưa có việc giao ký nào.', en: 'No delegations yet.' },
  col_delegate: { vi: 'Người được giao', en: 'Delegate' },
  col_kind: { vi: 'Hình thức', en: 'Kind' },
  col_period: { vi: 'Thời hạn', en: 'Period' },
  col_basis: { vi: 'Căn cứ', en: 'Basis' },
  col_status: { vi: 'Trạng thái', en: 'Status' },
  col_actions: { vi: 'Thao tác', en: 'Actions' },
  status_active: { vi: 'Đang hiệu lực', en: 'In force' },
  status_pending: { vi: 'Chưa đến thời hạn', en: 'Not yet in force' },
  status_ended: { vi: 'Hết hiệu lực', en: 'Ended' },
  status_revoked: { vi: 'Đã thu hồi', en: 'Revoked' },
  openEnded: { vi: 'không thời hạn', en: 'open-ended' },
});

export type DelegationScreenKey = (typeof delegationScreenMessages.codes)[number];

export const delegationScreenTranslator =
  (language: Language) => (key: DelegationScreenKey, params?: Readonly<Record<string, string | number>>) =>
    delegationScreenMessages.render(key, language, params);

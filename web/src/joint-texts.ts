import { defineMessages, type Language } from '../../lambdas/core/i18n/catalogue';

/* Joint documents' texts (JointIssuers.tsx): a catalogue of its own, in the shape of every other. */
export const jointMessages = defineMessages({
  coIssuersSummary: {
    vi: 'Văn bản liên tịch (cùng cơ quan khác ban hành)',
    en: 'Joint document (issued with other organisations)',
  },
  coIssuersLegend: {
    vi: 'Văn bản liên tịch: cơ quan cùng ban hành (nếu có)',
    en: 'Joint document: co-issuing organisations (if any)',
  },
  coIssuersHint: {
    vi: 'Cơ quan của bạn chủ trì và cấp số; lãnh đạo từng cơ quan ký lần lượt theo thứ tự chọn, văn thư từng cơ quan đóng dấu.',
    en: "Your organisation leads and numbers it; each organisation's leader signs in the order chosen, and each one's clerk seals.",
  },
  issuersTitle: { vi: 'Cơ quan ban hành (liên tịch)', en: 'Issuing organisations (joint)' },
  lead: { vi: 'chủ trì', en: 'lead' },
  signedBy: { vi: 'Đã ký: {name}', en: 'Signed: {name}' },
  notSigned: { vi: 'Chưa ký', en: 'Not signed yet' },
  sealed: { vi: 'Đã đóng dấu', en: 'Sealed' },
  notSealed: { vi: 'Chưa đóng dấu', en: 'Not sealed yet' },
  sealAction: { vi: 'Đóng dấu văn bản liên tịch', en: 'Seal the joint document' },
});

export type JointKey = (typeof jointMessages.codes)[number];

export const jointTranslator =
  (language: Language) => (key: JointKey, params?: Readonly<Record<string, string | number>>) =>
    jointMessages.render(key, language, params);

import * as z from 'zod';
import { storable } from './common';

/**
 * Administrative document types and their abbreviations (D30 Art.7 and Appendix III). Công văn has no
 * type abbreviation: its symbol is issuer + drafting unit instead. Copies (sao y SY, trích sao TrS, sao lục SL)
 * are copy forms, not types, and are not listed.
 */
export const DOCUMENT_TYPES = [
  { id: 'nghi-quyet', name: 'Nghị quyết', abbreviation: 'NQ' },
  { id: 'quyet-dinh', name: 'Quyết định', abbreviation: 'QĐ' },
  { id: 'chi-thi', name: 'Chỉ thị', abbreviation: 'CT' },
  { id: 'quy-che', name: 'Quy chế', abbreviation: 'QC' },
  { id: 'quy-dinh', name: 'Quy định', abbreviation: 'QyĐ' },
  { id: 'thong-cao', name: 'Thông cáo', abbreviation: 'TC' },
  { id: 'thong-bao', name: 'Thông báo', abbreviation: 'TB' },
  { id: 'huong-dan', name: 'Hướng dẫn', abbreviation: 'HD' },
  { id: 'chuong-trinh', name: 'Chương trình', abbreviation: 'CTr' },
  { id: 'ke-hoach', name: 'Kế hoạch', abbreviation: 'KH' },
  { id: 'phuong-an', name: 'Phương án', abbreviation: 'PA' },
  { id: 'de-an', name: 'Đề án', abbreviation: 'ĐA' },
  { id: 'du-an', name: 'Dự án', abbreviation: 'DA' },
  { id: 'bao-cao', name: 'Báo cáo', abbreviation: 'BC' },
  { id: 'bien-ban', name: 'Biên bản', abbreviation: 'BB' },
  { id: 'to-trinh', name: 'Tờ trình', abbreviation: 'TTr' },
  { id: 'hop-dong', name: 'Hợp đồng', abbreviation: 'HĐ' },
  { id: 'cong-van', name: 'Công văn', abbreviation: null },
  { id: 'cong-dien', name: 'Công điện', abbreviation: 'CĐ' },
  { id: 'ban-ghi-nho', name: 'Bản ghi nhớ', abbreviation: 'BGN' },
  { id: 'ban-thoa-thuan', name: 'Bản thỏa thuận', abbreviation: 'BTT' },
  { id: 'giay-uy-quyen', name: 'Giấy ủy quyền', abbreviation: 'GUQ' },
  { id: 'giay-moi', name: 'Giấy mời', abbreviation: 'GM' },
  { id: 'giay-gioi-thieu', name: 'Giấy giới thiệu', abbreviation: 'GGT' },
  { id: 'giay-nghi-phep', name: 'Giấy nghỉ phép', abbreviation: 'GNP' },
  { id: 'phieu-gui', name: 'Phiếu gửi', abbreviation: 'PG' },
  { id: 'phieu-chuyen', name: 'Phiếu chuyển', abbreviation: 'PC' },
  { id: 'phieu-bao', name: 'Phiếu báo', abbreviation: 'PB' },
] as const satisfies readonly { id: string; name: string; abbreviation: string | null }[];

export type DocumentType = (typeof DOCUMENT_TYPES)[number];
export type DocumentTypeId = DocumentType['id'];

const TYPE_IDS = DOCUMENT_TYPES.map((t) => t.id) as [DocumentTypeId, ...DocumentTypeId[]];
export const DocumentTypeIdSchema = z.enum(TYPE_IDS).describe('Document type (D30 Appendix III)');

const BY_ID: ReadonlyMap<string, DocumentType> = new Map(DOCUMENT_TYPES.map((t) => [t.id, t]));

export function documentType(id: DocumentTypeId): DocumentType {
  const type = BY_ID.get(id);
  if (!type) throw new Error(`unknown document type ${id}`);
  return type;
}

/**
 * Urgency (độ khẩn, D30 Art.9 and PL I): thường, khẩn, thượng khẩn, hỏa tốc, hỏa tốc hẹn giờ. Urgent documents
 * are registered, issued and passed on at once. `exchangePriority` is the edXML OtherInfo/Priority value.
 */
export const URGENCIES = {
  normal: { name: 'Thường', exchangePriority: 0 },
  urgent: { name: 'Khẩn', exchangePriority: 1 },
  'very-urgent': { name: 'Thượng khẩn', exchangePriority: 2 },
  flash: { name: 'Hỏa tốc', exchangePriority: 3 },
  'flash-timed': { name: 'Hỏa tốc hẹn giờ', exchangePriority: 4 },
} as const;
export const UrgencySchema = z.enum(['normal', 'urgent', 'very-urgent', 'flash', 'flash-timed']);
export type Urgency = z.infer<typeof UrgencySchema>;

/** True for every urgency above normal: such documents are handled at once. */
export function isUrgent(urgency: Urgency): boolean {
  return urgency !== 'normal';
}

/** The subject line (trích yếu), at most 500 characters (PL VI). */
export const SubjectSchema = storable(z.string().trim().min(1).max(500), { multiline: true }).describe(
  'Subject (trích yếu), at most 500 characters',
);

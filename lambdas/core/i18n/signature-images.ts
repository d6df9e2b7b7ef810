import { DomainError, type ErrorStatus } from '../errors';
import { defineMessages, type MessageParams, type Translation } from './catalogue';

/*
 * The refusals of an official's signature image (lambdas/core/domain/signature-image.ts, its upload and
 * who may see it): a catalogue of its own, carried only by the functions that take signature images, as
 * each DomainError made here renders from it (lambdas/core/i18n/README.md).
 */
const SIGNATURE_IMAGE_TEXTS = {
  signature_image_upload_missing: {
    vi: 'Chưa có ảnh chữ ký được tải lên theo mã này; hãy tải ảnh lên địa chỉ đã cấp rồi thử lại.',
    en: 'No signature image has been uploaded under this id; upload it to the URL given, then try again.',
  },
  signature_image_too_large: {
    vi: 'Ảnh chữ ký quá lớn: {size} byte (tối đa {limit} byte).',
    en: 'The signature image is too large: {size} bytes (at most {limit}).',
  },
  signature_image_not_png: {
    vi: 'Tệp không phải ảnh PNG. Ảnh chữ ký phải là tệp .png nền trong suốt.',
    en: 'The file is not a PNG image. A signature image must be a .png file with a transparent background.',
  },
  signature_image_damaged: {
    vi: 'Ảnh PNG bị hỏng hoặc chưa tải lên hết: {detail}',
    en: 'The PNG image is damaged or incompletely uploaded: {detail}',
  },
  signature_image_unsupported: {
    vi: 'Chưa hỗ trợ kiểu ảnh PNG này ({detail}); hãy lưu lại ảnh ở dạng PNG 8 bit thông thường, không xen kẽ (interlace).',
    en: 'This kind of PNG is not supported ({detail}); save the image again as an ordinary 8-bit, non-interlaced PNG.',
  },
  signature_image_dimensions: {
    vi: 'Ảnh chữ ký có kích thước {width}×{height} điểm ảnh; cần rộng từ {minWidth} đến {maxWidth} và cao từ {minHeight} đến {maxHeight} điểm ảnh.',
    en: 'The signature image is {width}×{height} pixels; it must be {minWidth} to {maxWidth} wide and {minHeight} to {maxHeight} high.',
  },
  signature_image_not_transparent: {
    vi: 'Ảnh chữ ký phải có nền trong suốt (Nghị định 30/2020/NĐ-CP, Phụ lục I); ảnh này chỉ có {percent}% điểm ảnh trong suốt, nền sẽ che nội dung văn bản.',
    en: 'A signature image must have a transparent background (Decree 30/2020, Appendix I); only {percent}% of this one is transparent, so it would hide the text beneath.',
  },
  signature_image_empty: {
    vi: 'Ảnh không có nét chữ ký nào (gần như trong suốt hoàn toàn).',
    en: 'The image shows no signature (it is almost entirely transparent).',
  },
  signature_image_not_blue: {
    vi: 'Chữ ký trên ảnh phải màu xanh (Nghị định 30/2020/NĐ-CP, Phụ lục I); màu trung bình của nét chữ ký là {color}.',
    en: 'The signature must be in blue ink (Decree 30/2020, Appendix I); the strokes average {color}.',
  },
} as const satisfies Record<string, Translation>;

export const signatureImageMessages = /* @__PURE__ */ defineMessages(SIGNATURE_IMAGE_TEXTS);
export type SignatureImageCode = keyof typeof SIGNATURE_IMAGE_TEXTS;

/** A refusal about a signature image; its parameters are values (numbers, ids, technical details). */
export const signatureImageError = (
  code: SignatureImageCode,
  status: ErrorStatus,
  params?: MessageParams<never>,
): DomainError => new DomainError(code, status, params, signatureImageMessages);

/**
 * `Content-Disposition: attachment` for a file name people read, Vietnamese letters included (RFC 6266):
 * `filename*` carries it in UTF-8, `filename` an ASCII fallback for clients that read only that one.
 */
export function attachmentDisposition(fileName: string): string {
  const name = fileName.normalize('NFC');
  const ascii = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]|["\\]/g, '_');
  // RFC 5987's attr-char: what encodeURIComponent leaves alone, less the few it allows and attr-char does not.
  const encoded = encodeURIComponent(name).replace(
    /['()*!]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

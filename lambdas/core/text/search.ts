/**
 * Search as Vietnamese readers type it: lower case, with or without accents (đ → d). Shared by the inbox
 * search on the server and the web, so both find the same documents.
 */

/** Lower case without diacritics (đ → d). */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
}

/** Whether every word of the query appears in one of the texts (accent- and case-insensitive). */
export function matches(query: string, ...texts: readonly (string | number | undefined)[]): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = fold(texts.filter((t) => t !== undefined).join(' '));
  return words.every((word) => haystack.includes(word));
}

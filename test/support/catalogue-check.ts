/*
 * What every message catalogue (lambdas/core/i18n, web/src/i18n.ts) must hold to, as one function the
 * server's and the web's tests both run: each message in both languages, not empty, with the same
 * parameters, English without Vietnamese letters, Vietnamese that reads as Vietnamese.
 */

/** Letters Vietnamese writes with its diacritics, and đ. */
export const VIETNAMESE_LETTER = /[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/iu;

/** The same without the accents English keeps in loanwords (café, communiqué): Vietnamese in English text. */
export const VIETNAMESE_ONLY_LETTER = /[ảãạăằắẳẵặâầấẩẫậđẻẽẹêềếểễệỉĩịỏõọôồốổỗộơờớởỡợủũụưừứửữựỳỷỹỵ]/iu;

/**
 * Words an English sentence cannot do without and Vietnamese never writes without diacritics (so not "to",
 * "in", "an", "do", "can", "may", "no": those are Vietnamese words too).
 */
const ENGLISH_WORDS =
  /\b(the|is|are|was|were|of|and|not|with|for|only|cannot|does|has|have|this|that|from|must|been|which|your|you|will|should|please|there|its|it|by|or|be)\b/i;

/** A word only English would write, if the text has one. */
export const englishWordIn = (text: string): string | undefined => ENGLISH_WORDS.exec(text)?.[0];

const PARAM = /\{(\w+)\}/g;

const paramsOf = (template: string) => [...new Set([...template.matchAll(PARAM)].map((m) => m[1]))].sort();

/** The text a reader sees around the parameters, without quoted names (“…”, "…") that stay as they are. */
const prose = (template: string) =>
  template
    .replace(PARAM, ' ')
    .replace(/“[^”]*”|"[^"]*"/g, ' ')
    .trim();

export interface CatalogueExceptions {
  /** Codes whose English may hold Vietnamese (e.g. the button that switches to Vietnamese), with why. */
  readonly vietnameseInEnglish?: Readonly<Record<string, string>>;
  /** Codes whose Vietnamese may read as another language (names, the switch to English), with why. */
  readonly notVietnamese?: Readonly<Record<string, string>>;
}

/** Every problem found in a catalogue, one line each; empty when it is complete and unmixed. */
export function catalogueProblems(
  catalogue: Readonly<Record<string, { readonly vi: unknown; readonly en: unknown }>>,
  exceptions: CatalogueExceptions = {},
): string[] {
  const problems: string[] = [];
  for (const [code, entry] of Object.entries(catalogue)) {
    const { vi, en } = entry;
    if (typeof vi !== 'string' || vi.trim() === '') {
      problems.push(`${code}: no Vietnamese`);
      continue;
    }
    if (typeof en !== 'string' || en.trim() === '') {
      problems.push(`${code}: no English`);
      continue;
    }
    if (paramsOf(vi).join() !== paramsOf(en).join())
      problems.push(`${code}: parameters differ (vi {${paramsOf(vi)}}, en {${paramsOf(en)}})`);
    if (VIETNAMESE_ONLY_LETTER.test(prose(en)) && !exceptions.vietnameseInEnglish?.[code])
      problems.push(`${code}: Vietnamese letters in the English text: ${en}`);
    const viProse = prose(vi);
    // A text of parameters and punctuation only ("{a}; {b}") is in no language.
    if (/\p{L}/u.test(viProse) && !exceptions.notVietnamese?.[code]) {
      if (!VIETNAMESE_LETTER.test(viProse))
        problems.push(`${code}: the Vietnamese text is not Vietnamese: ${vi}`);
      const english = ENGLISH_WORDS.exec(viProse);
      if (english) problems.push(`${code}: English ("${english[0]}") in the Vietnamese text: ${vi}`);
    }
  }
  return problems;
}

import type { ZodType } from 'zod';
// Named locale imports: `z.locales` would pull every locale zod ships into each Lambda bundle.
import { en, vi } from 'zod/locales';
import { DomainError } from '../core/errors';
import type { Localized } from '../core/i18n/catalogue';
import { type Language, type MessageParam, messageList, messages } from '../core/i18n/messages';

const locales = { vi: vi(), en: en() } as const;

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

/** An issue in one language: a custom issue of our schemas names its message (`issueMessage`). */
function issueText(issue: Issue, language: Language): string {
  const own = issue.params?.message as { code?: unknown } | undefined;
  const text =
    typeof own?.code === 'string' && messages.has(own.code)
      ? messages.renderParam(own as MessageParam, language)
      : issue.message;
  return issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${text}` : text;
}

/**
 * Validates input at the API boundary; a failure is a 400 `validation_failed` naming every issue, in
 * Vietnamese and in English (zod's texts from its locale of each language, ours from the message
 * catalogue), so the error renders wholly in whichever language the caller reads.
 */
export function parseInput<T>(schema: ZodType<T>, data: unknown, language: Language): T {
  const result = schema.safeParse(data, { error: locales[language].localeError });
  if (result.success) return result.data;
  // Only on failure: the same parse with the other language's texts (same schema, same data, same issues).
  const other: Language = language === 'vi' ? 'en' : 'vi';
  const again = schema.safeParse(data, { error: locales[other].localeError });
  const issues: Record<Language, readonly Issue[]> = {
    vi: language === 'vi' ? result.error.issues : (again.error?.issues ?? result.error.issues),
    en: language === 'en' ? result.error.issues : (again.error?.issues ?? result.error.issues),
  };
  const details = result.error.issues.map(
    (issue, i): Localized => ({
      vi: issueText(issues.vi[i] ?? issue, 'vi'),
      en: issueText(issues.en[i] ?? issue, 'en'),
    }),
  );
  throw new DomainError('validation_failed', 400, { detail: messageList('join_semicolon', details) });
}

import type { ZodType } from 'zod';
// Named locale imports: `z.locales` would pull every locale zod ships into each Lambda bundle.
import { en, vi } from 'zod/locales';
import { DomainError } from '../core/errors';
import type { Language } from '../core/i18n/messages';

const locales = { vi: vi(), en: en() } as const;

/** Validates input at the API boundary; failures become a 400 whose text is in the caller's language. */
export function parseInput<T>(schema: ZodType<T>, data: unknown, language: Language): T {
  const result = schema.safeParse(data, { error: locales[language].localeError });
  if (result.success) return result.data;
  const detail = result.error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
  throw new DomainError('validation_failed', 400, { detail });
}

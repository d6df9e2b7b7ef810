import type * as z from 'zod';
import type { ZodType } from 'zod';
// Named locale imports: `z.locales` would pull every locale zod ships into each Lambda bundle.
import { en, vi } from 'zod/locales';
import { DomainError } from '../core/errors';
import { type Language, type MessageCode, messages, renderMessage } from '../core/i18n/messages';

const locales = { vi: vi(), en: en() } as const;

/**
 * Zod's messages in the caller's language, and ours for refinements that name a message code in their
 * params (`storable` text in core/domain/common.ts), rendered with those params.
 */
function errorMap(language: Language): z.core.$ZodErrorMap {
  return (issue) => {
    const code = issue.code === 'custom' ? issue.params?.messageCode : undefined;
    if (typeof code === 'string' && code in messages) {
      const params: Record<string, string | number> = {};
      for (const [key, value] of Object.entries(issue.params ?? {})) {
        if (typeof value === 'string' || typeof value === 'number') params[key] = value;
      }
      return renderMessage(code as MessageCode, language, params);
    }
    return locales[language].localeError(issue);
  };
}

const errorMaps = { vi: errorMap('vi'), en: errorMap('en') } as const;

/** Validates input at the API boundary; failures become a 400 whose text is in the caller's language. */
export function parseInput<T>(schema: ZodType<T>, data: unknown, language: Language): T {
  const result = schema.safeParse(data, { error: errorMaps[language] });
  if (result.success) return result.data;
  const detail = result.error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
  throw new DomainError('validation_failed', 400, { detail });
}

import * as z from 'zod';
import { text as messageRef } from '../i18n/catalogue';
import type { MessageCode } from '../i18n/messages';

/** Why a piece of text cannot be stored, signed and printed as it is. */
export interface TextFault {
  readonly code: Extract<MessageCode, 'text_lone_surrogate' | 'text_control_character'>;
  /** 1-based, in UTF-16 code units (what a string's length counts). */
  readonly position: number;
  readonly codePoint: string;
}

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * The first fault of `text`, or undefined when it has none. A lone surrogate is not Unicode: canonical JSON
 * (the signed log) and UTF-8 refuse it, so a document titled with one could never be recorded. Control
 * characters (C0 but tab and line breaks where several lines are allowed, DEL, C1) print as nothing or as
 * garbage in a PDF and a register; the bidirectional overrides and isolates reorder what a reader sees.
 */
export function textFault(text: string, multiline: boolean): TextFault | undefined {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return { code: 'text_lone_surrogate', position: i + 1, codePoint: hex(code) };
    }
    if (code >= 0xdc00 && code <= 0xdfff)
      return { code: 'text_lone_surrogate', position: i + 1, codePoint: hex(code) };
    const lineBreakOrTab = code === 0x09 || code === 0x0a || code === 0x0d;
    const control =
      (code < 0x20 && !(multiline && lineBreakOrTab)) ||
      (code >= 0x7f && code <= 0x9f) ||
      (code >= 0x202a && code <= 0x202e) ||
      (code >= 0x2066 && code <= 0x2069);
    if (control) return { code: 'text_control_character', position: i + 1, codePoint: hex(code) };
  }
  return undefined;
}

/**
 * `schema` refusing text with a fault (see textFault). The issue carries its message as a reference
 * (`params.message`, as `issueMessage` gives), which the API's validation renders in the caller's language
 * (lambdas/http/validation.ts); a reference, not `issueMessage`, so that importing the shared schemas does
 * not bring in the message catalogue.
 */
export function storable<T extends z.ZodString>(schema: T, options: { multiline?: boolean } = {}): T {
  return schema.superRefine((text, ctx) => {
    const fault = textFault(text, options.multiline ?? false);
    if (fault)
      ctx.addIssue({
        code: 'custom',
        input: text,
        params: {
          message: messageRef<MessageCode>(fault.code, {
            position: fault.position,
            codePoint: fault.codePoint,
          }),
        },
      });
  });
}

/** Lower-case hex SHA-256 (64 characters). */
export const Sha256HexSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .describe('SHA-256 as 64 lower-case hex characters');
export type Sha256Hex = z.infer<typeof Sha256HexSchema>;

/** An instant, ISO 8601 in UTC with a `Z` (as `Date.prototype.toISOString` gives). */
export const InstantSchema = z.iso
  .datetime()
  .describe('ISO 8601 instant in UTC, e.g. 2026-01-05T02:30:00.000Z');
export type Instant = z.infer<typeof InstantSchema>;

/** A calendar date `YYYY-MM-DD` (Vietnam time where it stands for a day of the week's work). */
export const CalendarDateSchema = z.iso.date().describe('Calendar date YYYY-MM-DD (Vietnam time)');
export type CalendarDate = z.infer<typeof CalendarDateSchema>;

/** URL-safe identifier: lower-case ASCII letters and digits in dash-separated words (`phuong-ba-dinh`). */
export const SlugSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case ASCII words separated by single dashes')
  .max(80);

/** Identifier of an organisation in the directory (`ubnd-hanoi`, `so-noi-vu`, `phuong-ba-dinh`). */
export const OrgIdSchema = SlugSchema.describe('Organisation id from the directory');
export type OrgId = z.infer<typeof OrgIdSchema>;

/** Opaque identifiers minted elsewhere (users, documents). */
export const PersonIdSchema = storable(z.string().min(1).max(128)).describe('User id');
export const DocumentIdSchema = storable(z.string().min(1).max(128)).describe('Document id');

/** A short name or reference typed or picked by a person (an id, a symbol, a name), on one line. */
export const LineSchema = (max: number) => storable(z.string().min(1).max(max));

/** Free text a person writes (reasons, notes, direction notes), on several lines if they like. */
export const NoteSchema = storable(z.string().trim().min(1).max(2000), { multiline: true });

export const ZERO_HASH = '0'.repeat(64);

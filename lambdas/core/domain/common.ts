import * as z from 'zod';

/** Lower-case hex SHA-256 (64 characters). */
export const Sha256HexSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'a lower-case hex SHA-256 (64 characters)')
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
export const PersonIdSchema = z.string().min(1).max(128).describe('User id');
export const DocumentIdSchema = z.string().min(1).max(128).describe('Document id');

/** Free text a person writes (reasons, notes, direction notes). */
export const NoteSchema = z.string().trim().min(1).max(2000);

export const ZERO_HASH = '0'.repeat(64);

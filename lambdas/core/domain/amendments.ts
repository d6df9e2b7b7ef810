import * as z from 'zod';
import { DocumentIdSchema, InstantSchema } from './common';
import type { Recipient } from './directory';

/*
 * Replacement (thay thế) and correction (đính chính), D30 Art.10, 18: the replacing or correcting document is
 * an issued document of its own, drafted, signed and sealed like any other, that names the issued document of
 * its organisation it replaces or corrects. When it is sent, every recipient of that document receives it
 * too; the document it names then records that it was replaced (its state) or corrected (it stays in force).
 */

export const AmendmentKindSchema = z.enum(['replaces', 'corrects']);
export type AmendmentKind = z.infer<typeof AmendmentKindSchema>;

/** What a draft replaces or corrects: an issued document of its organisation, with its number and symbol. */
export const AmendsSchema = z.object({
  kind: AmendmentKindSchema,
  documentId: DocumentIdSchema,
  /** Số, ký hiệu of the document named, as issued (`12/QĐ-UBND`). */
  symbol: z.string().max(120),
});
export type Amends = z.infer<typeof AmendsSchema>;

/** A document that replaced or corrected this one, once it was sent. */
export const AmendedBySchema = z.object({
  kind: AmendmentKindSchema,
  documentId: DocumentIdSchema,
  /** Absent for a replacement recorded before replacements were documents of their own. */
  symbol: z.string().max(120).optional(),
  at: InstantSchema,
});
export type AmendedBy = z.infer<typeof AmendedBySchema>;

/** The states of a document that may be replaced or corrected: issued and not recalled nor replaced. */
export const AMENDABLE_STATES = ['ISSUED', 'SENT', 'ARCHIVED'] as const;

/**
 * The recipients of a replacing or correcting document: its own, then every recipient of the document it
 * names that it does not list already (with the purpose they had), so that everyone who had the original
 * receives what replaces or corrects it.
 */
export function withOriginalRecipients(
  own: readonly Recipient[],
  original: readonly Recipient[],
): Recipient[] {
  const listed = new Set(own.map((r) => r.orgId));
  return [...own, ...original.filter((r) => !listed.has(r.orgId))];
}

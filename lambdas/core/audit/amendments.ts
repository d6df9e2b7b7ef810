import * as z from 'zod';
import { AmendmentKindSchema } from '../domain/amendments';

/*
 * Replacement and correction in a document's audit (core/domain/amendments.ts): what the log says this
 * document replaces or corrects (its draft's or its arrival's `amends`) and which documents replaced or
 * corrected it (`replaced`, `corrected`). Read from the log the audit checks, so the API and the CLI (an
 * evidence package, offline) say the same.
 */

export const AuditAmendmentsSchema = z.object({
  amends: z.object({ kind: AmendmentKindSchema, documentId: z.string(), symbol: z.string() }).nullable(),
  amendedBy: z.array(
    z.object({
      kind: AmendmentKindSchema,
      documentId: z.string(),
      symbol: z.string().nullable(),
      at: z.string(),
      seq: z.int(),
    }),
  ),
});
export type AuditAmendments = z.infer<typeof AuditAmendmentsSchema>;

const AmendsPayload = z.object({
  amends: z.object({ kind: AmendmentKindSchema, documentId: z.string(), symbol: z.string() }),
});
const AmendedEvent = z.union([
  z.object({
    type: z.literal('replaced'),
    seq: z.int(),
    at: z.string(),
    payload: z.object({ replacementDocumentId: z.string(), symbol: z.string().optional() }),
  }),
  z.object({
    type: z.literal('corrected'),
    seq: z.int(),
    at: z.string(),
    payload: z.object({ correctionDocumentId: z.string(), symbol: z.string() }),
  }),
]);

/** The amendments the log records, or undefined when it records none. */
export function amendmentsOf(events: readonly unknown[]): AuditAmendments | undefined {
  let amends: AuditAmendments['amends'] = null;
  const amendedBy: AuditAmendments['amendedBy'] = [];
  for (const raw of events) {
    const type = (raw as { type?: unknown } | null)?.type;
    if (type === 'created' || type === 'revised' || type === 'arrived') {
      const parsed = AmendsPayload.safeParse((raw as { payload?: unknown }).payload);
      if (parsed.success) amends = parsed.data.amends;
      else if (type !== 'arrived') amends = null;
      continue;
    }
    const amended = AmendedEvent.safeParse(raw);
    if (!amended.success) continue;
    const e = amended.data;
    amendedBy.push(
      e.type === 'replaced'
        ? {
            kind: 'replaces',
            documentId: e.payload.replacementDocumentId,
            symbol: e.payload.symbol ?? null,
            at: e.at,
            seq: e.seq,
          }
        : {
            kind: 'corrects',
            documentId: e.payload.correctionDocumentId,
            symbol: e.payload.symbol,
            at: e.at,
            seq: e.seq,
          },
    );
  }
  return amends || amendedBy.length > 0 ? { amends, amendedBy } : undefined;
}

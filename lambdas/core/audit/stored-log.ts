/**
 * One item of a document's circulation log exactly as stored: the sort key and the canonical JSON text the
 * event's hash was computed over. Audits read these, not the parsed events, so that what they check and
 * what they package are the stored bytes.
 */
export interface StoredLogItem {
  /** The item's sort key (where the item sits), which may disagree with the event's own `seq`. */
  readonly seq: number;
  /** The stored `event` attribute: canonical JSON (RFC 8785). */
  readonly text: string;
}

/** Parses stored items; an unparsable one stays in place as its text, for verifyChain to name. */
export function parseStoredLog(items: readonly StoredLogItem[]): unknown[] {
  return items.map((item) => {
    try {
      return JSON.parse(item.text) as unknown;
    } catch {
      return item.text;
    }
  });
}

/** The seq of each parsed event that has one, in log order. */
export const eventSeqs = (events: readonly unknown[]): number[] =>
  events.map((e) => (e as { seq?: unknown } | null)?.seq).filter((s): s is number => typeof s === 'number');

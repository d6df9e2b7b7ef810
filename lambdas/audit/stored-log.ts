import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/aws-clients';
import { resourceName, tables } from '../deployment/resources';

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

export async function readStoredLog(documentId: string): Promise<StoredLogItem[]> {
  const items: StoredLogItem[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: resourceName(tables.log),
        KeyConditionExpression: 'documentId = :id',
        ExpressionAttributeValues: { ':id': documentId },
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) items.push({ seq: Number(item.seq), text: String(item.event) });
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
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

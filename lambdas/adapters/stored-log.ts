import type { StoredLogItem } from '../core/audit/stored-log';
import { resourceName, tables } from '../deployment/resources';
import type { StoredLog } from '../ports/audit';
import { documentClient } from './aws-clients';
import { QueryCommand } from './sdk-commands';

/** The circulation log table's items as stored: each item's sort key and its canonical JSON text. */
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

export const dynamoStoredLog: StoredLog = { read: readStoredLog };

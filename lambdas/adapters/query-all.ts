import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './aws-clients';
import { QueryCommand } from './sdk-commands';

/** Every item a query matches, following DynamoDB's pages. */
export async function queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(new QueryCommand({ ...input, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

import { resourceName, tables } from '../deployment/resources';
import type { IssuedFile } from '../ports/documents';
import { documentClient } from './aws-clients';
import { GetCommand } from './sdk-commands';

/** The issued files' index items (`ISSUED#<sha256>`, written by document-store.ts with the register entry). */
export async function findIssued(sha256: string): Promise<IssuedFile | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: resourceName(tables.views), Key: { pk: `ISSUED#${sha256}`, sk: 'ISSUED' } }),
  );
  return Item ? { documentId: String(Item.documentId), orgId: String(Item.orgId) } : undefined;
}

import { readFile } from 'node:fs/promises';
import type { Event } from '@aws-sdk/client-cloudtrail';
import type { KeyUse } from '../core/signing/reconciliation';
import { resourceName, tables } from '../deployment/resources';
import type { HolderKeyIndex, KeyUseLog, ReconciliationMark } from '../ports/key-use';
import { documentClient } from './aws-clients';
import { cloudTrailSdk, LazyClient } from './lazy-sdk';
import { queryAll } from './query-all';
import { GetCommand, LookupEventsCommand, PutCommand } from './sdk-commands';

/*
 * The key service's record of kms:Sign: CloudTrail's management events in AWS (LookupEvents, 90 days);
 * on a laptop the KMS emulator's request log (JSON lines in its data directory, the same fields), which
 * DOCFLOW_KMS_REQUEST_LOG names.
 */

/** A CloudTrail record (or the emulator's line) of one call. */
interface TrailRecord {
  readonly eventTime?: string;
  readonly eventName?: string;
  readonly errorCode?: string;
  readonly userIdentity?: { readonly arn?: string };
  readonly resources?: readonly { readonly ARN?: string; readonly type?: string }[];
  readonly requestParameters?: { readonly keyId?: string };
}

function keyUseOf(record: TrailRecord): KeyUse | undefined {
  if (record.eventName !== 'Sign' || record.errorCode || !record.eventTime) return undefined;
  const principal = record.userIdentity?.arn ?? '';
  const key =
    record.resources?.find((r) => r.ARN?.includes(':key/'))?.ARN ?? record.requestParameters?.keyId ?? '';
  const assumed = /:assumed-role\/[^/]+\/(.+)$/.exec(principal);
  return { time: record.eventTime, key, principal, sessionName: assumed?.[1] };
}

export const cloudTrailKeyUses = (): KeyUseLog => ({
  async signUses(from, to) {
    const client = new LazyClient(async () => new (await cloudTrailSdk()).CloudTrailClient({}));
    const uses: KeyUse[] = [];
    let NextToken: string | undefined;
    try {
      do {
        const page = await client.send(
          new LookupEventsCommand({
            LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Sign' }],
            StartTime: from,
            EndTime: to,
            NextToken,
          }),
        );
        for (const event of page.Events ?? ([] as Event[])) {
          const use = event.CloudTrailEvent
            ? keyUseOf(JSON.parse(event.CloudTrailEvent) as TrailRecord)
            : undefined;
          if (use) uses.push(use);
        }
        NextToken = page.NextToken;
      } while (NextToken);
    } finally {
      (await client.client()).destroy();
    }
    return uses;
  },
});

export const fileKeyUses = (path: string): KeyUseLog => ({
  async signUses(from, to) {
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => keyUseOf(JSON.parse(line) as TrailRecord))
      .filter((u): u is KeyUse => u !== undefined && new Date(u.time) >= from && new Date(u.time) <= to);
  },
});

/** Personal and seal keys, from the credentials the city PKI keeps (`PKI` / `official/<id>`, `seal/<org>`). */
export const directoryHolderKeys: HolderKeyIndex = {
  async holderKeys() {
    const items = await queryAll({
      TableName: resourceName(tables.directory),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'PKI' },
    });
    const keys = new Map<string, string>();
    for (const item of items) {
      const [kind, id] = String(item.sk).split('/');
      if ((kind === 'official' || kind === 'seal') && id && typeof item.keyId === 'string')
        keys.set(item.keyId, `${kind}:${id}`);
    }
    return keys;
  },
};

export const viewsReconciliationMark: ReconciliationMark = {
  async last() {
    const { Item } = await documentClient().send(
      new GetCommand({ TableName: resourceName(tables.views), Key: { pk: 'RECONCILIATION', sk: 'MARK' } }),
    );
    return typeof Item?.until === 'string' ? new Date(Item.until) : undefined;
  },
  async save(until, unexplained) {
    await documentClient().send(
      new PutCommand({
        TableName: resourceName(tables.views),
        Item: { pk: 'RECONCILIATION', sk: 'MARK', until: until.toISOString(), unexplained },
      }),
    );
  },
};

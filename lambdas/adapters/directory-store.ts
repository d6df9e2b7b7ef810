import * as z from 'zod';
import {
  type AdministrationHead,
  type PositionRequest,
  PositionRequestSchema,
} from '../core/domain/administration';
import { type Delegation, DelegationSchema } from '../core/domain/capacity';
import {
  Directory,
  type Organisation,
  OrganisationSchema,
  type Person,
  PersonSchema,
} from '../core/domain/directory';
import { type SignatureImage, SignatureImageSchema } from '../core/domain/signature-image';
import { resourceName, tables } from '../deployment/resources';
import type { AdministrationChange, Departure, DirectoryRepository } from '../ports/directory';
import { Conflict } from '../ports/documents';
import { documentClient } from './aws-clients';
import { isTransactionCanceled } from './lazy-sdk';
import { queryAll } from './query-all';
import {
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from './sdk-commands';

/*
 * Organisations and people in the directory table. Organisations change rarely and are read on almost
 * every request, so a container caches them briefly; people are always read fresh, because authorization
 * must follow who holds a position now, not what a token said an hour ago.
 */

const ORG_PK = 'ORG';
const PERSON_PK = 'PERSON';
const ORG_CACHE_MS = 60_000;

let cached: { directory: Directory; at: number } | undefined;

const table = () => resourceName(tables.directory);

export async function loadDirectory(): Promise<Directory> {
  if (cached && Date.now() - cached.at < ORG_CACHE_MS) return cached.directory;
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': ORG_PK },
  });
  // Kept in the order they were saved in (the city, its agencies, then wards and communes as listed).
  items.sort((a, b) => Number(a.order) - Number(b.order));
  const directory = new Directory(items.map((item) => OrganisationSchema.parse(item.organisation)));
  cached = { directory, at: Date.now() };
  return directory;
}

export async function findPerson(id: string): Promise<Person | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: table(), Key: { pk: PERSON_PK, sk: id }, ConsistentRead: true }),
  );
  return Item ? PersonSchema.parse(Item.person) : undefined;
}

/** Every person; `consistent` for callers that decide what to write from what they read. */
export async function listPeople(options: { consistent?: boolean } = {}): Promise<Person[]> {
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': PERSON_PK },
    ConsistentRead: options.consistent === true,
  });
  return items.map((item) => PersonSchema.parse(item.person));
}

async function batchPut(items: readonly Record<string, unknown>[]): Promise<void> {
  for (let start = 0; start < items.length; start += 25) {
    let pending = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
    // BatchWrite may hand back unprocessed items under load; retry them with a short backoff.
    for (let attempt = 0; pending.length > 0; attempt++) {
      const result = await documentClient().send(
        new BatchWriteCommand({ RequestItems: { [table()]: pending } }),
      );
      pending = (result.UnprocessedItems?.[table()] ?? []) as typeof pending;
      if (pending.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }
}

/** An organisation as stored, with its place in listings. */
export interface StoredOrganisation {
  readonly organisation: Organisation;
  readonly order: number;
}

/** Every stored organisation with its order, read fresh (not cached): loaders compare it before writing. */
export async function listStoredOrganisations(): Promise<StoredOrganisation[]> {
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': ORG_PK },
    ConsistentRead: true,
  });
  return items.map((item) => ({
    organisation: OrganisationSchema.parse(item.organisation),
    order: Number(item.order),
  }));
}

/** Saves organisations at the given places, so a loader can write only those that changed. */
export async function saveStoredOrganisations(entries: readonly StoredOrganisation[]): Promise<void> {
  await batchPut(
    entries.map(({ organisation, order }) => ({ pk: ORG_PK, sk: organisation.id, order, organisation })),
  );
  cached = undefined;
}

export async function savePeople(people: readonly Person[]): Promise<void> {
  await batchPut(people.map((person) => ({ pk: PERSON_PK, sk: person.id, person })));
}

/**
 * Writes a person only if they are still as `before` says (absent when undefined), field by field: a loader
 * that planned from what it read does not overwrite a change made through the API since. False when the
 * stored person differs (nothing written).
 */
export async function savePersonIf(person: Person, before: Person | undefined): Promise<boolean> {
  const names: Record<string, string> = { '#person': 'person', '#position': 'position' };
  const values: Record<string, unknown> = {};
  let condition = 'attribute_not_exists(pk)';
  if (before) {
    const parts = ['attribute_exists(pk)', '#person.#name = :name'];
    names['#name'] = 'name';
    values[':name'] = before.name;
    for (const field of ['orgId', 'role', 'title', 'rank', 'unitCode'] as const) {
      names[`#${field}`] = field;
      const value = before.position[field];
      if (value === undefined) parts.push(`attribute_not_exists(#person.#position.#${field})`);
      else {
        parts.push(`#person.#position.#${field} = :${field}`);
        values[`:${field}`] = value;
      }
    }
    condition = parts.join(' AND ');
  }
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: { pk: PERSON_PK, sk: person.id, person },
        ConditionExpression: condition,
        ExpressionAttributeNames: before ? names : undefined,
        ExpressionAttributeValues: before ? values : undefined,
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/*
 * Signature images, one item per registration under the person (never overwritten, never deleted): the
 * newest is the one drawn, the older ones say which image was current when. Removing the image is an item
 * too (`removedAt`, no image): from then on signatures have none. Kept apart from the person item, which a
 * position change rewrites whole.
 */

const signatureImagePk = (personId: string) => `SIGNATURE_IMAGE#${personId}`;

export async function currentSignatureImage(personId: string): Promise<SignatureImage | undefined> {
  const { Items } = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': signatureImagePk(personId) },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  const item = Items?.[0];
  return item && item.removedAt === undefined ? SignatureImageSchema.parse(item.image) : undefined;
}

/** Records that the person removed their signature image, at `at` (ISO 8601), after `image`. */
export async function recordSignatureImageRemoval(
  personId: string,
  image: SignatureImage,
  at: string,
): Promise<void> {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        // After the registration it ends (same ordering as registrations), named by the image it removes.
        Item: {
          pk: signatureImagePk(personId),
          sk: `${at}#removed#${image.sha256}`,
          removedAt: at,
          removed: image.sha256,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
}

export async function recordSignatureImage(personId: string, image: SignatureImage): Promise<void> {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        // Sorted by time; the hash keeps two registrations in the same millisecond apart.
        Item: { pk: signatureImagePk(personId), sk: `${image.uploadedAt}#${image.sha256}`, image },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    // The very same registration already recorded: a retry, nothing to do.
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
}

/*
 * The administration log (core/domain/administration.ts): one item per entry under `ADMIN_LOG`, in seq
 * order, and the head beside them; each change writes its entries, the head, the people it moves and the
 * request it decides in one transaction, on the condition that the head is still the one read (so
 * concurrent changes meet as a Conflict and are decided again) and the request still as read.
 */

const LOG_PK = 'ADMIN_LOG';
const LOG_HEAD = 'HEAD';
const entrySk = (seq: number) => `ENTRY#${String(seq).padStart(10, '0')}`;
const REQUEST_PK = 'POSITION_REQUEST';
/** People who left (ports/directory.ts Departure), by id. */
const DEPARTED_PK = 'DEPARTED';

const DepartureSchema = z.object({
  person: PersonSchema,
  at: z.string(),
  by: z.string(),
  successorId: z.string(),
});

export async function findDeparture(personId: string): Promise<Departure | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: table(), Key: { pk: DEPARTED_PK, sk: personId }, ConsistentRead: true }),
  );
  return Item ? DepartureSchema.parse(Item.departure) : undefined;
}

/** Everyone who left (directory:load reports them rather than adding them again). */
export async function listDepartures(): Promise<Departure[]> {
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': DEPARTED_PK },
    ConsistentRead: true,
  });
  return items.map((item) => DepartureSchema.parse(item.departure));
}

export async function readAdministrationHead(): Promise<AdministrationHead | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: table(), Key: { pk: LOG_PK, sk: LOG_HEAD }, ConsistentRead: true }),
  );
  return Item ? { seq: Number(Item.seq), hash: String(Item.hash) } : undefined;
}

export async function readAdministrationLog(): Promise<{ entries: unknown[]; head?: AdministrationHead }> {
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': LOG_PK },
    ConsistentRead: true,
  });
  const head = items.find((i) => i.sk === LOG_HEAD);
  return {
    entries: items.filter((i) => String(i.sk).startsWith('ENTRY#')).map((i) => i.entry as unknown),
    head: head ? { seq: Number(head.seq), hash: String(head.hash) } : undefined,
  };
}

export async function commitAdministration(change: AdministrationChange): Promise<void> {
  const last = change.entries.at(-1);
  if (!last) throw new Error('an administration change without a log entry');
  const { request, delegation } = change;
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table(),
              Item: { pk: LOG_PK, sk: LOG_HEAD, seq: last.seq, hash: last.hash },
              ConditionExpression: change.head ? 'seq = :seq' : 'attribute_not_exists(pk)',
              ExpressionAttributeValues: change.head ? { ':seq': change.head.seq } : undefined,
            },
          },
          ...change.entries.map((entry) => ({
            Put: {
              TableName: table(),
              Item: { pk: LOG_PK, sk: entrySk(entry.seq), entry },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          })),
          ...change.people.map((person) => ({
            Put: { TableName: table(), Item: { pk: PERSON_PK, sk: person.id, person } },
          })),
          // A new person: nobody has the id now, and nobody had it and left.
          ...(change.added ?? []).flatMap((person) => [
            {
              Put: {
                TableName: table(),
                Item: { pk: PERSON_PK, sk: person.id, person },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              ConditionCheck: {
                TableName: table(),
                Key: { pk: DEPARTED_PK, sk: person.id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ]),
          // A departure: the person item goes (as read: still there), the departure is kept under its id.
          ...(change.departures ?? []).flatMap((departure) => [
            {
              Delete: {
                TableName: table(),
                Key: { pk: PERSON_PK, sk: departure.person.id },
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
            {
              Put: {
                TableName: table(),
                Item: { pk: DEPARTED_PK, sk: departure.person.id, departure },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ]),
          ...(request
            ? [
                {
                  Put: {
                    TableName: table(),
                    Item: {
                      pk: REQUEST_PK,
                      sk: request.after.id,
                      status: request.after.status,
                      request: request.after,
                    },
                    ConditionExpression: request.before ? '#status = :status' : 'attribute_not_exists(pk)',
                    ExpressionAttributeNames: request.before ? { '#status': 'status' } : undefined,
                    ExpressionAttributeValues: request.before
                      ? { ':status': request.before.status }
                      : undefined,
                  },
                },
              ]
            : []),
          ...(delegation
            ? [
                {
                  Put: {
                    TableName: table(),
                    Item: delegationItem(delegation.after),
                    // A grant is new; a revocation applies to the delegation as read, still unrevoked.
                    ConditionExpression: delegation.before
                      ? 'attribute_exists(pk) AND attribute_not_exists(revokedAt)'
                      : 'attribute_not_exists(pk)',
                  },
                },
              ]
            : []),
        ],
      }),
    );
  } catch (error) {
    if (isTransactionCanceled(error)) {
      const reasons = (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
      if (reasons.some((r) => r === 'ConditionalCheckFailed' || r === 'TransactionConflict'))
        throw new Conflict(reasons);
    }
    throw error;
  }
}

export async function findPositionRequest(id: string): Promise<PositionRequest | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: table(), Key: { pk: REQUEST_PK, sk: id }, ConsistentRead: true }),
  );
  return Item ? PositionRequestSchema.parse(Item.request) : undefined;
}

export async function listPositionRequests(): Promise<PositionRequest[]> {
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': REQUEST_PK },
    ConsistentRead: true,
  });
  return items.map((item) => PositionRequestSchema.parse(item.request));
}

/*
 * TL./TUQ. delegations (core/domain/delegations.ts): one item each under `DELEGATION`, written with their
 * administration log entry (commitAdministration). A city has hundreds at most, so one partition, filtered.
 */

const DELEGATION_PK = 'DELEGATION';

function delegationItem(d: Delegation): Record<string, unknown> {
  return {
    pk: DELEGATION_PK,
    sk: d.id,
    orgId: d.orgId,
    delegateId: d.delegateId,
    ...(d.revokedAt ? { revokedAt: d.revokedAt } : {}),
    delegation: d,
  };
}

export async function listDelegations(filter: {
  readonly orgId?: string;
  readonly delegateId?: string;
}): Promise<Delegation[]> {
  const conditions = [
    ...(filter.orgId ? ['orgId = :org'] : []),
    ...(filter.delegateId ? ['delegateId = :delegate'] : []),
  ];
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk',
    ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND ') } : {}),
    ExpressionAttributeValues: {
      ':pk': DELEGATION_PK,
      ...(filter.orgId ? { ':org': filter.orgId } : {}),
      ...(filter.delegateId ? { ':delegate': filter.delegateId } : {}),
    },
    ConsistentRead: true,
  });
  return items.map((item) => DelegationSchema.parse(item.delegation));
}

export async function findDelegation(id: string): Promise<Delegation | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: table(), Key: { pk: DELEGATION_PK, sk: id }, ConsistentRead: true }),
  );
  return Item ? DelegationSchema.parse(Item.delegation) : undefined;
}

/** The directory port over DynamoDB. */
export const dynamoDirectory: DirectoryRepository = {
  loadDirectory,
  findPerson,
  listPeople: () => listPeople(),
  savePeople,
  currentSignatureImage,
  recordSignatureImage,
  recordSignatureImageRemoval,
  readAdministrationLog,
  readAdministrationHead,
  commitAdministration,
  findPositionRequest,
  listPositionRequests,
  listDelegations,
  findDelegation,
  findDeparture,
};

import type { AdministrationEntry, AdministrationHead, PositionRequest } from '../core/domain/administration';
import type { Delegation } from '../core/domain/capacity';
import type { Directory, Person } from '../core/domain/directory';
import type { SignatureImage } from '../core/domain/signature-image';

/**
 * Organisations and people, read on every request (authorization follows who holds a position now), and
 * officials' signature images. Implemented over DynamoDB in adapters/directory-store.ts.
 */
export interface DirectoryRepository {
  loadDirectory(): Promise<Directory>;
  findPerson(id: string): Promise<Person | undefined>;
  listPeople(): Promise<Person[]>;
  savePeople(people: readonly Person[]): Promise<void>;
  currentSignatureImage(personId: string): Promise<SignatureImage | undefined>;
  recordSignatureImage(personId: string, image: SignatureImage): Promise<void>;
  recordSignatureImageRemoval(personId: string, current: SignatureImage, at: string): Promise<void>;
  /** The administration log as stored, in order, with the head kept beside it (consistent read). */
  readAdministrationLog(): Promise<{ entries: unknown[]; head?: AdministrationHead }>;
  readAdministrationHead(): Promise<AdministrationHead | undefined>;
  /**
   * Appends the entries after `head` and writes the people and the request with them, atomically; a
   * `Conflict` (ports/documents.ts) when the log moved on since `head` was read, or the request is no
   * longer as it was read.
   */
  commitAdministration(change: AdministrationChange): Promise<void>;
  findPositionRequest(id: string): Promise<PositionRequest | undefined>;
  listPositionRequests(): Promise<PositionRequest[]>;
  /** TL./TUQ. delegations as recorded (revoked ones included), of one organisation or one delegate. */
  listDelegations(filter: { readonly orgId?: string; readonly delegateId?: string }): Promise<Delegation[]>;
  findDelegation(id: string): Promise<Delegation | undefined>;
  /** The person who left under this id, if one did (they are no longer among the people). */
  findDeparture(personId: string): Promise<Departure | undefined>;
}

/**
 * A person who left: kept apart from the people, so that nothing reads them as someone who may sign in,
 * act or be assigned, and an id is never given again to someone else.
 */
export interface Departure {
  readonly person: Person;
  readonly at: string;
  readonly by: string;
  readonly successorId: string;
}

export interface AdministrationChange {
  readonly head: AdministrationHead | undefined;
  readonly entries: readonly AdministrationEntry[];
  readonly people: readonly Person[];
  /** People new to the directory: written only if nobody has their id (a `Conflict` otherwise). */
  readonly added?: readonly Person[];
  /** People who leave: their person item goes, their departure is recorded. */
  readonly departures?: readonly Departure[];
  readonly request?: { readonly before?: PositionRequest; readonly after: PositionRequest };
  /** A delegation recorded (no `before`) or revoked (`before` still unrevoked when written). */
  readonly delegation?: { readonly before?: Delegation; readonly after: Delegation };
}

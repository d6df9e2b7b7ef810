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
}

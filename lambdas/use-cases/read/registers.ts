import type { Caller } from '../../core/domain/caller';
import { type RegisterKind, yearOf } from '../../core/domain/registers';
import { documentNotFound } from '../../core/domain/visibility';
import type { DocumentRepository } from '../../ports/documents';
import { assertReadsDocuments } from './inbox';

/** The yearly register of the caller's organisation; auditors may read any organisation's. */
export async function registerEntries(
  ports: { documents: Pick<DocumentRepository, 'readRegister'>; now: () => Date },
  caller: Caller,
  register: RegisterKind,
  query: { year?: number; orgId?: string },
) {
  assertReadsDocuments(caller);
  const own = caller.actor.position.orgId;
  const orgId = query.orgId ?? own;
  if (orgId !== own && caller.actor.position.role !== 'auditor') throw documentNotFound();
  caller.directory.get(orgId);
  const year = query.year ?? yearOf(ports.now().toISOString());
  return { orgId, year, entries: await ports.documents.readRegister(register, orgId, year) };
}

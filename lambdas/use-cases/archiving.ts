import type { Actor } from '../core/domain/actor';
import type { Caller } from '../core/domain/caller';
import type { Directory } from '../core/domain/directory';
import { decideOutgoing, type OutgoingDocument } from '../core/domain/outgoing';
import { documentNotFound } from '../core/domain/visibility';
import { DomainError } from '../core/errors';
import { logger } from '../observability/logger';
import type { ArchiveRenewals, ArchiveTimestamping, DueRenewal } from '../ports/archiving';
import type { DirectoryRepository } from '../ports/directory';
import type { DocumentRepository, Leases } from '../ports/documents';
import type { DocumentFiles } from '../ports/files';
import {
  assertWriter,
  type CirculationPorts,
  commit,
  loadVisible,
  logDecision,
  onceTaken,
  withRetries,
} from './context';
import { type DocumentView, viewFor } from './read/document-view';

/*
 * The archive (D30 Art.27–28: the clerk hands the organisation's issued documents to its archive with their
 * evidence). Archiving adds a document timestamp over the file with everything needed to verify it offline
 * (PAdES B-LTA); the renewal sweep adds another before the last one's evidence lapses. Both are appended as
 * incremental updates, so the issued file and every signature on it stay as they were.
 */

/** What the renewal sweep runs on: the archiving without the caller's views (no uploads, no downloads). */
export interface RenewalPorts {
  readonly documents: DocumentRepository;
  readonly leases: Leases;
  readonly files: Pick<DocumentFiles, 'readRevision' | 'putRevision'>;
  readonly directory: Pick<DirectoryRepository, 'findPerson' | 'listPeople' | 'loadDirectory'>;
  readonly archiving: ArchiveTimestamping;
  readonly renewals: ArchiveRenewals;
  readonly now: () => Date;
}

/** The clerk's archive step also answers with the document as the caller sees it. */
export interface ArchivingPorts extends CirculationPorts, RenewalPorts {
  readonly files: CirculationPorts['files'];
  readonly directory: CirculationPorts['directory'];
}

/** Timestamps the current file and records it as the archived one; `stillAs` is the file it started from. */
async function timestampAndRecord(
  ports: RenewalPorts,
  doc: OutgoingDocument,
  decide: (
    current: OutgoingDocument,
    archived: { documentSha256: string; archiveTimestamp: NonNullable<OutgoingDocument['archiveTimestamp']> },
  ) => ReturnType<typeof decideOutgoing>,
): Promise<NonNullable<OutgoingDocument['archiveTimestamp']>> {
  const archived = await ports.archiving.timestamp(
    await ports.files.readRevision(doc.id, doc.documentSha256),
  );
  const documentSha256 = await ports.files.putRevision(doc.id, archived.pdf);
  // Scheduled before the log records it: a renewal entry may be stale, never missing.
  await ports.renewals.schedule({ documentId: doc.id, renewBy: archived.archiveTimestamp.renewBy });
  await ports.renewals.recordFile({ sha256: documentSha256, documentId: doc.id, orgId: doc.orgId });
  await withRetries(async () => {
    const snapshot = await ports.documents.read(doc.id);
    const current = snapshot.document;
    if (!current) throw documentNotFound();
    if (current.documentSha256 !== doc.documentSha256)
      throw new DomainError('document_changed_while_signing', 409);
    const decision = decide(current, { documentSha256, archiveTimestamp: archived.archiveTimestamp });
    await commit(ports, {
      documentId: doc.id,
      head: snapshot.head,
      events: decision.events,
      outgoing: { before: current, after: decision.state },
    });
  });
  return archived.archiveTimestamp;
}

/** The clerk hands an issued and sent document to the organisation's archive, with its evidence. */
export async function archive(ports: ArchivingPorts, caller: Caller, id: string): Promise<DocumentView> {
  assertWriter(caller);
  const done = () => viewFor(ports, caller, id);
  return onceTaken(
    ports,
    caller,
    id,
    ['archived'],
    async () => {
      const first = await loadVisible(ports, caller, id);
      if (!first.document) throw documentNotFound();
      // Refused before any timestamp is made: who, which organisation, which state.
      decideOutgoing(first.document, { type: 'archive' }, caller.actor, ports.now(), {
        directory: caller.directory,
      });
      return ports.leases.withLease(`doc:${id}`, async () => {
        const doc = (await ports.documents.read(id)).document;
        if (!doc) throw documentNotFound();
        decideOutgoing(doc, { type: 'archive' }, caller.actor, ports.now(), { directory: caller.directory });
        const archiveTimestamp = await timestampAndRecord(ports, doc, (current, archived) => {
          const decision = decideOutgoing(
            current,
            { type: 'archive', ...archived },
            caller.actor,
            ports.now(),
            {
              directory: caller.directory,
            },
          );
          logDecision(caller, id, decision.events);
          return decision;
        });
        logger.info('document archived', { documentId: id, ...archiveTimestamp });
        return done();
      });
    },
    done,
  );
}

/**
 * Who the renewal acts as: the clerk who archived the document if they still are one of its organisation,
 * else any clerk of it (D30: the archive is the organisation's, kept by its clerks).
 */
async function archivist(ports: RenewalPorts, doc: OutgoingDocument): Promise<Actor | undefined> {
  const archived = (await ports.documents.readLog(doc.id)).findLast((e) => e.type === 'archived');
  const isClerk = (p: { position: { orgId: string; role: string } }) =>
    p.position.orgId === doc.orgId && p.position.role === 'clerk';
  const byArchiver = archived ? await ports.directory.findPerson(archived.actor.userId) : undefined;
  const person =
    byArchiver && isClerk(byArchiver) ? byArchiver : (await ports.directory.listPeople()).find(isClerk);
  return person && { ...person, delegations: [] };
}

export interface RenewalOutcome {
  readonly renewed: readonly string[];
  readonly dropped: readonly string[];
  readonly failed: readonly string[];
}

/**
 * The scheduled sweep: every archived document whose timestamp is due by `asOf` (default now; an operator
 * may renew ahead, e.g. before the TSA's key is replaced) gets a new one. One document's failure is logged
 * and left for the next run; the others go on.
 */
export async function renewArchives(
  ports: RenewalPorts,
  options: { asOf?: Date; limit?: number } = {},
): Promise<RenewalOutcome> {
  const until = (options.asOf ?? ports.now()).toISOString();
  const due = await ports.renewals.due(until, options.limit ?? 100);
  const renewed: string[] = [];
  const dropped: string[] = [];
  const failed: string[] = [];
  let directory: Directory | undefined;
  for (const entry of due) {
    try {
      const outcome = await ports.leases.withLease(`doc:${entry.documentId}`, async () => {
        directory ??= await ports.directory.loadDirectory();
        return renewOne(ports, directory, entry);
      });
      (outcome === 'renewed' ? renewed : dropped).push(entry.documentId);
    } catch (error) {
      logger.error('archive renewal failed; the next sweep tries again', {
        documentId: entry.documentId,
        renewBy: entry.renewBy,
        error: error as Error,
      });
      failed.push(entry.documentId);
    }
  }
  logger.info('archive renewal sweep', { until, renewed, dropped, failed });
  return { renewed, dropped, failed };
}

async function renewOne(
  ports: RenewalPorts,
  directory: Directory,
  entry: DueRenewal,
): Promise<'renewed' | 'dropped'> {
  const doc = (await ports.documents.read(entry.documentId)).document;
  // Recalled, replaced, or renewed already (a stale entry): nothing to do but drop it.
  if (doc?.state !== 'ARCHIVED' || doc.archiveTimestamp?.renewBy !== entry.renewBy) {
    await ports.renewals.forget(entry);
    return 'dropped';
  }
  const actor = await archivist(ports, doc);
  if (!actor) throw new Error(`organisation ${doc.orgId} has no clerk to renew its archive as`);
  const before = doc.archiveTimestamp;
  const after = await timestampAndRecord(ports, doc, (current, archived) =>
    decideOutgoing(current, { type: 'renew-archive', ...archived }, actor, ports.now(), { directory }),
  );
  if (after.holdsUntil <= before.holdsUntil) {
    // The TSA's certificate or key is itself near its end: operators must renew it (docs/DEPLOY.md).
    logger.error('archive renewal cannot extend the evidence: renew the TSA certificate or key', {
      documentId: doc.id,
      holdsUntil: after.holdsUntil,
    });
  }
  // The same date again (a renewal that could not extend): the entry just scheduled is this one.
  if (after.renewBy !== entry.renewBy) await ports.renewals.forget(entry);
  logger.info('archive timestamp renewed', { documentId: doc.id, ...after });
  return 'renewed';
}

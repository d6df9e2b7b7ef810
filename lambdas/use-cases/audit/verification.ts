import { type AuditInput, auditDocument } from '../../core/audit/audit-document';
import type { TransparencyEntry } from '../../core/audit/checks';
import type { DocumentAudit } from '../../core/audit/report';
import { eventSeqs, parseStoredLog, type StoredLogItem } from '../../core/audit/stored-log';
import type { Caller } from '../../core/domain/caller';
import { assertVisible, type DocumentAccess } from '../../core/domain/visibility';
import { TrustStore } from '../../core/pki/trust';
import type { DocumentSnapshot } from '../../ports/documents';
import type { AuditPorts } from './context';
import { ensureSequenced } from './transparency';

/*
 * Audits of stored documents: gathering what the audit rules (core/audit) check: the stored log items, the
 * chain head, every version of the file the log names, the deployment's anchors and CRL, the transparency
 * log's record of each event.
 */

export interface StoredDocument {
  readonly snapshot: DocumentSnapshot;
  readonly items: readonly StoredLogItem[];
  readonly events: readonly unknown[];
  /** Each version named by the log, as read from the archive (undefined: not there). */
  readonly revisions: ReadonlyMap<string, Uint8Array | undefined>;
  readonly trustPem: string;
  readonly crl: Uint8Array;
}

const sha256Of = (e: unknown) => (e as { documentSha256?: unknown } | null)?.documentSha256;

/** The document as stored, if the caller may see it (the one visibility rule; 404 otherwise). */
export async function readForAudit(
  ports: AuditPorts,
  caller: Caller,
  id: string,
): Promise<{ snapshot: DocumentSnapshot; access: DocumentAccess }> {
  const snapshot = await ports.documents.read(id);
  const access = assertVisible(caller, snapshot);
  return { snapshot, access };
}

export async function loadStoredDocument(
  ports: AuditPorts,
  id: string,
  snapshot: DocumentSnapshot,
): Promise<StoredDocument> {
  const [items, trustPem, crl] = await Promise.all([
    ports.log.read(id),
    ports.trust.trustAnchorsPem(),
    ports.trust.currentCrl(),
  ]);
  const events = parseStoredLog(items);
  const names = [...new Set(events.map(sha256Of).filter((s): s is string => typeof s === 'string'))];
  if (snapshot.document?.documentSha256 && !names.includes(snapshot.document.documentSha256))
    names.push(snapshot.document.documentSha256);
  const revisions = new Map<string, Uint8Array | undefined>();
  await Promise.all(
    names.map(async (sha) => {
      revisions.set(sha, await ports.files.findRevision(id, sha));
    }),
  );
  return { snapshot, items, events, revisions, trustPem, crl };
}

export function auditInput(
  id: string,
  stored: StoredDocument,
  transparency?: AuditInput['transparency'],
  now?: Date,
): AuditInput {
  return {
    documentId: id,
    events: stored.events,
    anchor: stored.snapshot.head,
    revisions: (sha) => stored.revisions.get(sha),
    currentSha256: stored.snapshot.document?.documentSha256,
    trust: TrustStore.fromPem(stored.trustPem),
    crls: [stored.crl],
    transparency,
    now,
  };
}

/** What the transparency log recorded for each of the document's events (by seq). */
export async function transparencyEntries(
  ports: Pick<AuditPorts, 'transparency'>,
  id: string,
  events: readonly unknown[],
): Promise<Map<number, TransparencyEntry>> {
  const leaves = await ports.transparency.findLeaves(
    eventSeqs(events).map((seq) => ({ documentId: id, seq })),
  );
  return new Map([...leaves.values()].map((l) => [l.seq, { hash: l.hash, leafIndex: l.leafIndex }]));
}

/** `GET /api/documents/{id}/verification`: every check, on what is stored now. */
export async function verifyStoredDocument(
  ports: AuditPorts,
  caller: Caller,
  id: string,
): Promise<DocumentAudit> {
  const { snapshot } = await readForAudit(ports, caller, id);
  if (snapshot.head) await ensureSequenced(ports, id, snapshot.head);
  const stored = await loadStoredDocument(ports, id, snapshot);
  const entries = await transparencyEntries(ports, id, stored.events);
  return auditDocument(auditInput(id, stored, { entries }, ports.now()));
}

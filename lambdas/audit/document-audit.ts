import { currentCrl, trustAnchorsPem } from '../adapters/city-pki';
import { readDocument } from '../adapters/document-store';
import { readRevision } from '../adapters/file-store';
import type { Caller } from '../core/domain/caller';
import { assertVisible, type DocumentAccess } from '../core/domain/visibility';
import { TrustStore } from '../core/pki/trust';
import type { DocumentSnapshot } from '../ports/documents';
import { type AuditInput, auditDocument, type DocumentAudit, type TransparencyEntry } from './audit-core';
import { parseStoredLog, readStoredLog, type StoredLogItem } from './stored-log';
import { ensureSequenced, findLeaves } from './transparency-log';

/*
 * Audits of stored documents: who may see them, and gathering what the audit rules check (the stored log
 * items, the chain head, every version of the file the log names, the deployment's anchors and CRL, the
 * transparency log's record of each event).
 */

export type Access = DocumentAccess;

/** The visibility rule (core/domain/visibility.ts), applied to a snapshot already read. */
export const accessOf = (caller: Caller, snapshot: DocumentSnapshot): Access =>
  assertVisible(caller, snapshot);

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

export async function loadStoredDocument(id: string, snapshot?: DocumentSnapshot): Promise<StoredDocument> {
  const [snap, items, trustPem, crl] = await Promise.all([
    snapshot ?? readDocument(id),
    readStoredLog(id),
    trustAnchorsPem(),
    currentCrl(),
  ]);
  const events = parseStoredLog(items);
  const names = [...new Set(events.map(sha256Of).filter((s): s is string => typeof s === 'string'))];
  if (snap.document?.documentSha256 && !names.includes(snap.document.documentSha256))
    names.push(snap.document.documentSha256);
  const revisions = new Map<string, Uint8Array | undefined>();
  await Promise.all(
    names.map(async (sha) => {
      try {
        revisions.set(sha, await readRevision(id, sha));
      } catch (error) {
        if ((error as Error).name !== 'NoSuchKey' && (error as Error).name !== 'NotFound') throw error;
        revisions.set(sha, undefined);
      }
    }),
  );
  return { snapshot: snap, items, events, revisions, trustPem, crl };
}

export function auditInput(
  id: string,
  stored: StoredDocument,
  transparency?: AuditInput['transparency'],
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
  };
}

/** What the transparency log recorded for each of the document's events (by seq). */
export async function transparencyEntries(
  id: string,
  events: readonly unknown[],
): Promise<Map<number, TransparencyEntry>> {
  const seqs = events
    .map((e) => (e as { seq?: unknown } | null)?.seq)
    .filter((s): s is number => typeof s === 'number');
  const leaves = await findLeaves(seqs.map((seq) => ({ documentId: id, seq })));
  return new Map([...leaves.values()].map((l) => [l.seq, { hash: l.hash, leafIndex: l.leafIndex }]));
}

/** `GET /api/documents/{id}/verification`: every check, on what is stored now. */
export async function verifyStoredDocument(caller: Caller, id: string): Promise<DocumentAudit> {
  const snapshot = await readDocument(id);
  accessOf(caller, snapshot);
  if (snapshot.head) await ensureSequenced(id, snapshot.head);
  const stored = await loadStoredDocument(id, snapshot);
  const entries = await transparencyEntries(id, stored.events);
  return auditDocument(auditInput(id, stored, { entries }));
}

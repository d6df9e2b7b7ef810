import { attachmentFilesNamedBy } from '../../core/audit/attachments';
import { type AuditInput, auditDocument } from '../../core/audit/audit-document';
import type { TransparencyEntry } from '../../core/audit/checks';
import type { DocumentAudit } from '../../core/audit/report';
import { eventSeqs, parseStoredLog, type StoredLogItem } from '../../core/audit/stored-log';
import type { Caller } from '../../core/domain/caller';
import {
  type Audience,
  assertCopyServed,
  assertVisible,
  audienceOf,
  type DocumentAccess,
  inShare,
} from '../../core/domain/visibility';
import { verifyChain } from '../../core/log/chain';
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
  /** The stored items of the caller's share of the log (all of them for an auditor). */
  readonly items: readonly StoredLogItem[];
  readonly events: readonly unknown[];
  /** Each version named by those events, as read from the archive (undefined: not there). */
  readonly revisions: ReadonlyMap<string, Uint8Array | undefined>;
  readonly trustPem: string;
  readonly crl: Uint8Array;
  /** Set when the items are one organisation's share: its id, and whether the whole chain verifies. */
  readonly share?: { readonly orgId: string; readonly wholeChainOk: boolean };
  /** The version current for the caller: the sender's latest, or the recipient's delivered copy. */
  readonly currentSha256?: string;
}

const sha256Of = (e: unknown) => (e as { documentSha256?: unknown } | null)?.documentSha256;

/**
 * The document as stored, if the caller may see it (the one visibility rule; 404 otherwise) and, for a
 * recipient, while its copy is served (410 once recalled).
 */
export async function readForAudit(
  ports: AuditPorts,
  caller: Caller,
  id: string,
): Promise<{ snapshot: DocumentSnapshot; access: DocumentAccess; audience: Audience }> {
  const snapshot = await ports.documents.read(id);
  const access = assertVisible(caller, snapshot);
  assertCopyServed(caller, snapshot, access);
  return { snapshot, access, audience: audienceOf(caller, access, snapshot) };
}

/** Whether a stored event (parsed, possibly not an event at all) is in the audience's share. */
function storedInShare(audience: Audience, event: unknown): boolean {
  const e = event as { orgId?: unknown; type?: unknown } | null;
  return (
    typeof e?.orgId === 'string' &&
    typeof e.type === 'string' &&
    inShare(audience, { orgId: e.orgId, type: e.type })
  );
}

export async function loadStoredDocument(
  ports: AuditPorts,
  id: string,
  snapshot: DocumentSnapshot,
  audience?: Audience,
): Promise<StoredDocument> {
  const [all, trustPem, crl] = await Promise.all([
    ports.log.read(id),
    ports.trust.trustAnchorsPem(),
    ports.trust.currentCrl(),
  ]);
  const parsed = parseStoredLog(all);
  const whole = !audience || audience.access === 'auditor';
  const kept = whole
    ? all.map((_, i) => i)
    : all.flatMap((_, i) => (storedInShare(audience, parsed[i]) ? [i] : []));
  const items = kept.map((i) => all[i] as StoredLogItem);
  const events = kept.map((i) => parsed[i]);
  const mine =
    audience?.access === 'recipient' ? snapshot.incoming.find((r) => r.orgId === audience.orgId) : undefined;
  const currentSha256 = mine?.documentSha256 ?? snapshot.document?.documentSha256;
  const names = [...new Set(events.map(sha256Of).filter((s): s is string => typeof s === 'string'))];
  if (currentSha256 && !names.includes(currentSha256)) names.push(currentSha256);
  // The sealed attachments (and their .p7s) the issue names, for their own checks.
  for (const sha of attachmentFilesNamedBy(events)) if (!names.includes(sha)) names.push(sha);
  const revisions = new Map<string, Uint8Array | undefined>();
  await Promise.all(
    names.map(async (sha) => {
      revisions.set(sha, await ports.files.findRevision(id, sha));
    }),
  );
  const share =
    whole || !audience
      ? undefined
      : {
          orgId: audience.orgId,
          wholeChainOk: verifyChain(parsed, snapshot.head ? { anchor: snapshot.head } : {}).ok,
        };
  return { snapshot, items, events, revisions, trustPem, crl, share, currentSha256 };
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
    anchor: stored.share ? undefined : stored.snapshot.head,
    revisions: (sha) => stored.revisions.get(sha),
    currentSha256: stored.currentSha256,
    trust: TrustStore.fromPem(stored.trustPem),
    crls: [stored.crl],
    transparency,
    now,
    share: stored.share,
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
  const { snapshot, audience } = await readForAudit(ports, caller, id);
  if (snapshot.head) await ensureSequenced(ports, id, snapshot.head);
  const stored = await loadStoredDocument(ports, id, snapshot, audience);
  const entries = await transparencyEntries(ports, id, stored.events);
  return auditDocument(auditInput(id, stored, { entries }, ports.now()));
}

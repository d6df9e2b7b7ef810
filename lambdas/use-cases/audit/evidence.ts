import { auditDocument } from '../../core/audit/audit-document';
import type { TransparencyEntry } from '../../core/audit/checks';
import { type EvidencePackage, evidencePackage, packEvidence } from '../../core/audit/evidence-package';
import { eventSeqs } from '../../core/audit/stored-log';
import type { Caller } from '../../core/domain/caller';
import type { AuditPorts } from './context';
import { ensureSequenced, inclusionProofs } from './transparency';
import { auditInput, loadStoredDocument, readForAudit } from './verification';

/*
 * `GET /api/documents/{id}/evidence`: everything an auditor needs to prove, years later and offline, who
 * signed what and how the document travelled (core/audit/evidence-format.ts for the layout), signed by the
 * transparency log's key. The sender and each recipient get the same for their share of the log.
 */

export async function buildEvidence(ports: AuditPorts, caller: Caller, id: string): Promise<EvidencePackage> {
  // An auditor's package holds the whole log; anyone else's, their organisation's share of it (the events
  // core/domain/visibility.ts lets them see, each with its inclusion proof), and the versions those name.
  const { snapshot, audience } = await readForAudit(ports, caller, id);
  if (snapshot.head) await ensureSequenced(ports, id, snapshot.head);
  const stored = await loadStoredDocument(ports, id, snapshot, audience);
  const seqs = eventSeqs(stored.events);
  const { head, proofs } = await inclusionProofs(
    ports,
    seqs.map((seq) => ({ documentId: id, seq })),
  );
  const entries = new Map<number, TransparencyEntry>();
  for (const p of proofs) if (p) entries.set(p.seq, { hash: p.eventHash, leafIndex: p.leafIndex, proof: p });
  const audit = await auditDocument(auditInput(id, stored, { entries, head }, ports.now()));

  const doc = snapshot.document;
  const { signer, chain } = await ports.transparencyKey.credential();
  const zip = await packEvidence({
    documentId: id,
    document: {
      symbol: doc?.symbol ?? null,
      subject: doc?.subject ?? null,
      orgId: doc?.orgId ?? null,
      state: doc?.state ?? null,
    },
    head: stored.share ? null : (snapshot.head ?? null),
    share: stored.share && { orgId: stored.share.orgId },
    currentSha256: stored.currentSha256 ?? null,
    logTexts: stored.items.map((i) => i.text),
    revisions: (sha) => stored.revisions.get(sha),
    audit,
    trustPem: stored.trustPem,
    crl: stored.crl,
    treeHead: head,
    proofs: proofs.flatMap((p) => (p ? [p] : [])),
    signer,
    chain,
    now: ports.now(),
  });
  return evidencePackage(zip, doc?.symbol ?? id);
}

/** A package too large to answer inline: kept for a short while, a short-lived URL to it. */
export function publishEvidence(ports: Pick<AuditPorts, 'evidence'>, id: string, pkg: EvidencePackage) {
  return ports.evidence.publish(id, pkg);
}

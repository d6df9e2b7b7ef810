import { auditDocument } from '../../core/audit/audit-document';
import type { TransparencyEntry } from '../../core/audit/checks';
import { type EvidencePackage, evidencePackage, packEvidence } from '../../core/audit/evidence-package';
import { eventSeqs } from '../../core/audit/stored-log';
import type { Caller } from '../../core/domain/caller';
import { DomainError } from '../../core/errors';
import { auditRefusal } from '../../core/i18n/reports';
import type { AuditPorts } from './context';
import { ensureSequenced, inclusionProofs } from './transparency';
import { auditInput, loadStoredDocument, readForAudit } from './verification';

/*
 * `GET /api/documents/{id}/evidence`: everything an auditor needs to prove, years later and offline, who
 * signed what and how the document travelled (core/audit/evidence-format.ts for the layout), signed by the
 * transparency log's key.
 */

export async function buildEvidence(ports: AuditPorts, caller: Caller, id: string): Promise<EvidencePackage> {
  const { snapshot, access } = await readForAudit(ports, caller, id);
  // A recipient sees only its own part of the log; the package holds all of it.
  if (access === 'recipient')
    throw new DomainError('forbidden', 403, {
      reason: auditRefusal('reason_evidence_package'),
    });
  if (snapshot.head) await ensureSequenced(ports, id, snapshot.head);
  const stored = await loadStoredDocument(ports, id, snapshot);
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
    head: snapshot.head ?? null,
    currentSha256: doc?.documentSha256 ?? null,
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

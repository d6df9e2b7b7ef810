import type { Caller } from '../core/domain/caller';
import {
  capacityLines,
  capacityMark,
  entitledCapacities,
  type SigningCapacity,
} from '../core/domain/capacity';
import { documentType } from '../core/domain/document-types';
import { decideOutgoing, type OutgoingDocument } from '../core/domain/outgoing';
import { documentNotFound } from '../core/domain/visibility';
import { DomainError } from '../core/errors';
import { assertWriter, commit, loadVisible, logDecision, type SigningPorts, withRetries } from './context';
import { type DocumentView, viewFor } from './read/document-view';

/*
 * The leader's personal signature (D30 Art.13): in a capacity they are entitled to, with their own key, on
 * the draft as approved. Under the document's lease, so a conflict never costs a second signature.
 */

export interface SignDocument {
  /** The capacity chosen; the first one the signer is entitled to when absent. */
  readonly capacity?: SigningCapacity;
  /** The reason written into the signature; "Ký ban hành: <type> – <subject>" when absent. */
  readonly reason?: string;
}

function chosenCapacity(
  caller: Caller,
  doc: OutgoingDocument,
  wanted: SigningCapacity | undefined,
  now: Date,
) {
  if (wanted) return wanted;
  const org = caller.directory.get(doc.orgId);
  const [first] = entitledCapacities(caller.actor, caller.actor.delegations ?? [], org, now, doc.typeId);
  if (!first) throw new DomainError('capacity_not_entitled', 403, { capacity: '—' });
  return first;
}

export async function sign(
  ports: SigningPorts,
  caller: Caller,
  id: string,
  command: SignDocument,
): Promise<DocumentView> {
  assertWriter(caller);
  return ports.leases.withLease(`doc:${id}`, async () => {
    const snapshot = await loadVisible(ports, caller, id);
    const doc = snapshot.document;
    if (!doc) throw documentNotFound();
    const now = ports.now();
    const capacity = chosenCapacity(caller, doc, command.capacity, now);
    const ctx = { directory: caller.directory };
    // Refuse before any key is used: a wrong state or capacity must not cost a signature.
    decideOutgoing(
      doc,
      { type: 'sign', capacity, documentSha256: doc.documentSha256 },
      caller.actor,
      now,
      ctx,
    );
    const org = caller.directory.get(doc.orgId);
    const signed = await ports.signing.signPersonal({
      pdf: await ports.files.readRevision(id, doc.documentSha256),
      signer: caller.actor,
      org,
      capacityLines: capacityLines(capacity, org, caller.actor.position),
      capacityMark: capacityMark(capacity),
      reason:
        command.reason ?? `Ký ban hành: ${documentType(doc.typeId).name} – ${doc.subject}`.slice(0, 300),
      at: now,
    });
    const documentSha256 = await ports.files.putRevision(id, signed.pdf);
    // The signature is made once. A concurrent change (another step on the document) is decided again on
    // what is stored now: the signed file still applies only if the draft it signed is still the one awaiting
    // signature; otherwise the core refuses and the signed file stays unused in the archive.
    return withRetries(async () => {
      const current = await ports.documents.read(id);
      if (!current.document) throw documentNotFound();
      if (current.document.documentSha256 !== doc.documentSha256) {
        throw new DomainError('document_changed_while_signing', 409);
      }
      const decision = decideOutgoing(
        current.document,
        { type: 'sign', capacity, documentSha256, certificateSha256: signed.certificateSha256 },
        caller.actor,
        now,
        ctx,
      );
      await commit(ports, {
        documentId: id,
        head: current.head,
        events: decision.events,
        outgoing: { before: current.document, after: decision.state },
      });
      logDecision(caller, id, decision.events);
      return viewFor(ports, caller, id);
    });
  });
}

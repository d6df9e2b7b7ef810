import type { Caller } from '../core/domain/caller';
import { issuerIndex, issuersOf } from '../core/domain/joint';
import { decideOutgoing, type OutgoingDocument } from '../core/domain/outgoing';
import { outgoingRegisterEntry, type RegisterEntry } from '../core/domain/registers';
import { documentNotFound } from '../core/domain/visibility';
import { DomainError } from '../core/errors';
import type { SignatureValue } from '../ports/signing';
import {
  authorizationOf,
  authorizedRequest,
  authorizedValue,
  digestOf,
  preparedView,
  saveRequest,
} from './authorization/prepared';
import { assertWriter, commit, loadVisible, logDecision, type SigningPorts, withRetries } from './context';
import { type DocumentView, viewFor } from './read/document-view';

/*
 * A co-issuer's seal on a joint document (core/domain/joint.ts), after the lead's clerk has issued it: the
 * same two steps as an issue (issue-requests → the clerk's own authorization → issue), reached through the
 * issue routes when the document is a joint one already issued. The seal goes over the co-issuer's own
 * leader's signature; the number and date are the lead's. The co-issuer's outgoing register records the
 * document with that number and the lead's notation.
 */

async function sealRevision(
  ports: SigningPorts,
  caller: Caller,
  doc: OutgoingDocument,
  at: Date,
  value: SignatureValue,
) {
  const orgId = caller.actor.position.orgId;
  return ports.signing.issueAndSeal({
    pdf: await ports.files.readRevision(doc.id, doc.documentSha256),
    org: caller.directory.get(orgId),
    clerk: caller.actor,
    symbol: `Số: ${doc.symbol ?? ''}`,
    dateLine: doc.dateLine ?? '',
    at,
    value,
    placement: doc.placement,
    jointIndex: issuerIndex(doc, orgId),
  });
}

/**
 * The co-issuer's register row: the lead's number and notation, its own leader as the signer, and the
 * issuers named (the lead first).
 */
function coIssuerEntry(doc: OutgoingDocument, orgId: string, caller: Caller): RegisterEntry {
  const entry = outgoingRegisterEntry(doc, caller.directory);
  const own = doc.signatures.filter((s) => s.kind === 'person')[issuerIndex(doc, orgId)];
  return {
    ...entry,
    orgId,
    leadOrgId: doc.orgId,
    row: {
      ...entry.row,
      ...(own?.kind === 'person' ? { signer: `${own.lines.join(' / ')} – ${own.signerName}` } : {}),
      issuers: issuersOf(doc).map((id) => caller.directory.get(id).name),
    },
  };
}

/** Prepares a co-issuer's seal: what its clerk will be asked to authorize. */
export async function requestJointSeal(ports: SigningPorts, caller: Caller, doc: OutgoingDocument) {
  const now = ports.now();
  // Refuses another organisation, one whose turn it is not, a document not yet issued or already sent.
  decideOutgoing(doc, { type: 'seal', documentSha256: doc.documentSha256 }, caller.actor, now, {
    directory: caller.directory,
  });
  const digest = await digestOf((value) => sealRevision(ports, caller, doc, now, value));
  const request = await saveRequest(ports, {
    documentId: doc.id,
    step: 'issue',
    personId: caller.actor.id,
    holder: { kind: 'seal', orgId: caller.actor.position.orgId },
    revisionSha256: doc.documentSha256,
    digest,
    signingTime: now.toISOString(),
    display: { title: doc.subject, symbol: doc.symbol },
  });
  return preparedView(request);
}

/** Applies the co-issuer's seal its clerk prepared and authorized, and records it in its register. */
export async function jointSeal(
  ports: SigningPorts,
  caller: Caller,
  id: string,
  requestId: string,
): Promise<DocumentView> {
  assertWriter(caller);
  const request = await authorizedRequest(ports, caller, id, 'issue', requestId);
  if (request.usedAt) return viewFor(ports, caller, id);
  const at = new Date(request.signingTime);
  return ports.leases.withLease(`doc:${id}`, async () => {
    if ((await ports.requests.get(requestId))?.usedAt) return viewFor(ports, caller, id);
    const doc = (await loadVisible(ports, caller, id)).document;
    if (!doc) throw documentNotFound();
    // The lead's own issue request, retried after it was committed: the issue is done.
    if (request.holder.kind === 'seal' && request.holder.orgId === doc.orgId)
      return viewFor(ports, caller, id);
    const ctx = { directory: caller.directory };
    decideOutgoing(doc, { type: 'seal', documentSha256: doc.documentSha256 }, caller.actor, at, ctx);
    if (doc.documentSha256 !== request.revisionSha256)
      throw new DomainError('document_changed_while_signing', 409);
    const sealed = await sealRevision(ports, caller, doc, at, authorizedValue(ports, request));
    const documentSha256 = await ports.files.putRevision(id, sealed.pdf);
    const authorization = await authorizationOf(ports, request);
    const view = await withRetries(async () => {
      const current = await ports.documents.read(id);
      if (!current.document) throw documentNotFound();
      if (current.document.documentSha256 !== doc.documentSha256)
        throw new DomainError('document_changed_while_signing', 409);
      const decision = decideOutgoing(
        current.document,
        { type: 'seal', documentSha256, certificateSha256: sealed.certificateSha256, authorization },
        caller.actor,
        at,
        ctx,
      );
      const orgId = caller.actor.position.orgId;
      await commit(ports, {
        documentId: id,
        head: current.head,
        events: decision.events,
        outgoing: { before: current.document, after: decision.state },
        // The co-issuer's register: the lead's number and notation, under its own organisation.
        registerEntries: [coIssuerEntry(decision.state, orgId, caller)],
      });
      logDecision(caller, id, decision.events);
      return viewFor(ports, caller, id);
    });
    await ports.requests.markUsed(requestId, ports.now().toISOString());
    return view;
  });
}

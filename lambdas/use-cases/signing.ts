import type { Caller } from '../core/domain/caller';
import {
  assertDelegationHeld,
  capacityLines,
  capacityMark,
  entitledCapacities,
  type SigningCapacity,
  SigningCapacitySchema,
} from '../core/domain/capacity';
import { documentType } from '../core/domain/document-types';
import { isJoint, issuerIndex, issuersOf, nextSigningOrg } from '../core/domain/joint';
import { decideOutgoing, type OutgoingDocument } from '../core/domain/outgoing';
import { documentNotFound } from '../core/domain/visibility';
import { DomainError } from '../core/errors';
import { jointError } from '../core/i18n/joint';
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
 * The leader's personal signature (D30 Art.13), in two steps. First the signature is prepared: in a capacity
 * they are entitled to, on the draft as approved, up to the digest their key must sign. Then, once they
 * have authorized that digest with their own passkey or authenticator app (use-cases/authorization), it is
 * made: the signer function signs with their key, and the signed version is committed. Under the document's
 * lease, so a conflict never costs a second signature.
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
  const org = caller.directory.get(signingOrgOf(doc));
  const [first] = entitledCapacities(caller.actor, caller.actor.delegations ?? [], org, now, doc.typeId);
  if (!first) throw new DomainError('capacity_not_entitled', 403, { capacity: '—' });
  return first;
}

/** A TL./TUQ. capacity's delegation is in its period and not revoked (a clear refusal otherwise). */
function delegationHeld(caller: Caller, capacity: SigningCapacity, at: Date): void {
  assertDelegationHeld(
    capacity,
    caller.actor,
    caller.actor.delegations ?? [],
    (orgId) => caller.directory.find(orgId)?.name ?? orgId,
    at,
  );
}

/** The signing step itself, the same in the dry run and for real. */
async function signRevision(
  ports: SigningPorts,
  caller: Caller,
  doc: OutgoingDocument,
  args: { capacity: SigningCapacity; reason: string; at: Date; value: SignatureValue },
) {
  // A joint document: the organisation whose turn it is, its block beside the lead's (core/domain/joint.ts).
  const orgId = signingOrgOf(doc);
  const org = caller.directory.get(orgId);
  const jointIndex = issuerIndex(doc, orgId);
  const capacity = args.capacity;
  // TL./TUQ.: the delegation relied on prints its lines (D30 PL I) and goes into the signature dictionary.
  const delegation =
    capacity.kind === 'TL' || capacity.kind === 'TUQ'
      ? caller.actor.delegations?.find((d) => d.id === capacity.delegationId)
      : undefined;
  return ports.signing.signPersonal({
    pdf: await ports.files.readRevision(doc.id, doc.documentSha256),
    signer: caller.actor,
    org,
    capacityLines: capacityLines(capacity, org, caller.actor.position, delegation),
    capacityMark: capacityMark(capacity),
    ...(delegation ? { delegation } : {}),
    reason: args.reason,
    at: args.at,
    value: args.value,
    placement: doc.placement,
    ...(jointIndex > 0 ? { jointIndex } : {}),
  });
}

/** Whose leader signs now: the document's organisation, or on a joint document the next issuer's. */
const signingOrgOf = (doc: OutgoingDocument): string => (isJoint(doc) && nextSigningOrg(doc)) || doc.orgId;

/** Prepares the caller's signature of the document: what they will be asked to authorize. */
export async function requestSignature(
  ports: SigningPorts,
  caller: Caller,
  id: string,
  command: SignDocument,
) {
  assertWriter(caller);
  const now = ports.now();
  if (command.capacity) delegationHeld(caller, command.capacity, now);
  const snapshot = await loadVisible(ports, caller, id);
  const doc = snapshot.document;
  if (!doc) throw documentNotFound();
  // A joint document's co-issuer waits for its turn: said as such, before any capacity is chosen.
  const turn = signingOrgOf(doc);
  if (turn !== caller.actor.position.orgId && issuersOf(doc).includes(caller.actor.position.orgId))
    throw jointError('joint_not_your_turn_sign', 403, { orgName: caller.directory.get(turn).name });
  const capacity = chosenCapacity(caller, doc, command.capacity, now);
  // Refuse before anything is prepared: a wrong state or capacity must not reach the signer.
  decideOutgoing(doc, { type: 'sign', capacity, documentSha256: doc.documentSha256 }, caller.actor, now, {
    directory: caller.directory,
  });
  const reason =
    command.reason ?? `Ký ban hành: ${documentType(doc.typeId).name} – ${doc.subject}`.slice(0, 300);
  const digest = await digestOf((value) =>
    signRevision(ports, caller, doc, { capacity, reason, at: now, value }),
  );
  const request = await saveRequest(ports, {
    documentId: id,
    step: 'sign',
    personId: caller.actor.id,
    holder: { kind: 'official', personId: caller.actor.id },
    revisionSha256: doc.documentSha256,
    digest,
    signingTime: now.toISOString(),
    display: { title: doc.subject, capacity: capacityMark(capacity) || undefined },
    capacity,
    reason,
  });
  return preparedView(request);
}

/** Makes the signature the caller prepared and authorized, and records it. */
export async function sign(
  ports: SigningPorts,
  caller: Caller,
  id: string,
  requestId: string,
): Promise<DocumentView> {
  assertWriter(caller);
  const request = await authorizedRequest(ports, caller, id, 'sign', requestId);
  // A retried request whose signature was already made answers with the document as it is.
  if (request.usedAt) return viewFor(ports, caller, id);
  const capacity = SigningCapacitySchema.parse(request.capacity);
  const at = new Date(request.signingTime);
  // Revoked or ended since the signature was prepared: refused now, with the reason.
  delegationHeld(caller, capacity, ports.now());
  return ports.leases.withLease(`doc:${id}`, async () => {
    // The same request may have been made while this one waited for the lease: answer with its outcome.
    if ((await ports.requests.get(requestId))?.usedAt) return viewFor(ports, caller, id);
    const snapshot = await loadVisible(ports, caller, id);
    const doc = snapshot.document;
    if (!doc) throw documentNotFound();
    const ctx = { directory: caller.directory };
    // The state first, so that a second signature of a signed draft is refused as such.
    decideOutgoing(
      doc,
      { type: 'sign', capacity, documentSha256: doc.documentSha256 },
      caller.actor,
      at,
      ctx,
    );
    if (doc.documentSha256 !== request.revisionSha256)
      throw new DomainError('document_changed_while_signing', 409);
    const signed = await signRevision(ports, caller, doc, {
      capacity,
      reason: request.reason ?? '',
      at,
      value: authorizedValue(ports, request),
    });
    const documentSha256 = await ports.files.putRevision(id, signed.pdf);
    const authorization = await authorizationOf(ports, request);
    // The signature is made once. A concurrent change (another step on the document) is decided again on
    // what is stored now: the signed file still applies only if the draft it signed is still the one awaiting
    // signature; otherwise the core refuses and the signed file stays unused in the archive.
    const view = await withRetries(async () => {
      const current = await ports.documents.read(id);
      if (!current.document) throw documentNotFound();
      if (current.document.documentSha256 !== doc.documentSha256)
        throw new DomainError('document_changed_while_signing', 409);
      const decision = decideOutgoing(
        current.document,
        {
          type: 'sign',
          capacity,
          documentSha256,
          certificateSha256: signed.certificateSha256,
          authorization,
        },
        caller.actor,
        at,
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
    await ports.requests.markUsed(requestId, ports.now().toISOString());
    return view;
  });
}

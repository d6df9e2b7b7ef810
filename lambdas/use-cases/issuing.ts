import type { Caller } from '../core/domain/caller';
import type { Attachment, SealedAttachment } from '../core/domain/document-files';
import { isJoint } from '../core/domain/joint';
import { type NumberingSeries, seriesKeyAt } from '../core/domain/numbering';
import { decideOutgoing, type OutgoingDocument, previewIssue } from '../core/domain/outgoing';
import { outgoingRegisterEntry } from '../core/domain/registers';
import { documentNotFound } from '../core/domain/visibility';
import { DomainError } from '../core/errors';
import type { SignatureRequest } from '../core/signing/authorization';
import { logger } from '../observability/logger';
import type { IssueReservation } from '../ports/documents';
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
import { jointSeal, requestJointSeal } from './joint';
import { type DocumentView, viewFor } from './read/document-view';

/*
 * The clerk's issue (D30 Art.15–16). First the number: under a short per-organisation lease, the next
 * number of the yearly series is reserved for this document in one transaction (fast, so fifty clerks
 * pressing the button at once wait milliseconds, not seconds). Then the issue is prepared: the number and
 * date stamped and the organisation's seal signature made up to the digest the seal key must sign. Once
 * the clerk has authorized that digest with their own factor, the signer function applies the seal and the
 * issue is committed with the reserved number. A retried or interrupted issue resumes with its
 * reservation: numbers are unique and gap-free.
 */

function seriesOf(reservation: IssueReservation, orgId: string): NumberingSeries {
  const year = Number(reservation.seriesKey.split('#')[1]);
  return { key: reservation.seriesKey, orgId, year, kind: 'general', lastNumber: reservation.number };
}

/** What the stamping and the seal are made with: the reserved number, as of when it was taken. */
function issueOf(caller: Caller, doc: OutgoingDocument, reservation: IssueReservation) {
  const at = new Date(reservation.reservedAt);
  // The series as it was when this number was taken: the core checks the number against it.
  const before = { ...seriesOf(reservation, doc.orgId), lastNumber: reservation.number - 1 };
  return { at, before, preview: previewIssue(doc, caller.directory.get(doc.orgId), before, at) };
}

async function sealRevision(
  ports: SigningPorts,
  caller: Caller,
  doc: OutgoingDocument,
  reservation: IssueReservation,
  value: SignatureValue,
) {
  const { at, preview } = issueOf(caller, doc, reservation);
  return ports.signing.issueAndSeal({
    pdf: await ports.files.readRevision(doc.id, doc.documentSha256),
    org: caller.directory.get(doc.orgId),
    clerk: caller.actor,
    symbol: `Số: ${preview.symbol}`,
    dateLine: preview.dateLine,
    at,
    value,
    placement: doc.placement,
  });
}

/**
 * The seal on one attachment in a file of its own (D30 Appendix I): the number and symbol and the time of
 * the issue, made with the same reservation as the main file's seal, so the dry run and the seal agree.
 */
async function sealAttachment(
  ports: SigningPorts,
  caller: Caller,
  doc: OutgoingDocument,
  reservation: IssueReservation,
  attachment: Attachment,
  value: SignatureValue,
) {
  const { at, preview } = issueOf(caller, doc, reservation);
  return ports.signing.sealAttachment({
    file: await ports.files.readRevision(doc.id, attachment.sha256),
    format: attachment.format,
    org: caller.directory.get(doc.orgId),
    numberSymbol: preview.symbol,
    at,
    value,
  });
}

/** Prepares the issue: the number reserved, the seal's digest found; the clerk then authorizes it. */
export async function requestIssue(ports: SigningPorts, caller: Caller, id: string) {
  assertWriter(caller);
  const first = await loadVisible(ports, caller, id);
  const doc = first.document;
  if (!doc) throw documentNotFound();
  // A joint document the lead has issued: the next co-issuer's seal (joint.ts).
  if (isJoint(doc) && doc.state === 'ISSUED') return requestJointSeal(ports, caller, doc);
  const now = ports.now();
  // Refuse before taking a number: wrong state, role or organisation.
  const current = await ports.documents.readSeries(seriesKeyAt(doc.orgId, now));
  const check = previewIssue(doc, caller.directory.get(doc.orgId), current, now);
  decideOutgoing(
    doc,
    { type: 'issue', number: check.number, issuedOn: check.issuedOn, documentSha256: doc.documentSha256 },
    caller.actor,
    now,
    { directory: caller.directory, series: current },
  );
  const reservation = first.reservation ?? (await reserve(ports, caller, id));
  const { preview, at } = issueOf(caller, doc, reservation);
  const digest = await digestOf((value) => sealRevision(ports, caller, doc, reservation, value));
  // Each attachment's seal is a request of its own, authorized with the main one (activation.ts).
  const attachments = await Promise.all(
    (doc.attachments ?? []).map(async (attachment) => {
      const attached = await saveRequest(ports, {
        documentId: id,
        step: 'issue',
        personId: caller.actor.id,
        holder: { kind: 'seal', orgId: doc.orgId },
        revisionSha256: attachment.sha256,
        digest: await digestOf((value) => sealAttachment(ports, caller, doc, reservation, attachment, value)),
        signingTime: at.toISOString(),
        display: { title: attachment.title, symbol: preview.symbol },
      });
      return { id: attachment.id, requestId: attached.id };
    }),
  );
  const request = await saveRequest(ports, {
    documentId: id,
    step: 'issue',
    personId: caller.actor.id,
    holder: { kind: 'seal', orgId: doc.orgId },
    revisionSha256: doc.documentSha256,
    digest,
    signingTime: at.toISOString(),
    display: { title: doc.subject, symbol: preview.symbol },
    ...(attachments.length > 0 ? { attachments } : {}),
  });
  return preparedView(request);
}

/** Applies the seal the clerk prepared and authorized, and issues the document with its number. */
export async function issue(
  ports: SigningPorts,
  caller: Caller,
  id: string,
  requestId: string,
): Promise<DocumentView> {
  assertWriter(caller);
  const stored = (await ports.documents.read(id)).document;
  if (stored && isJoint(stored) && stored.state === 'ISSUED') return jointSeal(ports, caller, id, requestId);
  const request = await authorizedRequest(ports, caller, id, 'issue', requestId);
  if (request.usedAt) return viewFor(ports, caller, id);
  return ports.leases.withLease(`doc:${id}`, async () => {
    if ((await ports.requests.get(requestId))?.usedAt) return viewFor(ports, caller, id);
    const snapshot = await ports.documents.read(id);
    const signedDoc = snapshot.document;
    if (!signedDoc) throw documentNotFound();
    // An earlier attempt finished the issue (it consumed the reservation): answer with what it did.
    if (!snapshot.reservation) return viewFor(ports, caller, id);
    if (signedDoc.documentSha256 !== request.revisionSha256)
      throw new DomainError('document_changed_while_signing', 409);
    const reservation = snapshot.reservation;
    const { at, before, preview } = issueOf(caller, signedDoc, reservation);
    const attachmentRequests = await authorizedAttachments(ports, signedDoc, request);
    const sealed = await sealRevision(ports, caller, signedDoc, reservation, authorizedValue(ports, request));
    const documentSha256 = await ports.files.putRevision(id, sealed.pdf);
    const attachments: SealedAttachment[] = [];
    for (const { attachment, attached } of attachmentRequests) {
      const files = await sealAttachment(
        ports,
        caller,
        signedDoc,
        reservation,
        attachment,
        authorizedValue(ports, attached),
      );
      attachments.push({
        id: attachment.id,
        title: attachment.title,
        fileName: attachment.fileName,
        mediaType: attachment.mediaType,
        format: attachment.format,
        sealedSha256: await ports.files.putRevision(id, files.file, attachment.mediaType),
        ...(files.signature
          ? {
              signatureSha256: await ports.files.putRevision(
                id,
                files.signature,
                'application/pkcs7-signature',
              ),
            }
          : {}),
        certificateSha256: files.certificateSha256,
      });
    }
    const authorization = await authorizationOf(ports, request);
    // Sealed once; a concurrent change is decided again on what is stored now (see signing.ts).
    const view = await withRetries(async () => {
      const current = await ports.documents.read(id);
      if (!current.document) throw documentNotFound();
      if (!current.reservation) return viewFor(ports, caller, id);
      if (current.document.documentSha256 !== signedDoc.documentSha256)
        throw new DomainError('document_changed_while_signing', 409);
      const decision = decideOutgoing(
        current.document,
        {
          type: 'issue',
          number: preview.number,
          issuedOn: preview.issuedOn,
          documentSha256,
          certificateSha256: sealed.certificateSha256,
          authorization,
          ...(attachments.length > 0 ? { attachments } : {}),
        },
        caller.actor,
        at,
        { directory: caller.directory, series: before },
      );
      await commit(ports, {
        documentId: id,
        head: current.head,
        events: decision.events,
        outgoing: { before: current.document, after: decision.state },
        registerEntries: [outgoingRegisterEntry(decision.state, caller.directory)],
        consumeReservation: true,
      });
      logDecision(caller, id, decision.events);
      return viewFor(ports, caller, id);
    });
    const usedAt = ports.now().toISOString();
    for (const { attached } of attachmentRequests) await ports.requests.markUsed(attached.id, usedAt);
    await ports.requests.markUsed(requestId, usedAt);
    return view;
  });
}

/**
 * The attachments' seal requests of an authorized issue, each covered by the very authorization of the main
 * seal (one factor, bound to every digest); refused when an attachment has none or changed since.
 */
async function authorizedAttachments(
  ports: SigningPorts,
  doc: OutgoingDocument,
  request: SignatureRequest & { authorizationId: string },
): Promise<{ attachment: Attachment; attached: SignatureRequest & { authorizationId: string } }[]> {
  const links = request.attachments ?? [];
  const attachments = doc.attachments ?? [];
  if (links.length !== attachments.length) throw new DomainError('document_changed_while_signing', 409);
  return Promise.all(
    attachments.map(async (attachment) => {
      const link = links.find((l) => l.id === attachment.id);
      const attached = link && (await ports.requests.get(link.requestId));
      if (!attached || attached.revisionSha256 !== attachment.sha256)
        throw new DomainError('document_changed_while_signing', 409);
      if (attached.authorizationId !== request.authorizationId)
        throw new DomainError('signature_request_not_authorized', 409);
      return { attachment, attached: attached as SignatureRequest & { authorizationId: string } };
    }),
  );
}

/** Takes the next number for the document under the organisation's short issuing lease. */
async function reserve(ports: SigningPorts, caller: Caller, id: string): Promise<IssueReservation> {
  const orgId = caller.actor.position.orgId;
  return ports.leases.withLease(`issue:${orgId}`, () =>
    withRetries(async () => {
      const snapshot = await ports.documents.read(id);
      const doc = snapshot.document;
      if (!doc) throw documentNotFound();
      if (snapshot.reservation) return snapshot.reservation;
      const now = ports.now();
      const series = await ports.documents.readSeries(seriesKeyAt(doc.orgId, now));
      const preview = previewIssue(doc, caller.directory.get(doc.orgId), series, now);
      const decision = decideOutgoing(
        doc,
        {
          type: 'issue',
          number: preview.number,
          issuedOn: preview.issuedOn,
          documentSha256: doc.documentSha256,
        },
        caller.actor,
        now,
        { directory: caller.directory, series },
      );
      if (!decision.series) throw new Error('issuing gave out no number');
      const reservation: IssueReservation = {
        number: preview.number,
        reservedAt: now.toISOString(),
        reservedBy: caller.actor.id,
        seriesKey: preview.seriesKey,
      };
      await ports.documents.reserveNumber({
        document: doc,
        series: { before: series, after: decision.series },
        reservation,
      });
      logger.info('number reserved', {
        documentId: id,
        number: reservation.number,
        seriesKey: reservation.seriesKey,
      });
      return reservation;
    }),
  );
}

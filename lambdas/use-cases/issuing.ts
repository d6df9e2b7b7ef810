import type { Caller } from '../core/domain/caller';
import { type NumberingSeries, seriesKeyAt } from '../core/domain/numbering';
import { decideOutgoing, previewIssue } from '../core/domain/outgoing';
import { outgoingRegisterEntry } from '../core/domain/registers';
import { documentNotFound } from '../core/domain/visibility';
import { DomainError } from '../core/errors';
import { logger } from '../observability';
import type { IssueReservation } from '../ports/documents';
import { assertWriter, commit, loadVisible, logDecision, type SigningPorts, withRetries } from './context';
import { type DocumentView, viewFor } from './read/document-view';

/*
 * The clerk's issue (D30 Art.15–16), in two steps. First the number: under a short per-organisation lease,
 * the next number of the yearly series is reserved for this document in one transaction (fast, so fifty
 * clerks pressing the button at once wait milliseconds, not seconds). Then, with no organisation-wide lock,
 * the number and date are stamped on the PDF, the seal applied, and the issue committed with the reserved
 * number. A retried or interrupted issue resumes with its reservation: numbers are unique and gap-free.
 */

export async function issue(ports: SigningPorts, caller: Caller, id: string): Promise<DocumentView> {
  assertWriter(caller);
  const first = await loadVisible(ports, caller, id);
  const doc = first.document;
  if (!doc) throw documentNotFound();
  const org = caller.directory.get(doc.orgId);
  const now = ports.now();
  // Refuse before taking a number: wrong state, role or organisation.
  const current = await ports.documents.readSeries(seriesKeyAt(doc.orgId, now));
  const check = previewIssue(doc, org, current, now);
  decideOutgoing(
    doc,
    { type: 'issue', number: check.number, issuedOn: check.issuedOn, documentSha256: doc.documentSha256 },
    caller.actor,
    now,
    { directory: caller.directory, series: current },
  );
  const reservation = first.reservation ?? (await reserve(ports, caller, id));
  return ports.leases.withLease(`doc:${id}`, async () => {
    const snapshot = await ports.documents.read(id);
    const signedDoc = snapshot.document;
    if (!signedDoc) throw documentNotFound();
    // An earlier attempt finished the issue (it consumed the reservation): answer with what it did.
    if (!snapshot.reservation) return viewFor(ports, caller, id);
    const at = new Date(reservation.reservedAt);
    // The series as it was when this number was taken: the core checks the number against it.
    const before = { ...seriesOf(reservation, signedDoc.orgId), lastNumber: reservation.number - 1 };
    const preview = previewIssue(signedDoc, org, before, at);
    const sealed = await ports.signing.issueAndSeal({
      pdf: await ports.files.readRevision(id, signedDoc.documentSha256),
      org,
      clerk: caller.actor,
      symbol: `Số: ${preview.symbol}`,
      dateLine: preview.dateLine,
      at,
    });
    const documentSha256 = await ports.files.putRevision(id, sealed.pdf);
    // Sealed once; a concurrent change is decided again on what is stored now (see signing.ts).
    return withRetries(async () => {
      const current = await ports.documents.read(id);
      if (!current.document) throw documentNotFound();
      if (!current.reservation) return viewFor(ports, caller, id);
      if (current.document.documentSha256 !== signedDoc.documentSha256) {
        throw new DomainError('document_changed_while_signing', 409);
      }
      const decision = decideOutgoing(
        current.document,
        {
          type: 'issue',
          number: preview.number,
          issuedOn: preview.issuedOn,
          documentSha256,
          certificateSha256: sealed.certificateSha256,
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
  });
}

function seriesOf(reservation: IssueReservation, orgId: string): NumberingSeries {
  const year = Number(reservation.seriesKey.split('#')[1]);
  return { key: reservation.seriesKey, orgId, year, kind: 'general', lastNumber: reservation.number };
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

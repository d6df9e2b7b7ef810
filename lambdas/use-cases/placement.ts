import type { Caller } from '../core/domain/caller';
import { decideOutgoing } from '../core/domain/outgoing';
import { documentNotFound } from '../core/domain/visibility';
import { DomainError } from '../core/errors';
import { messageText } from '../core/i18n/messages';
import { MAX_SIGNED_PDF_BYTES } from '../core/limits';
import { readLayout } from '../core/pdf/layout';
import { checkPlacement, type DraftPlacement, type PlacementProblem } from '../core/placement/placement';
import {
  assertWriter,
  type CirculationPorts,
  commit,
  loadVisible,
  logDecision,
  withRetries,
} from './context';
import { type DocumentView, viewFor } from './read/document-view';

/*
 * Moving the signature block, the seal or the number/date line of a draft (issue 18): allowed by the core
 * (the drafter while it is a draft, the clerk up to issue), then checked against the pages of the file as
 * it stands, whoever computed the positions: nothing may cover text or an image, or leave its page.
 */

function refusal(problem: PlacementProblem): DomainError {
  return new DomainError('placement_refused', 422, {
    itemName: messageText(`placement_item_${problem.item}`),
    reason: messageText(problem.code, { page: problem.page }),
    item: problem.item,
    problem: problem.code,
  });
}

export async function placeOnDocument(
  ports: CirculationPorts,
  caller: Caller,
  id: string,
  placement: DraftPlacement,
): Promise<DocumentView> {
  assertWriter(caller);
  const first = await loadVisible(ports, caller, id);
  if (!first.document) throw documentNotFound();
  // The step must be open to the caller before the file is read.
  decideOutgoing(first.document, { type: 'place', placement }, caller.actor, ports.now(), {
    directory: caller.directory,
  });
  const pdf = await ports.files.readRevision(id, first.document.documentSha256);
  const [problem] = checkPlacement(await readLayout(pdf, { maxBytes: MAX_SIGNED_PDF_BYTES }), placement);
  if (problem) throw refusal(problem);
  return withRetries(async () => {
    const snapshot = await loadVisible(ports, caller, id);
    const doc = snapshot.document;
    if (!doc) throw documentNotFound();
    // The file checked must still be the document's.
    if (doc.documentSha256 !== first.document?.documentSha256)
      throw new DomainError('placement_file_changed', 409);
    const decision = decideOutgoing(doc, { type: 'place', placement }, caller.actor, ports.now(), {
      directory: caller.directory,
    });
    await commit(ports, {
      documentId: id,
      head: snapshot.head,
      events: decision.events,
      outgoing: { before: doc, after: decision.state },
    });
    logDecision(caller, id, decision.events);
    return viewFor(ports, caller, id);
  });
}

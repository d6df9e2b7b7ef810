import { randomUUID } from 'node:crypto';
import type { Caller } from '../core/domain/caller';
import { type DraftMetadata, decideOutgoing, type OutgoingCommand } from '../core/domain/outgoing';
import { documentNotFound } from '../core/domain/visibility';
import { logger } from '../observability/logger';
import type { UploadTarget } from '../ports/files';
import {
  assertWriter,
  type CirculationPorts,
  commit,
  loadVisible,
  logDecision,
  onceTaken,
  type SigningPorts,
  withRetries,
} from './context';
import { type DocumentView, viewFor } from './read/document-view';
import { assertIssuedByCaller, assertLeaderOf } from './references';

/*
 * Drafts of outgoing documents (D30 Art.10–12): started with their metadata, their PDF uploaded straight to
 * storage, checked and recorded; then submitted, reviewed, approved for signature or returned for revision.
 */

const uploadKey = (documentId: string) => `uploads/${documentId}/draft.pdf`;
const PLACEHOLDER_SHA256 = '0'.repeat(64);

/** Starts a draft; its PDF goes to the upload target, then `recordContent`. */
export async function createDraft(
  ports: CirculationPorts,
  caller: Caller,
  draft: DraftMetadata,
): Promise<{ id: string; upload: UploadTarget }> {
  assertWriter(caller);
  const documentId = randomUUID();
  // Decide now with a placeholder file, so that a bad request fails before any upload is offered.
  decideOutgoing(
    undefined,
    { type: 'create', documentId, ...draft, documentSha256: PLACEHOLDER_SHA256 },
    caller.actor,
    ports.now(),
    { directory: caller.directory },
  );
  await ports.documents.savePendingUpload({
    documentId,
    orgId: caller.actor.position.orgId,
    createdBy: caller.actor.id,
    uploadKey: uploadKey(documentId),
    metadata: { ...draft },
    createdAt: ports.now().toISOString(),
  });
  logger.info('draft started', { documentId, actor: caller.actor.id });
  return { id: documentId, upload: await ports.files.presignUpload(uploadKey(documentId)) };
}

/** Records the uploaded PDF as the draft (first time) or as its new version (a revision). */
export async function recordContent(ports: SigningPorts, caller: Caller, id: string): Promise<DocumentView> {
  assertWriter(caller);
  return ports.leases.withLease(`doc:${id}`, async () => {
    const first = await loadVisible(ports, caller, id);
    if (!first.upload) throw documentNotFound();
    // Decided first with a placeholder file: a caller the step is not open to (another role, another
    // organisation, the wrong state) is refused before the upload is read or any PDF work is done.
    const metadata = first.upload.metadata as DraftMetadata;
    decideOutgoing(
      first.document,
      first.document
        ? { type: 'revise', ...metadata, documentSha256: PLACEHOLDER_SHA256 }
        : { type: 'create', documentId: id, ...metadata, documentSha256: PLACEHOLDER_SHA256 },
      caller.actor,
      ports.now(),
      { directory: caller.directory },
    );
    if (first.upload.orgId !== caller.actor.position.orgId) throw documentNotFound();
    const { pdf, pageCount } = await ports.signing.prepareDraft(
      await ports.files.readUpload(first.upload.uploadKey),
    );
    const documentSha256 = await ports.files.putRevision(id, pdf);
    return withRetries(async () => {
      const snapshot = await ports.documents.read(id);
      const metadata = (snapshot.upload ?? first.upload)?.metadata as DraftMetadata;
      const fields = { ...metadata, documentSha256, pageCount };
      const command: OutgoingCommand = snapshot.document
        ? { type: 'revise', ...fields }
        : { type: 'create', documentId: id, ...fields };
      const decision = decideOutgoing(snapshot.document, command, caller.actor, ports.now(), {
        directory: caller.directory,
      });
      await commit(ports, {
        documentId: id,
        head: snapshot.head,
        events: decision.events,
        outgoing: { before: snapshot.document, after: decision.state },
      });
      logDecision(caller, id, decision.events);
      return viewFor(ports, caller, id);
    });
  });
}

/** The steps of an outgoing document that change its state and no file: submit, approve, return, replace. */
export type OutgoingStateCommand = Extract<
  OutgoingCommand,
  { type: 'submit' | 'approve' | 'return-for-revision' | 'replace' | 'recall' }
>;

export async function outgoingCommand(
  ports: CirculationPorts,
  caller: Caller,
  id: string,
  command: OutgoingStateCommand,
): Promise<DocumentView> {
  assertWriter(caller);
  const step = () =>
    withRetries(async () => {
      const snapshot = await loadVisible(ports, caller, id);
      if (!snapshot.document) throw documentNotFound();
      const decision = decideOutgoing(snapshot.document, command, caller.actor, ports.now(), {
        directory: caller.directory,
      });
      await checkReferences(ports, caller, snapshot.document.orgId, command);
      await commit(ports, {
        documentId: id,
        head: snapshot.head,
        events: decision.events,
        outgoing: { before: snapshot.document, after: decision.state },
      });
      logDecision(caller, id, decision.events);
      return viewFor(ports, caller, id);
    });
  return onceTaken(ports, caller, id, [OUTGOING_EVENT_OF[command.type]], step, () =>
    viewFor(ports, caller, id),
  );
}

/**
 * The ids a step names: the leader an approved draft goes to for signature (a leader of the document's
 * organisation), the document that replaces an issued one (one the organisation has issued). Checked once
 * the core has allowed the step, so that a refusal for the role or the state is the same whatever ids the
 * body names.
 */
async function checkReferences(
  ports: CirculationPorts,
  caller: Caller,
  orgId: string,
  command: OutgoingStateCommand,
): Promise<void> {
  if (command.type === 'approve' && command.signerId)
    await assertLeaderOf(ports, caller, orgId, command.signerId, 'signerId');
  if (command.type === 'replace')
    await assertIssuedByCaller(ports, caller, command.replacementDocumentId, 'replacementId');
}

/** The event each state step records: what a retry of it finds as the last thing done. */
const OUTGOING_EVENT_OF: Readonly<Record<OutgoingStateCommand['type'], string>> = {
  submit: 'submitted',
  approve: 'approved',
  'return-for-revision': 'returned-for-revision',
  replace: 'replaced',
  recall: 'recalled',
};

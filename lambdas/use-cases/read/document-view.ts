import type { Caller } from '../../core/domain/caller';
import type { DraftMetadata } from '../../core/domain/outgoing';
import { assertCopyServed } from '../../core/domain/visibility';
import { DomainError } from '../../core/errors';
import { documentViewFor } from '../../core/views/document-view';
import type { CallerDocumentView } from '../../core/views/document-view-schema';
import type { UploadTarget } from '../../ports/files';
import { type CirculationPorts, loadVisible } from '../context';

/**
 * The document as the caller may see it, with what they may do now, and an upload target when one of those
 * is sending the draft's PDF.
 */
export type DocumentView = CallerDocumentView & { readonly upload?: UploadTarget };

export async function viewFor(
  ports: Pick<CirculationPorts, 'documents' | 'files' | 'now'>,
  caller: Caller,
  id: string,
): Promise<DocumentView> {
  const snapshot = await loadVisible(ports, caller, id);
  const events = await ports.documents.readLog(id);
  const pending = snapshot.upload;
  const view = documentViewFor(
    caller,
    snapshot.access,
    id,
    {
      document: snapshot.document,
      incoming: snapshot.incoming,
      head: snapshot.head,
      // Stored as checked when the draft was started (drafts.ts); checked again when its file arrives.
      pendingUpload: pending && { createdBy: pending.createdBy, metadata: pending.metadata as DraftMetadata },
    },
    events,
    ports.now(),
  );
  const uploads = view.actions.includes('upload') || view.actions.includes('replace');
  const upload = uploads && pending ? await ports.files.presignUpload(pending.uploadKey) : undefined;
  return { ...view, upload };
}

/** The current PDF: the recipient's delivered version, or the sender's latest. */
export async function fileUrl(
  ports: Pick<CirculationPorts, 'documents' | 'files'>,
  caller: Caller,
  id: string,
): Promise<string> {
  const snapshot = await loadVisible(ports, caller, id);
  assertCopyServed(caller, snapshot, snapshot.access);
  const mine = snapshot.incoming.find((r) => r.orgId === caller.actor.position.orgId);
  const sha = mine?.documentSha256 ?? snapshot.document?.documentSha256;
  if (!sha) throw new DomainError('upload_missing', 409);
  return ports.files.presignRevisionDownload(
    id,
    sha,
    `${snapshot.document?.symbol ?? id}.pdf`.replace(/[^\w.-]/g, '_'),
  );
}

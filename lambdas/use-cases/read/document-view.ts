import type { Caller } from '../../core/domain/caller';
import type { DraftMetadata } from '../../core/domain/outgoing';
import { DomainError } from '../../core/errors';
import { documentViewFor } from '../../core/views/document-view';
import type { UploadTarget } from '../../ports/files';
import { type CirculationPorts, loadVisible } from '../context';

/** The document as the caller may see it, with an upload target while its drafter still has to send the PDF. */
export type DocumentView = ReturnType<typeof documentViewFor> & { readonly upload?: UploadTarget };

export async function viewFor(
  ports: Pick<CirculationPorts, 'documents' | 'files'>,
  caller: Caller,
  id: string,
): Promise<DocumentView> {
  const snapshot = await loadVisible(ports, caller, id);
  const events = await ports.documents.readLog(id);
  const upload =
    snapshot.document?.state === 'DRAFT' && snapshot.upload && snapshot.document.drafterId === caller.actor.id
      ? await ports.files.presignUpload(snapshot.upload.uploadKey)
      : undefined;
  const view = documentViewFor(
    caller,
    snapshot.access,
    id,
    {
      document: snapshot.document,
      incoming: snapshot.incoming,
      head: snapshot.head,
      pendingTitle: (snapshot.upload?.metadata as DraftMetadata | undefined)?.subject,
      awaitingContent: snapshot.upload !== undefined,
    },
    events,
  );
  return { ...view, upload };
}

/** The current PDF: the recipient's delivered version, or the sender's latest. */
export async function fileUrl(
  ports: Pick<CirculationPorts, 'documents' | 'files'>,
  caller: Caller,
  id: string,
): Promise<string> {
  const snapshot = await loadVisible(ports, caller, id);
  const mine = snapshot.incoming.find((r) => r.orgId === caller.actor.position.orgId);
  const sha = mine?.documentSha256 ?? snapshot.document?.documentSha256;
  if (!sha) throw new DomainError('upload_missing', 409);
  return ports.files.presignRevisionDownload(
    id,
    sha,
    `${snapshot.document?.symbol ?? id}.pdf`.replace(/[^\w.-]/g, '_'),
  );
}

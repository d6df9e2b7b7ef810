import { randomUUID } from 'node:crypto';
import type { Caller } from '../core/domain/caller';
import { type Attachment, attachmentFormatOf, MAX_ATTACHMENT_BYTES } from '../core/domain/document-files';
import { decideOutgoing, type OutgoingCommand, type OutgoingDocument } from '../core/domain/outgoing';
import { assertCopyServed, documentNotFound } from '../core/domain/visibility';
import { DomainError } from '../core/errors';
import { messageText } from '../core/i18n/messages';
import type { UploadTarget } from '../ports/files';
import {
  alreadyTaken,
  assertWriter,
  type CirculationPorts,
  commit,
  loadVisible,
  logDecision,
  type SigningPorts,
  withRetries,
} from './context';
import { type DocumentView, viewFor } from './read/document-view';

/*
 * A draft's attachments in files of their own (phụ lục, văn bản kèm theo; D30 Art.8, Appendix I): each
 * uploaded straight to storage like the draft's PDF, checked and recorded with its title by the drafter,
 * removed while the document is a draft; sealed with the main file at issue (issuing.ts); downloaded by
 * everyone who may see the document, recipients the sealed files only.
 */

export interface AttachmentFile {
  readonly fileName: string;
  readonly mediaType: string;
}

const uploadKey = (documentId: string, uploadId: string) => `uploads/${documentId}/attachments/${uploadId}`;
const PLACEHOLDER_SHA256 = '0'.repeat(64);

/** The content type an attachment is stored and uploaded with: a PDF as one, any other file as declared. */
const storedType = (file: AttachmentFile) =>
  attachmentFormatOf(file.fileName, file.mediaType) === 'pdf' ? 'application/pdf' : file.mediaType;

/** The add decided with a placeholder file: who, in which state, how many; before anything is read. */
function decideAdd(doc: OutgoingDocument, caller: Caller, now: Date, attachment: Omit<Attachment, 'id'>) {
  const command: OutgoingCommand = { type: 'add-attachment', attachment };
  return decideOutgoing(doc, command, caller.actor, now, { directory: caller.directory });
}

const probe = (file: AttachmentFile, title: string): Omit<Attachment, 'id'> => ({
  title,
  fileName: file.fileName,
  mediaType: storedType(file),
  format: attachmentFormatOf(file.fileName, file.mediaType),
  sha256: PLACEHOLDER_SHA256,
  size: 1,
});

/** Where the drafter uploads an attachment: a presigned POST of at most MAX_ATTACHMENT_BYTES, one key per upload. */
export async function startAttachmentUpload(
  ports: CirculationPorts,
  caller: Caller,
  id: string,
  file: AttachmentFile,
): Promise<{ uploadId: string; upload: UploadTarget }> {
  assertWriter(caller);
  const { document: doc } = await loadVisible(ports, caller, id);
  if (!doc) throw documentNotFound();
  decideAdd(doc, caller, ports.now(), probe(file, file.fileName));
  const uploadId = randomUUID();
  const upload = await ports.files.presignUpload(
    uploadKey(id, uploadId),
    MAX_ATTACHMENT_BYTES,
    storedType(file),
  );
  return { uploadId, upload };
}

/**
 * Records an uploaded attachment: a PDF must be one that can be read (it is sealed at issue), any other file
 * is kept as it is (sealed with a detached signature). Stored under its SHA-256 beside the document's versions.
 */
export async function addAttachment(
  ports: SigningPorts,
  caller: Caller,
  id: string,
  input: AttachmentFile & { uploadId: string; title: string },
): Promise<DocumentView> {
  assertWriter(caller);
  return ports.leases.withLease(`doc:${id}`, async () => {
    const { document: first } = await loadVisible(ports, caller, id);
    if (!first) throw documentNotFound();
    const attachment = probe(input, input.title);
    decideAdd(first, caller, ports.now(), attachment);
    const bytes = await ports.files.readUpload(uploadKey(id, input.uploadId), MAX_ATTACHMENT_BYTES);
    if (attachment.format === 'pdf') await ports.signing.checkAttachmentPdf(bytes);
    const sha256 = await ports.files.putRevision(id, bytes, attachment.mediaType);
    return withRetries(async () => {
      const snapshot = await ports.documents.read(id);
      const doc = snapshot.document;
      if (!doc) throw documentNotFound();
      // A retry whose first attempt was recorded: the same upload is there already.
      if (doc.attachments?.some((a) => a.sha256 === sha256 && a.fileName === input.fileName))
        return viewFor(ports, caller, id);
      const decision = decideAdd(doc, caller, ports.now(), { ...attachment, sha256, size: bytes.length });
      await commit(ports, {
        documentId: id,
        head: snapshot.head,
        events: decision.events,
        outgoing: { before: doc, after: decision.state },
      });
      logDecision(caller, id, decision.events);
      return viewFor(ports, caller, id);
    });
  });
}

/** Removes an attachment from a draft (its file stays in the archive, named by the log). */
export async function removeAttachment(
  ports: CirculationPorts,
  caller: Caller,
  id: string,
  attachmentId: string,
): Promise<DocumentView> {
  assertWriter(caller);
  try {
    return await withRetries(async () => {
      const snapshot = await loadVisible(ports, caller, id);
      const doc = snapshot.document;
      if (!doc) throw documentNotFound();
      const decision = decideOutgoing(
        doc,
        { type: 'remove-attachment', attachmentId },
        caller.actor,
        ports.now(),
        { directory: caller.directory },
      );
      await commit(ports, {
        documentId: id,
        head: snapshot.head,
        events: decision.events,
        outgoing: { before: doc, after: decision.state },
      });
      logDecision(caller, id, decision.events);
      return viewFor(ports, caller, id);
    });
  } catch (error) {
    // A retry of a removal that was made: the document as it is now.
    if (
      error instanceof DomainError &&
      error.status === 404 &&
      (await alreadyTaken(ports, caller, id, ['attachment-removed']))
    )
      return viewFor(ports, caller, id);
    throw error;
  }
}

const attachmentNotFound = () => new DomainError('not_found', 404, { what: messageText('what_attachment') });

/**
 * A download URL of an attachment (`file`) or of its detached seal signature (`signature`). Recipients get
 * the sealed files they received; the issuing organisation and auditors the file as it is now (as drafted
 * before the issue, sealed after).
 */
export async function attachmentUrl(
  ports: Pick<CirculationPorts, 'documents' | 'files'>,
  caller: Caller,
  id: string,
  attachmentId: string,
  part: 'file' | 'signature',
): Promise<string> {
  const snapshot = await loadVisible(ports, caller, id);
  assertCopyServed(caller, snapshot, snapshot.access);
  const attachment = snapshot.document?.attachments?.find((a) => a.id === attachmentId);
  if (!attachment) throw attachmentNotFound();
  if (snapshot.access === 'recipient' && !attachment.sealedSha256) throw attachmentNotFound();
  if (part === 'signature') {
    if (!attachment.signatureSha256) throw attachmentNotFound();
    return ports.files.presignRevisionDownload(
      id,
      attachment.signatureSha256,
      `${attachment.fileName}.p7s`,
      'application/pkcs7-signature',
    );
  }
  return ports.files.presignRevisionDownload(
    id,
    attachment.sealedSha256 ?? attachment.sha256,
    attachment.fileName,
    attachment.mediaType,
  );
}

import { randomUUID } from 'node:crypto';
import type { AmendmentKind } from '../core/domain/amendments';
import type { Caller } from '../core/domain/caller';
import { assertNotSecret } from '../core/domain/classification';
import {
  type Classification,
  type DraftFormat,
  MAX_WORD_BYTES,
  type SourceFile,
  WORD_MEDIA_TYPES,
  type WordFormat,
} from '../core/domain/document-files';
import { type DraftMetadata, decideOutgoing, type OutgoingCommand } from '../core/domain/outgoing';
import { documentNotFound } from '../core/domain/visibility';
import { sha256Hex } from '../core/io/hash';
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
import { amendedByCaller, assertSignerOf } from './references';

/*
 * Drafts of outgoing documents (D30 Art.10–12): started with their metadata, their PDF uploaded straight to
 * storage, checked and recorded; then submitted, reviewed, approved for signature or returned for revision.
 */

const uploadKey = (documentId: string, format: DraftFormat = 'pdf') =>
  `uploads/${documentId}/draft.${format}`;
/** A draft uploaded in Word is converted first; the upload's name says which format it was offered for. */
const wordFormatOf = (key: string): WordFormat | undefined =>
  key.endsWith('.docx') ? 'docx' : key.endsWith('.odt') ? 'odt' : undefined;
const PLACEHOLDER_SHA256 = '0'.repeat(64);

/**
 * Starts a draft; its PDF goes to the upload target, then `recordContent`. A document declared secret is
 * refused first, before anything of it is stored, logged or offered an upload. A draft that replaces or
 * corrects an issued document (`amends`) names one its organisation issued that is still in force.
 */
export async function createDraft(
  ports: CirculationPorts,
  caller: Caller,
  metadata: DraftMetadata,
  classification: Classification = 'none',
  format: DraftFormat = 'pdf',
  amends?: { readonly kind: AmendmentKind; readonly documentId: string },
): Promise<{ id: string; upload: UploadTarget }> {
  assertWriter(caller);
  assertNotSecret(classification);
  const documentId = randomUUID();
  // Decide now with a placeholder file, so that a bad request fails before any upload is offered.
  decideOutgoing(
    undefined,
    { type: 'create', documentId, ...metadata, documentSha256: PLACEHOLDER_SHA256 },
    caller.actor,
    ports.now(),
    { directory: caller.directory },
  );
  // The document named is checked once the core has allowed the step (the field is `replaces` or `corrects`).
  const draft: DraftMetadata = amends
    ? {
        ...metadata,
        amends: await amendedByCaller(ports, caller, amends.kind, amends.documentId, amends.kind),
      }
    : metadata;
  await ports.documents.savePendingUpload({
    documentId,
    orgId: caller.actor.position.orgId,
    createdBy: caller.actor.id,
    uploadKey: uploadKey(documentId, format),
    metadata: { ...draft },
    createdAt: ports.now().toISOString(),
  });
  logger.info('draft started', { documentId, actor: caller.actor.id });
  const upload =
    format === 'pdf'
      ? await ports.files.presignUpload(uploadKey(documentId))
      : await ports.files.presignUpload(
          uploadKey(documentId, format),
          MAX_WORD_BYTES,
          WORD_MEDIA_TYPES[format],
        );
  return { id: documentId, upload };
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
    const { original, source } = await convertedDraft(ports, first.upload.uploadKey);
    const { pdf, pageCount, placement } = await ports.signing.prepareDraft(original);
    const documentSha256 = await ports.files.putRevision(id, pdf);
    // The Word file is kept beside the PDF it became, as its editable source (under its own SHA-256).
    if (source) await ports.files.putRevision(id, source.bytes, WORD_MEDIA_TYPES[source.file.format]);
    return withRetries(async () => {
      const snapshot = await ports.documents.read(id);
      const metadata = (snapshot.upload ?? first.upload)?.metadata as DraftMetadata;
      const fields = {
        ...metadata,
        documentSha256,
        pageCount,
        ...(source ? { source: source.file } : {}),
        ...(placement ? { placement } : {}),
      };
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

/**
 * The upload as the PDF to record: itself, or the PDF LibreOffice made of a Word draft (D30 templates are
 * Word files), with that source and the fonts the conversion had to substitute.
 */
async function convertedDraft(
  ports: SigningPorts,
  key: string,
): Promise<{ original: Uint8Array; source?: { bytes: Uint8Array; file: SourceFile } }> {
  const format = wordFormatOf(key);
  if (!format) return { original: await ports.files.readUpload(key) };
  const bytes = await ports.files.readUpload(key, MAX_WORD_BYTES);
  const { pdfKey, missingFonts } = await ports.conversion.toPdf(key, format);
  const original = await ports.files.readUpload(pdfKey);
  const file: SourceFile = { format, sha256: sha256Hex(bytes), size: bytes.length, missingFonts };
  return { original, source: { bytes, file } };
}

/** The steps of an outgoing document that change its state and no file: submit, approve, return, recall. */
export type OutgoingStateCommand = Extract<
  OutgoingCommand,
  { type: 'submit' | 'approve' | 'return-for-revision' | 'recall' }
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
 * organisation). Checked once
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
    await assertSignerOf(ports, caller, orgId, command.signerId, 'signerId', ports.now());
}

/** The event each state step records: what a retry of it finds as the last thing done. */
const OUTGOING_EVENT_OF: Readonly<Record<OutgoingStateCommand['type'], string>> = {
  submit: 'submitted',
  approve: 'approved',
  'return-for-revision': 'returned-for-revision',
  recall: 'recalled',
};

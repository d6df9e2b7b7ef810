import type { Caller } from '../core/domain/caller';
import type { EventDraft } from '../core/domain/events';
import { assertVisible, type DocumentAccess } from '../core/domain/visibility';
import { DomainError } from '../core/errors';
import { messageText } from '../core/i18n/messages';
import { type Change, prepareChange } from '../core/log/change';
import { logger } from '../observability/logger';
import type { WordConversion } from '../ports/conversion';
import type { DirectoryRepository } from '../ports/directory';
import { Conflict, type DocumentRepository, type DocumentSnapshot, type Leases } from '../ports/documents';
import type { DocumentFiles } from '../ports/files';
import type { DocumentSigning } from '../ports/signing';
import type { PreparedSignaturePorts } from './authorization/prepared';

/*
 * What the circulation use cases run on, and the steps they share: read what the caller may see, let the
 * core decide, commit the prepared change, and read again and decide again when someone else wrote first.
 */

export interface CirculationPorts {
  readonly documents: DocumentRepository;
  readonly leases: Leases;
  readonly files: DocumentFiles;
  readonly directory: DirectoryRepository;
  /** The current time; tests pass their own clock. */
  readonly now: () => Date;
}

/**
 * The steps that read or write PDFs also need the signing side (the `signing` function's ports): the PDF
 * work, and the prepared signatures that the signer function completes with their holder's authorization.
 */
export interface SigningPorts extends CirculationPorts, PreparedSignaturePorts {
  readonly signing: DocumentSigning;
  /** Word drafts to PDF (LibreOffice, in a function of its own). */
  readonly conversion: WordConversion;
}

/** Auditors read; they never change a document. */
export function assertWriter(caller: Caller): void {
  if (caller.actor.position.role === 'auditor') {
    throw new DomainError('forbidden', 403, { reason: messageText('reason_auditors_read_only') });
  }
}

/** The document as stored, if the caller may see it (404 otherwise: no leak of existence). */
export async function loadVisible(
  ports: Pick<CirculationPorts, 'documents'>,
  caller: Caller,
  id: string,
): Promise<DocumentSnapshot & { readonly access: DocumentAccess }> {
  const snapshot = await ports.documents.read(id);
  return { ...snapshot, access: assertVisible(caller, snapshot) };
}

/** Finishes the change in the core (chained events, inbox places) and writes it; `Conflict` if stale. */
export async function commit(ports: Pick<CirculationPorts, 'documents'>, change: Change): Promise<void> {
  await ports.documents.commit(prepareChange(change));
}

/**
 * Runs read-decide-commit until it commits without a conflict. Jittered backoff keeps many writers of one
 * document (a broadcast's recipients) or one series (parallel issues) from retrying in lockstep.
 */
export async function withRetries<T>(attempt: () => Promise<T>, maxAttempts = 60): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof Conflict) || n >= maxAttempts) throw error;
      const ceiling = Math.min(250, 5 * 2 ** Math.min(n, 6));
      await new Promise((r) => setTimeout(r, Math.random() * ceiling));
    }
  }
}

export function logDecision(caller: Caller, documentId: string, events: readonly EventDraft[]): void {
  for (const event of events) {
    logger.info('circulation event', {
      documentId,
      type: event.type,
      orgId: event.orgId,
      actor: caller.actor.id,
    });
  }
}

/** How long a repeated step is taken for the retry of one already done, rather than refused. */
const RETRY_WINDOW_MS = 15 * 60_000;

/**
 * Whether the step was already taken by this caller and is still the last thing that happened in this
 * organisation's view of the document: a retry whose first attempt succeeded but whose answer was lost (a
 * timeout, a dropped connection). It gets the document as it is, not a refusal of its own earlier attempt.
 */
export async function alreadyTaken(
  ports: Pick<CirculationPorts, 'documents' | 'now'>,
  caller: Caller,
  id: string,
  eventTypes: readonly string[],
): Promise<boolean> {
  const org = caller.actor.position.orgId;
  const last = (await ports.documents.readLog(id)).filter((e) => e.orgId === org).at(-1);
  return (
    last !== undefined &&
    eventTypes.includes(last.type) &&
    last.actor.userId === caller.actor.id &&
    ports.now().getTime() - new Date(last.at).getTime() < RETRY_WINDOW_MS
  );
}

/**
 * Runs a step; when the core refuses it for the state (409) because this very caller just took it, answers
 * with `done()` instead: the outcome of the first attempt.
 */
export async function onceTaken<T>(
  ports: Pick<CirculationPorts, 'documents' | 'now'>,
  caller: Caller,
  id: string,
  eventTypes: readonly string[],
  step: () => Promise<T>,
  done: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (
      error instanceof DomainError &&
      error.status === 409 &&
      (await alreadyTaken(ports, caller, id, eventTypes))
    )
      return done();
    throw error;
  }
}

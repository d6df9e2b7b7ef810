import type { Caller } from '../core/domain/caller';
import { yearOf } from '../core/domain/registers';
import { documentNotFound } from '../core/domain/visibility';
import { agencyCodeOf, organisationByAgencyCode } from '../core/exchange/agency-codes';
import { buildPackage, packageHeader } from '../core/exchange/build';
import { exchangeDocumentId, instantOfTimestamp, packageHeaderOf } from '../core/exchange/from-document';
import { AgencyCodeSchema, type Organization, type StatusMessage } from '../core/exchange/model';
import type { SchemaCheck } from '../core/exchange/parse';
import { splitPackage } from '../core/exchange/parse';
import { exchangeError } from '../core/i18n/exchange';
import { logger } from '../observability/logger';
import type { DocumentRepository } from '../ports/documents';
import {
  type ExchangeLedger,
  type ExchangePort,
  ExchangeUnavailable,
  type ExternalDelivery,
  type OutgoingRegisterRecipients,
} from '../ports/exchange';
import type { DocumentFiles } from '../ports/files';
import { assertWriter, loadVisible } from './context';

/*
 * Sending an issued document to agencies outside the city through the national document exchange, next to
 * the internal deliveries (delivery.ts): the intent is recorded first (one delivery per agency, `pending`),
 * then one edXML package to all pending agencies is built from the issued document, checked against the
 * schema and handed to the exchange. A send cut off, or an exchange that does not answer, leaves the
 * deliveries pending: `transmit` again (the next send, or a schedule) sends the same package, which the hub
 * recognises by its DocumentId, so an agency never gets it twice. Status messages coming back update each
 * agency's delivery, which the sender sees beside the internal recipients.
 */

export interface ExchangePorts {
  readonly documents: DocumentRepository;
  readonly files: Pick<DocumentFiles, 'readRevision'>;
  readonly exchange: ExchangePort;
  readonly ledger: ExchangeLedger;
  /** Where the issuing organisation's outgoing register row gets its external recipients. */
  readonly outgoingRegister?: OutgoingRegisterRecipients;
  readonly schema: SchemaCheck;
  readonly now: () => Date;
}

/** Bytes read out of a buffer in pieces: the package encodes them as they come. */
const CHUNK = 256 * 1024;
async function* pieces(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += CHUNK) yield bytes.subarray(i, i + CHUNK);
}

export async function sendExternal(
  ports: ExchangePorts,
  caller: Caller,
  id: string,
  recipients: readonly Organization[],
): Promise<readonly ExternalDelivery[]> {
  assertWriter(caller);
  const snapshot = await loadVisible(ports, caller, id);
  const doc = snapshot.document;
  if (!doc || snapshot.access !== 'sender') throw documentNotFound();
  const issuer = caller.directory.get(doc.orgId);
  if (caller.actor.position.role !== 'clerk' || caller.actor.position.orgId !== doc.orgId)
    throw exchangeError('exchange_clerk_only', 403, { orgName: issuer.name });
  if (!doc.issuedOn || !doc.symbol || !['ISSUED', 'SENT', 'ARCHIVED'].includes(doc.state))
    throw exchangeError('exchange_not_issued', 409);
  for (const recipient of recipients) {
    if (!AgencyCodeSchema.safeParse(recipient.organId).success)
      throw exchangeError('exchange_header_invalid', 422, { detail: `To.OrganId: ${recipient.organId}` });
    const inside = organisationByAgencyCode(caller.directory, recipient.organId);
    if (inside)
      throw exchangeError('exchange_internal_recipient', 422, {
        code: recipient.organId,
        orgName: inside.name,
      });
  }
  const now = ports.now().toISOString();
  const documentId = exchangeDocumentId(agencyCodeOf(caller.directory, issuer), doc.issuedOn, doc.symbol);
  await ports.ledger.add(
    recipients.map((r) => ({
      documentId: id,
      organId: r.organId,
      ...(r.organName ? { organName: r.organName } : {}),
      exchangeDocumentId: documentId,
      state: 'pending' as const,
      updatedAt: now,
    })),
  );
  // The register row says to whom the document went: external recipients by name and agency code.
  if (doc.number)
    await ports.outgoingRegister?.addRecipients(
      { orgId: doc.orgId, year: yearOf(doc.issuedAt ?? doc.updatedAt), number: doc.number },
      recipients.map((r) => (r.organName ? `${r.organName} (${r.organId})` : r.organId)),
    );
  try {
    await transmit(ports, caller, id);
  } catch (error) {
    // Recorded and retried: the clerk is told it will go, not that it failed.
    if (!(error instanceof ExchangeUnavailable)) throw error;
    logger.warn('exchange unavailable; external deliveries stay pending', {
      documentId: id,
      error: error.message,
    });
  }
  return ports.ledger.deliveries(id);
}

/**
 * Sends the package to every delivery still pending, once; safe to repeat (the hub answers a repeated
 * DocumentId as a duplicate, which counts as sent).
 */
export async function transmit(
  ports: ExchangePorts,
  caller: Pick<Caller, 'directory'>,
  id: string,
): Promise<void> {
  const pending = (await ports.ledger.deliveries(id)).filter((d) => d.state === 'pending');
  if (pending.length === 0) return;
  const { document: doc } = await ports.documents.read(id);
  if (!doc) throw documentNotFound();
  const issuer = caller.directory.get(doc.orgId);
  const fileName = `${(doc.symbol ?? id).replace(/[^\p{L}\p{N}-]+/gu, '-')}.pdf`;
  const header = packageHeader(
    packageHeaderOf({
      document: doc,
      issuer,
      issuerCode: agencyCodeOf(caller.directory, issuer),
      recipients: pending.map((d) => ({
        organId: d.organId,
        ...(d.organName ? { organName: d.organName } : {}),
      })),
      attachments: [{ contentId: 'document', contentType: 'application/pdf', attachmentName: fileName }],
      now: ports.now(),
    }),
  );
  // The schema check runs on the package without the file's bytes (the base64 docflow writes is valid
  // by construction): it is small, and the file is read once, when it is sent.
  const { skeleton } = await splitPackage(
    buildPackage(header, async function* () {}),
    () => ({ write: () => {}, end: () => {} }),
  );
  const problems = await ports.schema(skeleton);
  if (problems.length)
    throw exchangeError('exchange_schema_invalid', 422, { detail: problems.slice(0, 3).join('; ') });
  const bytes = await ports.files.readRevision(id, doc.documentSha256);
  const sent = await ports.exchange.sendDocument(buildPackage(header, () => pieces(bytes)));
  const at = ports.now().toISOString();
  for (const delivery of pending)
    await ports.ledger.put({ ...delivery, state: 'sent', exchangeId: sent.exchangeId, updatedAt: at });
  logger.info('sent through the exchange', {
    documentId: id,
    agencies: pending.length,
    exchangeId: sent.exchangeId,
    duplicate: sent.duplicate,
  });
}

/** A status message from an external agency about a document the city sent it; false when unknown. */
export async function applyExternalStatus(
  ports: Pick<ExchangePorts, 'ledger'>,
  status: StatusMessage,
): Promise<boolean> {
  const delivery = await ports.ledger.find(status.responseFor.documentId, status.from.organId);
  if (!delivery) return false;
  const at = instantOfTimestamp(status.timestamp).toISOString();
  const { description: _previous, ...rest } = delivery;
  const given: ExternalDelivery = {
    ...rest,
    state: status.status,
    ...(status.description ? { description: status.description } : {}),
    updatedAt: at,
  };
  // Statuses may arrive out of order: the latest given wins; an older one joins the history only.
  if (delivery.state !== 'pending' && delivery.state !== 'sent' && delivery.updatedAt > at)
    await ports.ledger.addHistory(given);
  else await ports.ledger.put(given);
  return true;
}

/** Every status of the document's external deliveries, oldest first (the sender only, as the deliveries). */
export async function externalDeliveryHistory(
  ports: Pick<ExchangePorts, 'documents' | 'ledger'>,
  caller: Caller,
  id: string,
): Promise<readonly ExternalDelivery[]> {
  const snapshot = await loadVisible(ports, caller, id);
  if (snapshot.access !== 'sender') return [];
  return ports.ledger.history(id);
}

/** The external deliveries of a document the caller sent, for its view beside the internal recipients. */
export async function externalDeliveries(
  ports: Pick<ExchangePorts, 'documents' | 'ledger'>,
  caller: Caller,
  id: string,
): Promise<readonly ExternalDelivery[]> {
  const snapshot = await loadVisible(ports, caller, id);
  if (snapshot.access !== 'sender') return [];
  return ports.ledger.deliveries(id);
}

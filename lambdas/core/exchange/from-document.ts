import type { Organisation } from '../domain/directory';
import { DOCUMENT_TYPES, documentType, URGENCIES } from '../domain/document-types';
import type { PersonalSignature } from '../domain/events';
import type { OutgoingDocument } from '../domain/outgoing';
import type { AgencyCode, AttachmentReference, Business, Organization, PackageHeaderInput } from './model';

/*
 * The edXML header of an issued document: its register metadata (number, notation, date and place, type,
 * subject, signer, urgency, due date) and its recipients, as the standard names them.
 */

const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;
const pad2 = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD` → the standard's `yyyy/MM/dd`. */
export const exchangeDate = (calendarDate: string): string => calendarDate.replaceAll('-', '/');
/** `yyyy/MM/dd` → `YYYY-MM-DD`. */
export const calendarDateOf = (exchange: string): string => exchange.replaceAll('/', '-');

/** `yyyy/MM/dd HH:mm:ss` in Vietnam time. */
export function exchangeTimestamp(at: Date): string {
  const v = new Date(at.getTime() + VIETNAM_OFFSET_MS);
  return (
    `${v.getUTCFullYear()}/${pad2(v.getUTCMonth() + 1)}/${pad2(v.getUTCDate())} ` +
    `${pad2(v.getUTCHours())}:${pad2(v.getUTCMinutes())}:${pad2(v.getUTCSeconds())}`
  );
}

/** The instant of a `yyyy/MM/dd HH:mm:ss` Vietnam time. */
export function instantOfTimestamp(timestamp: string): Date {
  const [date = '', time = '00:00:00'] = timestamp.split(' ');
  return new Date(`${date.replaceAll('/', '-')}T${time}+07:00`);
}

/** DocumentId: `issuer code,yyyy/MM/dd,number/notation`, which the hub keeps unique. */
export const exchangeDocumentId = (issuer: AgencyCode, issuedOn: string, symbol: string) =>
  `${issuer},${exchangeDate(issuedOn)},${symbol}`;

export interface ExchangeSource {
  readonly document: OutgoingDocument;
  readonly issuer: Organisation;
  readonly issuerCode: AgencyCode;
  readonly recipients: readonly Organization[];
  readonly attachments: readonly AttachmentReference[];
  readonly now: Date;
  readonly business?: Business;
}

/** The package header of an issued document; throws when the document has not been issued. */
export function packageHeaderOf(source: ExchangeSource): PackageHeaderInput {
  const { document: doc, issuer, issuerCode } = source;
  if (doc.number === undefined || !doc.notation || !doc.symbol || !doc.issuedOn)
    throw new Error(`document ${doc.id} has not been issued`);
  const signer = doc.signatures.find((s): s is PersonalSignature => s.kind === 'person');
  const type = documentType(doc.typeId);
  return {
    messageHeader: {
      from: { organId: issuerCode, organName: issuer.name },
      to: [...source.recipients],
      documentId: exchangeDocumentId(issuerCode, doc.issuedOn, doc.symbol),
      code: { codeNumber: String(doc.number).padStart(2, '0'), codeNotation: doc.notation },
      promulgationInfo: { place: issuer.placeName, promulgationDate: exchangeDate(doc.issuedOn) },
      // Type 1: an administrative document; TypeDetail: its place in D30's list (Appendix III).
      documentType: { type: 1, typeDetail: DOCUMENT_TYPES.indexOf(type) + 1, typeName: type.name },
      subject: doc.subject,
      signerInfo: {
        // The capacity lines above the title (`TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH`); the title is the position.
        competence: signer && signer.lines.length > 1 ? signer.lines.slice(0, -1).join(' ') : undefined,
        position: signer?.signerTitle ?? issuer.headTitle,
        fullName: signer?.signerName ?? issuer.name,
      },
      dueDate: doc.dueDate ? exchangeDate(doc.dueDate) : undefined,
      toPlaces: source.recipients.map((r) => r.organName ?? r.organId),
      otherInfo: { priority: URGENCIES[doc.urgency].exchangePriority, pageAmount: doc.pageCount },
      steeringType: 0,
      business: source.business,
    },
    traceHeaders: [{ organId: issuerCode, timestamp: exchangeTimestamp(source.now) }],
    attachments: [...source.attachments],
  };
}

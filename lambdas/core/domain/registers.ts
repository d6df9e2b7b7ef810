import type { Directory } from './directory';
import { documentType } from './document-types';
import type { IncomingRecord } from './incoming';
import { vietnamDate } from './numbering';
import type { OutgoingDocument } from './outgoing';

/*
 * The registers of D30 (sổ đăng ký văn bản đi, sổ đăng ký văn bản đến): one row per issued or registered
 * document, numbered by the organisation's yearly series, written in the same step that gives the number.
 */

export type RegisterKind = 'outgoing' | 'incoming';

export interface RegisterEntry {
  readonly register: RegisterKind;
  readonly orgId: string;
  readonly year: number;
  readonly number: number;
  readonly documentId: string;
  readonly row: Readonly<Record<string, unknown>>;
  /**
   * SHA-256 of the sealed file an outgoing entry records: the store indexes it, so that the public check
   * finds the register entry of a PDF someone brings with one read (use-cases/audit/public-check.ts).
   */
  readonly sealedSha256?: string;
  /**
   * A co-issuer's entry for a joint document: the lead organisation whose number it records. The number is
   * the lead's series', not this register's own, so the entry is kept beside (not instead of) the
   * co-issuer's own document with that number.
   */
  readonly leadOrgId?: string;
}

/** The calendar year (Hà Nội time) of an instant: the year whose series and register a number belongs to. */
export const yearOf = (at: string) => vietnamDate(new Date(at)).year;

export function outgoingRegisterEntry(doc: OutgoingDocument, directory: Directory): RegisterEntry {
  const personal = doc.signatures.find((s) => s.kind === 'person');
  return {
    register: 'outgoing',
    orgId: doc.orgId,
    year: yearOf(doc.issuedAt ?? doc.updatedAt),
    number: doc.number ?? 0,
    documentId: doc.id,
    sealedSha256: doc.documentSha256,
    row: {
      symbol: doc.symbol,
      issuedOn: doc.issuedOn,
      docType: documentType(doc.typeId).name,
      subject: doc.subject,
      signer: personal?.kind === 'person' ? `${personal.lines.join(' / ')} – ${personal.signerName}` : '',
      recipients: doc.recipients.map((r) => directory.get(r.orgId).name),
      // The ids too: the register is filtered by organisation exactly, not by a name that may change.
      recipientOrgIds: doc.recipients.map((r) => r.orgId),
      urgency: doc.urgency,
      // Attachments in files of their own, sealed with it (D30 Appendix I): their titles.
      ...(doc.attachments?.length ? { attachments: doc.attachments.map((a) => a.title) } : {}),
      // What it replaces or corrects, and what replaced or corrected it (the register's notes column).
      ...(doc.amends ? { amends: { kind: doc.amends.kind, symbol: doc.amends.symbol } } : {}),
      ...(doc.amendedBy?.length
        ? { amendedBy: doc.amendedBy.map((a) => ({ kind: a.kind, symbol: a.symbol ?? '' })) }
        : {}),
    },
  };
}

export function incomingRegisterEntry(record: IncomingRecord, directory: Directory): RegisterEntry {
  return {
    register: 'incoming',
    orgId: record.orgId,
    year: record.arrivalYear ?? yearOf(record.arrivedAt),
    number: record.arrivalNumber ?? 0,
    documentId: record.documentId,
    row: {
      arrivedOn: record.arrivedAt,
      arrivalNumber: record.arrivalNumber,
      issuer: directory.get(record.senderOrgId).name,
      senderOrgId: record.senderOrgId,
      symbol: record.symbol,
      issuedOn: record.issuedOn,
      docType: documentType(record.typeId).name,
      subject: record.subject,
      urgency: record.urgency,
      ...(record.amends ? { amends: { kind: record.amends.kind, symbol: record.amends.symbol } } : {}),
    },
  };
}

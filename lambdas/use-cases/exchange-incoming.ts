import { createHash } from 'node:crypto';
import type { Caller } from '../core/domain/caller';
import type { Directory } from '../core/domain/directory';
import { allocateNumber, seriesKeyAt } from '../core/domain/numbering';
import { DomainError } from '../core/errors';
import { agencyCodeOf, CITY_AGENCY_CODE, organisationByAgencyCode } from '../core/exchange/agency-codes';
import { buildStatus } from '../core/exchange/build';
import { exchangeTimestamp } from '../core/exchange/from-document';
import type { ExchangeStatus, StatusMessage } from '../core/exchange/model';
import { type ParsedPackage, parsePackage, parseStatus } from '../core/exchange/parse';
import { exchangeError, exchangeMessages } from '../core/i18n/exchange';
import { renderError } from '../core/i18n/messages';
import { prepareChange } from '../core/log/change';
import { logger } from '../observability/logger';
import type { DocumentRepository } from '../ports/documents';
import type { ExchangeItem, ReceivedDocument, ReceivedDocuments } from '../ports/exchange';
import type { DocumentFiles } from '../ports/files';
import type { DocumentSigning } from '../ports/signing';
import { withRetries } from './context';
import { applyExternalStatus, type ExchangePorts } from './exchange';

/*
 * What comes in through the national document exchange: status messages about documents the city sent
 * (they update its external deliveries), and documents for the city's organisations. A document is checked
 * (the edXML schema, the manifest, every signature of its PDF against the trusted roots, external ones
 * included), recorded once for each organisation it is addressed to (a package received twice is recorded
 * once), and acknowledged with "đã đến" (01) at once; one that cannot be (malformed, an unknown recipient
 * code, invalid signatures) is refused (02) with the reason and kept for the clerk to see. The clerk's steps
 * send the statuses the standard asks for: đã tiếp nhận (03), phân công (04), đang xử lý (05), hoàn thành
 * (06), từ chối (02, with the reason). A recall from the sender (Business 1) applies to the copy received.
 */

export interface IncomingExchangePorts extends Pick<ExchangePorts, 'exchange' | 'ledger' | 'schema' | 'now'> {
  readonly received: ReceivedDocuments;
  readonly files: Pick<DocumentFiles, 'putRevision'>;
  readonly signing: Pick<DocumentSigning, 'verify'>;
}

/** The largest PDF taken from a package (what a draft may be). */
const MAX_FILE_BYTES = 200 * 1024 * 1024;

export interface ReceiveSummary {
  readonly documents: number;
  readonly duplicates: number;
  readonly refused: number;
  readonly statuses: number;
}

/** Takes everything the exchange holds for the city, item by item; safe to run again at any time. */
export async function receiveFromExchange(
  ports: IncomingExchangePorts,
  directory: Directory,
): Promise<ReceiveSummary> {
  const summary = { documents: 0, duplicates: 0, refused: 0, statuses: 0 };
  for (const item of await ports.exchange.pending()) {
    const outcome = await receiveItem(ports, directory, item);
    summary[outcome]++;
    await ports.exchange.acknowledge(item.id);
  }
  return summary;
}

async function receiveItem(
  ports: IncomingExchangePorts,
  directory: Directory,
  item: ExchangeItem,
): Promise<keyof ReceiveSummary> {
  if (item.kind === 'status') {
    const text = Buffer.concat(await chunks(ports.exchange.fetch(item.id))).toString('utf8');
    const status = await parseStatus(text, ports.schema).catch((error: unknown) => {
      if (error instanceof DomainError) return undefined;
      throw error;
    });
    if (!status || !(await applyExternalStatus(ports, status)))
      logger.warn('a status message about no document the city sent', { item: item.id });
    return 'statuses';
  }
  const now = ports.now();
  // Every attachment is kept (the document, its appendices, other files), within one limit for them all.
  let files = new Map<string, Uint8Array[]>();
  let size = 0;
  let parsed: ParsedPackage;
  try {
    parsed = await parsePackage(ports.exchange.fetch(item.id), ports.schema, (contentId) => {
      const parts: Uint8Array[] = [];
      files.set(contentId, parts);
      return {
        write: (bytes) => {
          size += bytes.length;
          if (size > MAX_FILE_BYTES)
            throw exchangeError('exchange_too_large', 413, { limit: MAX_FILE_BYTES });
          parts.push(Uint8Array.from(bytes));
        },
        end: () => logger.debug('attachment kept', { contentId }),
      };
    });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    await keepRefused(ports, item, await headOf(ports, item), error, now);
    return 'refused';
  }
  const m = parsed.header.messageHeader;
  const head: Head = {
    documentId: m.documentId,
    from: m.from,
    code: `${m.code.codeNumber}/${m.code.codeNotation}`,
    promulgationDate: m.promulgationInfo.promulgationDate,
  };
  const contents = parsed.attachments.map((a) => ({
    reference: a,
    bytes: new Uint8Array(Buffer.concat(files.get(a.contentId) ?? [])),
    pdf: isPdf(a),
  }));
  files = new Map();
  // The document is the first PDF the manifest lists; the others are its appendices and other files.
  const main = contents.find((c) => c.pdf);
  if (!main) {
    await keepRefused(
      ports,
      item,
      head,
      exchangeError('exchange_attachment_missing', 422, { contentId: 'application/pdf' }),
      now,
    );
    return 'refused';
  }
  const attachment = main.reference;
  const pdf = main.bytes;
  // Every PDF is verified as the document is; the first one that fails refuses the package, named.
  let check: { valid: boolean; detail?: { vi: string; en: string } } = { valid: true };
  for (const c of contents.filter((x) => x.pdf)) {
    const result = await verifyPdf(ports, c.bytes, now);
    if (result.valid) continue;
    check =
      c === main
        ? result
        : {
            valid: false,
            detail: exchangeMessages.both('exchange_attachment_signatures_invalid', {
              name: c.reference.attachmentName,
            }),
          };
    break;
  }
  const attachments = contents.map((c) => ({
    sha256: createHash('sha256').update(c.bytes).digest('hex'),
    size: c.bytes.length,
    name: c.reference.attachmentName,
    contentType: c.reference.contentType,
  }));
  let outcome: keyof ReceiveSummary = 'duplicates';
  for (const to of m.to) {
    const org = organisationByAgencyCode(directory, to.organId);
    if (!org) {
      await refuse(
        ports,
        head,
        to.organId,
        exchangeMessages.both('exchange_unknown_recipient', { code: to.organId }),
        now,
      );
      await ports.received.add(
        received(item, head, now, {
          key: `item#${item.id}#${to.organId}`,
          state: 'refused',
          reason: exchangeMessages.both('exchange_unknown_recipient', { code: to.organId }),
        }),
      );
      outcome = 'refused';
      continue;
    }
    const orgCode = agencyCodeOf(directory, org);
    const key = `${org.id}#${m.documentId}`;
    const existing = await ports.received.get(key);
    if (m.business?.docType === 'recall') {
      if (existing && existing.state !== 'recalled') {
        await ports.received.put({
          ...existing,
          state: 'recalled',
          history: withEvent(existing, 'recalled', now, m.business.reason),
          updatedAt: now.toISOString(),
        });
        await sendStatus(ports, head, orgCode, 'recall-accepted', now, m.business.reason);
      }
      outcome = 'documents';
      continue;
    }
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    if (existing && m.business?.docType !== 'update' && m.business?.docType !== 'replace') continue;
    await ports.files.putRevision(key, pdf);
    for (const c of contents)
      if (c !== main) await ports.files.putRevision(key, c.bytes, c.reference.contentType);
    const base = received(item, head, now, {
      key,
      orgId: org.id,
      subject: m.subject,
      ...(m.documentType.typeName ? { docType: m.documentType.typeName } : {}),
      file: { sha256, size: pdf.length, name: attachment.attachmentName },
      attachments,
      state: check.valid ? 'arrived' : 'refused',
      ...(check.valid
        ? {}
        : { reason: check.detail ?? exchangeMessages.both('exchange_signatures_invalid') }),
    });
    if (existing) {
      // An update or replacement: the new file and details, where the copy stood kept.
      await ports.received.put({
        ...base,
        state: existing.state,
        receivedAt: existing.receivedAt,
        ...(existing.history ? { history: existing.history } : {}),
      });
      outcome = 'documents';
      continue;
    }
    if (!(await ports.received.add(base))) continue;
    if (check.valid) await sendStatus(ports, head, orgCode, 'arrived', now);
    else await sendStatus(ports, head, orgCode, 'refused', now, base.reason?.vi);
    outcome = check.valid ? 'documents' : 'refused';
  }
  return outcome;
}

const isPdf = (a: { contentType: string; attachmentName: string }) =>
  a.contentType === 'application/pdf' || /\.pdf$/i.test(a.attachmentName);

/** A file that is no readable PDF is refused like one whose signatures fail, with the reason. */
async function verifyPdf(
  ports: Pick<IncomingExchangePorts, 'signing'>,
  pdf: Uint8Array,
  now: Date,
): Promise<{ valid: boolean; detail?: { vi: string; en: string } }> {
  return ports.signing.verify(pdf, now).catch((error: unknown) => {
    if (!(error instanceof DomainError)) throw error;
    return { valid: false, detail: { vi: renderError(error, 'vi'), en: renderError(error, 'en') } };
  });
}

interface Head {
  readonly documentId: string;
  readonly from: { readonly organId: string; readonly organName?: string };
  readonly code: string;
  readonly promulgationDate: string;
}

function received(
  item: ExchangeItem,
  head: Head | undefined,
  now: Date,
  rest: Pick<ReceivedDocument, 'key' | 'state'> & Partial<ReceivedDocument>,
): ReceivedDocument {
  return {
    exchangeItemId: item.id,
    ...(head
      ? {
          exchangeDocumentId: head.documentId,
          from: head.from,
          code: head.code,
          promulgationDate: head.promulgationDate,
        }
      : {}),
    receivedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    history: [
      { state: rest.state, at: now.toISOString(), ...(rest.reason ? { description: rest.reason.vi } : {}) },
    ],
    ...rest,
  };
}

const withEvent = (
  document: ReceivedDocument,
  state: ReceivedDocument['state'],
  at: Date,
  description?: string,
): ReadonlyArray<{ state: ReceivedDocument['state']; at: string; description?: string }> => [
  ...(document.history ?? []),
  { state, at: at.toISOString(), ...(description ? { description } : {}) },
];

/** A package refused as a whole: the sender told why when it can be addressed, the clerk shown it. */
async function keepRefused(
  ports: IncomingExchangePorts,
  item: ExchangeItem,
  head: Head | undefined,
  error: DomainError,
  now: Date,
): Promise<void> {
  const reason = exchangeMessages.both(error.code as never, error.params as never);
  await ports.received.add(received(item, head, now, { key: `item#${item.id}`, state: 'refused', reason }));
  if (head) await refuse(ports, head, CITY_AGENCY_CODE, reason, now);
}

const refuse = (ports: IncomingExchangePorts, head: Head, from: string, reason: { vi: string }, now: Date) =>
  sendStatus(ports, head, from, 'refused', now, reason.vi);

async function sendStatus(
  ports: Pick<IncomingExchangePorts, 'exchange'>,
  head: Head,
  from: string,
  status: ExchangeStatus,
  now: Date,
  description?: string,
): Promise<void> {
  const message: StatusMessage = {
    responseFor: {
      organId: head.from.organId,
      code: head.code,
      promulgationDate: head.promulgationDate,
      documentId: head.documentId,
    },
    from: { organId: from },
    status,
    timestamp: exchangeTimestamp(now),
    ...(description ? { description: description.slice(0, 1000) } : {}),
  };
  await ports.exchange.sendStatus(buildStatus(message));
}

/** What can be read of a package that failed its checks: enough to tell its sender why, when there is. */
async function headOf(ports: IncomingExchangePorts, item: ExchangeItem): Promise<Head | undefined> {
  let text = '';
  for await (const chunk of ports.exchange.fetch(item.id)) {
    text += Buffer.from(chunk).toString('utf8');
    if (text.length > 256 * 1024) break;
  }
  const field = (name: string, within = text) =>
    new RegExp(`<(?:[\\w.-]+:)?${name}>([^<]*)</(?:[\\w.-]+:)?${name}>`).exec(within)?.[1]?.trim();
  const from = /<(?:[\w.-]+:)?From>([\s\S]*?)<\/(?:[\w.-]+:)?From>/.exec(text)?.[1] ?? '';
  const documentId = field('DocumentId');
  const organId = field('OrganId', from);
  const date = field('PromulgationDate');
  if (
    !documentId ||
    !organId ||
    !/^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z]\d{2}$/.test(organId) ||
    !date
  )
    return undefined;
  if (!/^\d{4}\/\d{2}\/\d{2}$/.test(date)) return undefined;
  return {
    documentId,
    from: { organId },
    code: `${field('CodeNumber') ?? ''}/${field('CodeNotation') ?? ''}`,
    promulgationDate: date,
  };
}

async function chunks(source: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const c of source) out.push(c);
  return out;
}

const CLERK_STEPS = {
  accept: 'accepted',
  assign: 'assigned',
  start: 'in-progress',
  resolve: 'done',
  refuse: 'refused',
} as const satisfies Record<string, ExchangeStatus>;
export type ReceivedStep = keyof typeof CLERK_STEPS;

/** A step of the recipient organisation on a document received from outside, told to its sender. */
export async function actOnReceived(
  ports: Pick<IncomingExchangePorts, 'received' | 'exchange' | 'now'> & {
    readonly documents: Pick<DocumentRepository, 'readSeries' | 'commit'>;
  },
  caller: Caller,
  key: string,
  step: ReceivedStep,
  reason?: string,
): Promise<ReceivedDocument> {
  const document = await ports.received.get(key);
  if (!document?.orgId || caller.actor.position.orgId !== document.orgId)
    throw new DomainError('not_found', 404, { what: key });
  assertHandlesReceived(caller);
  if (document.state === 'refused' || document.state === 'recalled' || document.state === 'done')
    return document;
  const org = caller.directory.get(document.orgId);
  const status = CLERK_STEPS[step];
  const at = ports.now();
  // Taken in (đã tiếp nhận): numbered in the organisation's arrivals and written in its incoming register,
  // as a document from inside the city is when its clerk registers it.
  const arrivalNumber =
    document.arrivalNumber ??
    (step === 'accept' ? await register(ports, document, document.orgId, at) : undefined);
  const updated: ReceivedDocument = {
    ...document,
    ...(arrivalNumber ? { arrivalNumber } : {}),
    state: status,
    ...(step === 'refuse' && reason ? { reason: { vi: reason, en: reason } } : {}),
    history: withEvent(document, status, at, step === 'refuse' ? reason : undefined),
    updatedAt: at.toISOString(),
  };
  await ports.received.put(updated);
  if (document.exchangeDocumentId && document.from && document.code && document.promulgationDate)
    await sendStatus(
      ports,
      {
        documentId: document.exchangeDocumentId,
        from: document.from,
        code: document.code,
        promulgationDate: document.promulgationDate,
      },
      agencyCodeOf(caller.directory, org),
      status,
      at,
      step === 'refuse' ? reason : undefined,
    );
  return updated;
}

/** Every state a received document went through, oldest first: for those who act on it. */
export async function receivedHistory(
  ports: Pick<IncomingExchangePorts, 'received'>,
  caller: Caller,
  key: string,
): Promise<readonly { state: ReceivedDocument['state']; at: string; description?: string }[]> {
  const document = await ports.received.get(key);
  if (!document?.orgId || caller.actor.position.orgId !== document.orgId)
    throw new DomainError('not_found', 404, { what: key });
  assertHandlesReceived(caller);
  return document.history ?? [{ state: document.state, at: document.updatedAt }];
}

/** Clerks and heads of an organisation act on what came in from outside; others do not. */
function assertHandlesReceived(caller: Caller): void {
  const { role, orgId } = caller.actor.position;
  if (role !== 'clerk' && role !== 'leader')
    throw exchangeError('exchange_received_clerk_only', 403, { orgName: caller.directory.get(orgId).name });
}

/**
 * What came in from outside for the caller's organisation, newest first; the city's own clerks also see
 * what could be addressed to no organisation (an unreadable package, an unknown agency code), kept for them.
 */
export async function listReceived(
  ports: Pick<IncomingExchangePorts, 'received'>,
  caller: Caller,
): Promise<readonly ReceivedDocument[]> {
  assertHandlesReceived(caller);
  const { orgId } = caller.actor.position;
  const own = await ports.received.list(orgId);
  if (caller.directory.get(orgId).kind !== 'city') return own;
  return [...own, ...(await ports.received.list(undefined))].sort((a, b) =>
    b.receivedAt.localeCompare(a.receivedAt),
  );
}

/** A received document's key as a path segment (keys hold `/` and `#`), and back. */
export const receivedId = (key: string): string => Buffer.from(key, 'utf8').toString('base64url');
export const receivedKey = (id: string): string => Buffer.from(id, 'base64url').toString('utf8');

/** `yyyy/MM/dd` (edXML) as `yyyy-MM-dd`. */
const calendarDate = (date: string | undefined, fallback: Date) =>
  date && /^\d{4}\/\d{2}\/\d{2}$/.test(date)
    ? date.replaceAll('/', '-')
    : fallback.toISOString().slice(0, 10);

/** The register's document id of a received document (no circulation document has it). */
export const receivedRegisterId = (key: string): string =>
  `exchange-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;

async function register(
  ports: { readonly documents: Pick<DocumentRepository, 'readSeries' | 'commit'> },
  document: ReceivedDocument,
  orgId: string,
  at: Date,
): Promise<number> {
  return withRetries(async () => {
    const before = await ports.documents.readSeries(seriesKeyAt(orgId, at, 'arrival'));
    const allocation = allocateNumber(before, orgId, 'arrival', at);
    await ports.documents.commit(
      prepareChange({
        documentId: receivedRegisterId(document.key),
        head: undefined,
        events: [],
        series: { before, after: allocation.series },
        registerEntries: [
          {
            register: 'incoming',
            orgId,
            year: allocation.year,
            number: allocation.number,
            documentId: receivedRegisterId(document.key),
            row: {
              arrivedOn: document.receivedAt,
              arrivalNumber: allocation.number,
              issuer: document.from?.organName ?? document.from?.organId ?? '',
              symbol: document.code ?? '',
              issuedOn: calendarDate(document.promulgationDate, at),
              docType: document.docType ?? '',
              subject: document.subject ?? '',
              urgency: 'normal',
              // Came through the national exchange: the sender's agency code and its own number.
              external: { organId: document.from?.organId, code: document.code },
            },
          },
        ],
      }),
    );
    return allocation.number;
  });
}

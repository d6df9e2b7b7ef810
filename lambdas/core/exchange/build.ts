import { exchangeError } from '../i18n/exchange';
import { encodeBase64 } from './base64';
import {
  BUSINESS_DOC_TYPES,
  EDXML_NAMESPACE,
  type MessageHeader,
  type Organization,
  type PackageHeader,
  type PackageHeaderInput,
  PackageHeaderSchema,
  type ResponseFor,
  STATUS_CODES,
  type StatusMessage,
  StatusMessageSchema,
} from './model';
import { el, escapeXml, type Node, write } from './xml';

/*
 * Builds edXML packages (QCVN 102:2016/BTTTT) as a stream of UTF-8 chunks: the header first, then each
 * attachment base64-encoded as its bytes arrive, so a package of a 64 MB document never holds the file
 * (nor its base64) whole. Status messages are small and built as one string.
 */

const encoder = new TextEncoder();
// The root edXML (default namespace) holds the envelope and, after it, the attachments (AttachmentEncoded),
// as the exchange's SDK writes them.
const OPEN =
  `<?xml version="1.0" encoding="UTF-8"?>\n<edXML xmlns="${EDXML_NAMESPACE}">` +
  `<edXML:edXMLEnvelope xmlns:edXML="${EDXML_NAMESPACE}">`;
const CLOSE_ENVELOPE = '</edXML:edXMLEnvelope>';
const CLOSE = '</edXML>';

const organization = (name: 'From' | 'To', o: Organization): Node =>
  el(
    name,
    el('OrganId', o.organId),
    el('OrganizationInCharge', o.organizationInCharge),
    el('OrganName', o.organName),
  );

const responseFor = (r: ResponseFor): Node =>
  el(
    'ResponseFor',
    el('OrganId', r.organId),
    el('Code', r.code),
    el('PromulgationDate', r.promulgationDate),
    el('DocumentId', r.documentId),
  );

function messageHeader(h: MessageHeader): Node {
  return el(
    'MessageHeader',
    organization('From', h.from),
    h.to.map((to) => organization('To', to)),
    el('DocumentId', h.documentId),
    el('Code', el('CodeNumber', h.code.codeNumber), el('CodeNotation', h.code.codeNotation)),
    el(
      'PromulgationInfo',
      el('Place', h.promulgationInfo.place),
      el('PromulgationDate', h.promulgationInfo.promulgationDate),
    ),
    el(
      'DocumentType',
      el('Type', h.documentType.type),
      el('TypeDetail', h.documentType.typeDetail),
      el('TypeName', h.documentType.typeName),
    ),
    el('Subject', h.subject),
    el(
      'SignerInfo',
      el('Competence', h.signerInfo.competence),
      el('Position', h.signerInfo.position),
      el('FullName', h.signerInfo.fullName),
    ),
    el('DueDate', h.dueDate),
    el('OtherInfo', el('Priority', h.otherInfo.priority), el('PageAmount', h.otherInfo.pageAmount)),
    h.responseFor.map(responseFor),
    el('SteeringType', h.steeringType),
    h.toPlaces.length
      ? el(
          'ToPlaces',
          h.toPlaces.map((p) => el('Place', p)),
        )
      : undefined,
  );
}

/** TraceHeaderList: the hops, then what the package does to the document (Bussiness, the standard's spelling). */
function traceHeaderList(header: PackageHeader): Node {
  const h = header.messageHeader;
  const business = h.business ?? { docType: 'new' as const };
  return el(
    'TraceHeaderList',
    header.traceHeaders.map((t) => el('TraceHeader', el('OrganId', t.organId), el('Timestamp', t.timestamp))),
    el(
      'Bussiness',
      el('DocumentId', h.documentId),
      el('BussinessDocType', BUSINESS_DOC_TYPES[business.docType]),
      el('BussinessDocReason', business.reason),
      el('Paper', 0),
    ),
  );
}

/** The header and manifest, checked; what `buildPackage` writes before the attachments. */
export function packageHeader(input: PackageHeaderInput): PackageHeader {
  const parsed = PackageHeaderSchema.safeParse(input);
  if (!parsed.success)
    throw exchangeError('exchange_header_invalid', 422, {
      detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    });
  const ids = parsed.data.attachments.map((a) => a.contentId);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw exchangeError('exchange_attachment_duplicate', 422, { contentId: twice });
  return parsed.data;
}

/**
 * The package as UTF-8 chunks. `content(contentId)` gives each attachment's bytes as they are read (from
 * S3, a file): the chunks are encoded and passed on one by one.
 */
export async function* buildPackage(
  input: PackageHeaderInput,
  content: (contentId: string) => AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  const header = packageHeader(input);
  const manifest = header.attachments.map((a) =>
    el(
      'Reference',
      el('ContentId', a.contentId),
      el('ContentType', a.contentType),
      el('Description', a.description),
      el('AttachmentName', a.attachmentName),
    ),
  );
  yield encoder.encode(
    `${OPEN}<edXML:edXMLHeader>${write(messageHeader(header.messageHeader))}${write(traceHeaderList(header))}` +
      `</edXML:edXMLHeader><edXML:edXMLBody><edXML:edXMLManifest version="1.0">${write(manifest)}` +
      `</edXML:edXMLManifest></edXML:edXMLBody>${CLOSE_ENVELOPE}<AttachmentEncoded>`,
  );
  for (const a of header.attachments) {
    yield encoder.encode(
      `<Attachment><ContentId>${escapeXml(a.contentId)}</ContentId>` +
        `<AttachmentName>${escapeXml(a.attachmentName)}</AttachmentName>` +
        `<ContentType>${escapeXml(a.contentType)}</ContentType><ContentTransferEncoded>`,
    );
    for await (const text of encodeBase64(content(a.contentId))) yield encoder.encode(text);
    yield encoder.encode('</ContentTransferEncoded></Attachment>');
  }
  yield encoder.encode(`</AttachmentEncoded>${CLOSE}`);
}

/** A status message (đã đến, từ chối, đã tiếp nhận…) about a document, as XML text. */
export function buildStatus(input: StatusMessage): string {
  const parsed = StatusMessageSchema.safeParse(input);
  if (!parsed.success)
    throw exchangeError('exchange_header_invalid', 422, {
      detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    });
  const s = parsed.data;
  // A status message is a MessageHeader too (the SDK's samples): From, ResponseFor, StaffInfo, StatusCode…
  const status = el(
    'MessageHeader',
    organization('From', s.from),
    responseFor(s.responseFor),
    s.staff ? el('StaffInfo', el('Department', s.staff.department), el('Staff', s.staff.staff)) : undefined,
    el('StatusCode', STATUS_CODES[s.status]),
    el('Description', s.description),
    el('Timestamp', s.timestamp),
  );
  return `${OPEN}<edXML:edXMLHeader>${write(status)}</edXML:edXMLHeader>${CLOSE_ENVELOPE}${CLOSE}`;
}

import { createHash } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { exchangeError } from '../i18n/exchange';
import { Base64Decoder } from './base64';
import {
  type AttachmentReference,
  BUSINESS_DOC_TYPES,
  EDXML_NAMESPACE,
  type PackageHeader,
  PackageHeaderSchema,
  STATUS_CODES,
  type StatusMessage,
  StatusMessageSchema,
  statusOfCode,
} from './model';

/*
 * Reads edXML packages. The package streams through once: the XML around the attachments (the skeleton,
 * small) is kept, each attachment's base64 text is decoded as it passes and handed to a sink with its size
 * and SHA-256, so a 64 MB document is never held whole. The skeleton is then checked against the schema
 * (its ContentTransferEncoded emptied, which xs:base64Binary allows) and read into the typed model; every
 * refusal is a DomainError whose message says why in Vietnamese and English.
 */

/** Checks XML text against the edXML schema; the problems found, none when valid. */
export type SchemaCheck = (xml: string) => Promise<readonly string[]>;

/** Where a decoded attachment goes (a temporary file, S3, memory). */
export interface AttachmentSink {
  write(bytes: Uint8Array): Promise<void> | void;
  end(): Promise<void> | void;
}

export interface ReceivedAttachment extends AttachmentReference {
  readonly size: number;
  readonly sha256: string;
}

export interface ParsedPackage {
  readonly header: PackageHeader;
  readonly attachments: readonly ReceivedAttachment[];
}

/** The skeleton may not grow past this: metadata, not content. */
export const MAX_SKELETON_BYTES = 2 * 1024 * 1024;

const OPEN_CONTENT = /<(?:[\w.-]+:)?ContentTransferEncoded(?:\s[^>]*)?>/g;
const CONTENT_ID = /<(?:[\w.-]+:)?ContentId(?:\s[^>]*)?>([^<]*)<\/(?:[\w.-]+:)?ContentId>/g;
const OPEN_ATTACHMENT = /<(?:[\w.-]+:)?Attachment(?:\s[^>]*)?>/g;

/** Splits a package into its skeleton and its attachments' decoded bytes, streaming. */
export async function splitPackage(
  chunks: AsyncIterable<Uint8Array>,
  sink: (contentId: string) => AttachmentSink,
): Promise<{ skeleton: string; contents: Map<string, { size: number; sha256: string }> }> {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const contents = new Map<string, { size: number; sha256: string }>();
  let skeleton = '';
  let scanFrom = 0;
  let current:
    | {
        id: string;
        decoder: Base64Decoder;
        sink: AttachmentSink;
        hash: ReturnType<typeof createHash>;
        size: number;
      }
    | undefined;

  const emit = async (bytes: Uint8Array) => {
    if (!current || bytes.length === 0) return;
    current.hash.update(bytes);
    current.size += bytes.length;
    await current.sink.write(bytes);
  };

  const feed = async (text: string): Promise<void> => {
    let rest = text;
    while (rest.length) {
      if (current) {
        const end = rest.indexOf('<');
        if (end < 0) {
          await emit(current.decoder.push(rest));
          return;
        }
        await emit(current.decoder.push(rest.slice(0, end)));
        await emit(current.decoder.end());
        await current.sink.end();
        contents.set(current.id, { size: current.size, sha256: current.hash.digest('hex') });
        current = undefined;
        rest = rest.slice(end);
        continue;
      }
      skeleton += rest;
      rest = '';
      if (skeleton.length > MAX_SKELETON_BYTES)
        throw exchangeError('exchange_too_large', 413, { limit: MAX_SKELETON_BYTES });
      OPEN_CONTENT.lastIndex = scanFrom;
      const open = OPEN_CONTENT.exec(skeleton);
      if (!open) {
        // A tag may be cut between chunks: scan again from its start next time.
        scanFrom = Math.max(scanFrom, skeleton.lastIndexOf('<'));
        return;
      }
      const after = open.index + open[0].length;
      const id = lastContentId(skeleton.slice(0, open.index));
      if (contents.has(id)) throw exchangeError('exchange_attachment_duplicate', 422, { contentId: id });
      rest = skeleton.slice(after);
      skeleton = skeleton.slice(0, after);
      scanFrom = after;
      current = { id, decoder: new Base64Decoder(id), sink: sink(id), hash: createHash('sha256'), size: 0 };
    }
  };

  for await (const chunk of chunks) await feed(decoder.decode(chunk, { stream: true }));
  await feed(decoder.decode());
  if (current)
    throw exchangeError('exchange_not_xml', 422, { detail: 'ContentTransferEncoded is not closed' });
  return { skeleton, contents };
}

function lastContentId(before: string): string {
  OPEN_ATTACHMENT.lastIndex = 0;
  let start = 0;
  for (let m = OPEN_ATTACHMENT.exec(before); m; m = OPEN_ATTACHMENT.exec(before)) start = m.index;
  let id: string | undefined;
  CONTENT_ID.lastIndex = start;
  for (let m = CONTENT_ID.exec(before); m; m = CONTENT_ID.exec(before)) id = m[1];
  return contentIdOf(unescapeXml(id?.trim() ?? ''));
}

/** Senders write a ContentId with or without `cid:` (in the manifest, in AttachmentEncoded): one id. */
const contentIdOf = (id: string) => id.replace(/^cid:/i, '');

const unescapeXml = (s: string) =>
  s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) =>
    e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'" : '&',
  );

type XmlValue = string | XmlObject | XmlValue[];
interface XmlObject {
  [key: string]: XmlValue;
}

// Elements that may repeat, by their path (Place repeats in ToPlaces, not in PromulgationInfo).
const REPEATED = /(MessageHeader\.(To|ResponseFor)|TraceHeader|Reference|Attachment|ToPlaces\.Place)$/;
const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (_name, path) => REPEATED.test(String(path)),
});

/**
 * The root checked (well-formed; edXML, or a bare edXMLEnvelope as older senders write, in the edXML
 * namespace), the schema checked, the envelope parsed.
 */
async function readEnvelope(xml: string, check: SchemaCheck): Promise<XmlObject> {
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true)
    throw exchangeError('exchange_not_xml', 422, {
      detail: `${wellFormed.err.msg} (${wellFormed.err.line}:${wellFormed.err.col})`,
    });
  const root = /<(?:([\w.-]+):)?([\w.-]+)([^>]*)>/.exec(xml.replace(/<\?[^>]*\?>|<!--[\s\S]*?-->/g, ''));
  const prefix = root?.[1];
  const ns = root
    ? new RegExp(`xmlns${prefix ? `:${prefix}` : ''}\\s*=\\s*["']([^"']*)["']`).exec(root[3] ?? '')
    : null;
  if ((root?.[2] !== 'edXML' && root?.[2] !== 'edXMLEnvelope') || ns?.[1] !== EDXML_NAMESPACE)
    throw exchangeError('exchange_not_edxml', 422, { namespace: EDXML_NAMESPACE });
  const problems = await check(xml);
  if (problems.length)
    throw exchangeError('exchange_schema_invalid', 422, { detail: problems.slice(0, 3).join('; ') });
  const parsed = parser.parse(xml) as XmlObject;
  return parsed.edXML === undefined ? obj(parsed.edXMLEnvelope) : obj(obj(parsed.edXML).edXMLEnvelope);
}

const obj = (v: XmlValue | undefined): XmlObject =>
  v && typeof v === 'object' && !Array.isArray(v) ? v : {};
const arr = (v: XmlValue | undefined): XmlValue[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const str = (v: XmlValue | undefined): string | undefined =>
  typeof v === 'string' && v !== '' ? v : undefined;
const int = (v: XmlValue | undefined): number | undefined =>
  str(v) === undefined ? undefined : Number(str(v));

const organization = (o: XmlObject) => ({
  organId: str(o.OrganId),
  organName: str(o.OrganName),
  organizationInCharge: str(o.OrganizationInCharge),
});
const responseFor = (r: XmlObject) => ({
  organId: str(r.OrganId),
  code: str(r.Code),
  promulgationDate: str(r.PromulgationDate),
  documentId: str(r.DocumentId),
});
const BUSINESS_BY_NUMBER = new Map(Object.entries(BUSINESS_DOC_TYPES).map(([k, v]) => [v, k]));

function headerModel(envelope: XmlObject): unknown {
  const header = obj(envelope.edXMLHeader);
  const h = obj(header.MessageHeader);
  if (header.MessageHeader === undefined || h.StatusCode !== undefined)
    throw exchangeError('exchange_not_document', 422);
  const code = obj(h.Code);
  const promulgation = obj(h.PromulgationInfo);
  const type = obj(h.DocumentType);
  const signer = obj(h.SignerInfo);
  const other = obj(h.OtherInfo);
  const trace = obj(header.TraceHeaderList);
  const business = trace.Bussiness === undefined ? undefined : obj(trace.Bussiness);
  const body = obj(envelope.edXMLBody);
  return {
    messageHeader: {
      from: organization(obj(h.From)),
      to: arr(h.To).map((t) => organization(obj(t))),
      documentId: str(h.DocumentId),
      code: { codeNumber: str(code.CodeNumber), codeNotation: str(code.CodeNotation) },
      promulgationInfo: {
        place: str(promulgation.Place),
        promulgationDate: str(promulgation.PromulgationDate),
      },
      documentType: { type: int(type.Type), typeDetail: int(type.TypeDetail), typeName: str(type.TypeName) },
      subject: str(h.Subject),
      signerInfo: {
        competence: str(signer.Competence),
        position: str(signer.Position),
        fullName: str(signer.FullName),
      },
      dueDate: str(h.DueDate),
      toPlaces: arr(obj(h.ToPlaces).Place).map(str),
      otherInfo: { priority: int(other.Priority), pageAmount: int(other.PageAmount) },
      responseFor: arr(h.ResponseFor).map((r) => responseFor(obj(r))),
      steeringType: int(h.SteeringType),
      // A new document (0) without a reason is the default: no business to tell.
      business:
        business && !(int(business.BussinessDocType) === 0 && str(business.BussinessDocReason) === undefined)
          ? {
              docType: BUSINESS_BY_NUMBER.get(int(business.BussinessDocType) as 0),
              reason: str(business.BussinessDocReason),
            }
          : undefined,
    },
    traceHeaders: arr(trace.TraceHeader).map((t) => ({
      organId: str(obj(t).OrganId),
      timestamp: str(obj(t).Timestamp),
    })),
    attachments: arr(obj(body.edXMLManifest).Reference).map((r) => ({
      contentId: str(obj(r).ContentId) && contentIdOf(str(obj(r).ContentId) ?? ''),
      contentType: str(obj(r).ContentType),
      attachmentName: str(obj(r).AttachmentName),
      description: str(obj(r).Description),
    })),
  };
}

/**
 * Reads a document package: its attachments streamed to `sink`, its header checked against the schema and
 * the model; every file the manifest lists is present, and nothing else.
 */
export async function parsePackage(
  chunks: AsyncIterable<Uint8Array>,
  check: SchemaCheck,
  sink: (contentId: string) => AttachmentSink,
): Promise<ParsedPackage> {
  const { skeleton, contents } = await splitPackage(chunks, sink);
  const envelope = await readEnvelope(skeleton, check);
  const parsed = PackageHeaderSchema.safeParse(headerModel(envelope));
  if (!parsed.success)
    throw exchangeError('exchange_header_invalid', 422, {
      detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    });
  const header = parsed.data;
  const listed = new Set(header.attachments.map((a) => a.contentId));
  for (const id of contents.keys())
    if (!listed.has(id)) throw exchangeError('exchange_attachment_unlisted', 422, { contentId: id });
  const attachments = header.attachments.map((reference) => {
    const content = contents.get(reference.contentId);
    if (!content) throw exchangeError('exchange_attachment_missing', 422, { contentId: reference.contentId });
    return { ...reference, ...content };
  });
  return { header, attachments };
}

/** Reads a status message. */
export async function parseStatus(xml: string, check: SchemaCheck): Promise<StatusMessage> {
  const envelope = await readEnvelope(xml, check);
  const header = obj(envelope.edXMLHeader);
  // A status message is a MessageHeader with a StatusCode (the exchange SDK's samples).
  const s = obj(header.MessageHeader);
  if (s.StatusCode === undefined) throw exchangeError('exchange_not_status', 422);
  const staff = s.StaffInfo === undefined ? undefined : obj(s.StaffInfo);
  const parsed = StatusMessageSchema.safeParse({
    responseFor: responseFor(obj(arr(s.ResponseFor)[0])),
    from: organization(obj(s.From)),
    status: statusOfCode(str(s.StatusCode) ?? ''),
    description: str(s.Description),
    timestamp: str(s.Timestamp),
    staff: staff && { department: str(staff.Department), staff: str(staff.Staff) },
  });
  if (!parsed.success)
    throw exchangeError('exchange_header_invalid', 422, {
      detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    });
  return parsed.data;
}

/** Whether XML text is a status message rather than a document (both are edXML MessageHeaders). */
export function isStatusMessage(xml: string): boolean {
  return /<(?:[\w.-]+:)?StatusCode[\s>]/.test(xml);
}

export { STATUS_CODES };

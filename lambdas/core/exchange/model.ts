import * as z from 'zod';

/*
 * The typed model of what travels through the national document exchange (QCVN 102:2016/BTTTT, amended
 * 2022): a document package (edXML MessageHeader + TraceHeaderList + attachments) and a status message.
 * Names follow the standard's elements so that the XML and the model read alike.
 */

export const EDXML_NAMESPACE = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';

/** Agency code (mã định danh, QĐ 20/2020/QĐ-TTg): 13 characters such as `000.00.00.H26`. */
export const AgencyCodeSchema = z
  .string()
  .regex(/^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2}$/, 'agency code such as 000.00.00.H26');
export type AgencyCode = z.infer<typeof AgencyCodeSchema>;

/** yyyy/MM/dd, the standard's date form. */
export const ExchangeDateSchema = z.string().regex(/^\d{4}\/\d{2}\/\d{2}$/, 'date yyyy/MM/dd');
/** yyyy/MM/dd HH:mm:ss in Vietnam time. */
export const ExchangeTimestampSchema = z.string().regex(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}$/);

const text = z.string().trim().min(1).max(1000);

export const OrganizationSchema = z.object({
  organId: AgencyCodeSchema,
  organName: z.string().max(1000).optional(),
  organizationInCharge: z.string().max(1000).optional(),
});
export type Organization = z.infer<typeof OrganizationSchema>;

/** What a package does to the document (2022 amendment, Business/BusinessDocType). */
export const BUSINESS_DOC_TYPES = { new: 0, recall: 1, update: 2, replace: 3 } as const;
export const BusinessSchema = z.object({
  docType: z.enum(['new', 'recall', 'update', 'replace']),
  reason: z.string().max(1000).optional(),
});
export type Business = z.infer<typeof BusinessSchema>;

export const ResponseForSchema = z.object({
  organId: AgencyCodeSchema,
  code: text,
  promulgationDate: ExchangeDateSchema,
  documentId: text,
});
export type ResponseFor = z.infer<typeof ResponseForSchema>;

export const TraceHeaderSchema = z.object({ organId: AgencyCodeSchema, timestamp: ExchangeTimestampSchema });

export const MessageHeaderSchema = z.object({
  from: OrganizationSchema,
  to: z.array(OrganizationSchema).min(1).max(500),
  /** `issuer code,yyyy/MM/dd,number/notation`: the hub refuses a new document whose id it already has. */
  documentId: text,
  code: z.object({ codeNumber: text, codeNotation: text }),
  promulgationInfo: z.object({ place: text, promulgationDate: ExchangeDateSchema }),
  documentType: z.object({ type: z.int().min(0), typeDetail: z.int().min(0), typeName: text }),
  subject: text,
  signerInfo: z.object({ competence: z.string().max(1000).optional(), position: text, fullName: text }),
  dueDate: ExchangeDateSchema.optional(),
  toPlaces: z.array(text).max(500).default([]),
  otherInfo: z.object({
    priority: z.int().min(0).max(4),
    pageAmount: z.int().min(0).optional(),
  }),
  responseFor: z.array(ResponseForSchema).default([]),
  steeringType: z.int().min(0).max(2).optional(),
  business: BusinessSchema.optional(),
});
export type MessageHeader = z.infer<typeof MessageHeaderSchema>;
export type MessageHeaderInput = z.input<typeof MessageHeaderSchema>;

export const ContentTypeSchema = z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'a MIME type');

/** One entry of the edXMLManifest; its bytes travel base64-encoded in AttachmentEncoded. */
export const AttachmentReferenceSchema = z.object({
  contentId: text,
  contentType: ContentTypeSchema,
  attachmentName: text,
  description: z.string().max(1000).optional(),
});
export type AttachmentReference = z.infer<typeof AttachmentReferenceSchema>;

export const PackageHeaderSchema = z.object({
  messageHeader: MessageHeaderSchema,
  traceHeaders: z.array(TraceHeaderSchema).default([]),
  attachments: z.array(AttachmentReferenceSchema).min(1).max(100),
});
export type PackageHeader = z.infer<typeof PackageHeaderSchema>;
export type PackageHeaderInput = z.input<typeof PackageHeaderSchema>;

/**
 * Status codes of the exchange. 01–06 follow a received document's handling (D30 PL VI); 13 is a recall
 * asked of the recipient, 15 and 16 its acceptance or refusal (2022 amendment).
 */
export const STATUS_CODES = {
  arrived: '01',
  refused: '02',
  accepted: '03',
  assigned: '04',
  'in-progress': '05',
  done: '06',
  'recall-requested': '13',
  'recall-accepted': '15',
  'recall-refused': '16',
} as const;
export type ExchangeStatus = keyof typeof STATUS_CODES;
export type ExchangeStatusCode = (typeof STATUS_CODES)[ExchangeStatus];
export const ExchangeStatusSchema = z.enum(
  Object.keys(STATUS_CODES) as [ExchangeStatus, ...ExchangeStatus[]],
);

const STATUS_BY_CODE: ReadonlyMap<string, ExchangeStatus> = new Map(
  Object.entries(STATUS_CODES).map(([status, code]) => [code, status as ExchangeStatus]),
);
export function statusOfCode(code: string): ExchangeStatus | undefined {
  return STATUS_BY_CODE.get(code);
}

export const StatusMessageSchema = z.object({
  responseFor: ResponseForSchema,
  from: OrganizationSchema,
  status: ExchangeStatusSchema,
  description: z.string().max(1000).optional(),
  timestamp: ExchangeTimestampSchema,
  staff: z
    .object({ department: z.string().max(1000).optional(), staff: z.string().max(1000).optional() })
    .optional(),
});
export type StatusMessage = z.infer<typeof StatusMessageSchema>;

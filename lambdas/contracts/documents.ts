import * as z from 'zod';
import { AmendmentKindSchema } from '../core/domain/amendments';
import {
  CalendarDateSchema,
  DocumentIdSchema,
  InstantSchema,
  LineSchema,
  NoteSchema,
  OrgIdSchema,
  PersonIdSchema,
  storable,
} from '../core/domain/common';
import { UnitCodeSchema } from '../core/domain/directory';
import {
  ClassificationSchema,
  DraftFormatSchema,
  FileNameSchema,
  MediaTypeSchema,
} from '../core/domain/document-files';
import { DocumentTypeIdSchema, SubjectSchema, UrgencySchema } from '../core/domain/document-types';
import { MAX_CO_ISSUERS } from '../core/domain/events';
import { IncomingStateSchema, OutgoingStateSchema } from '../core/domain/states';
import { DraftPlacementSchema } from '../core/placement/placement';
import { CallerDocumentViewSchema } from '../core/views/document-view-schema';
import type { RouteContract } from './contract';
import { MadeSignatureBodySchema, PreparedSignatureSchema, SignatureRequestBodySchema } from './signatures';

// The parts of a document view by name, for the web (which imports types from the contracts only).
export type { SigningCapacity } from '../core/domain/capacity';
export type { Delivery } from '../core/domain/delivery';
export type { Assignee, PersonalSignature, Signature } from '../core/domain/events';
export type { DocumentAction, LogEntry } from '../core/views/document-view-schema';

/*
 * The documents API: drafts, signing, issuing and sending (outgoing), and each recipient's handling
 * (incoming). Field names are the public contract; the domain's own names are mapped in the service.
 */

const DocumentId = DocumentIdSchema;
const OrgRef = LineSchema(80);

/** An organisation id, or a group: `all-wards` (every ward and commune) or `all-departments`. */
export const RecipientSchema = z.union([
  OrgRef,
  z.object({ to: OrgRef, purpose: z.enum(['action', 'supervision', 'information']) }),
]);

export const CreateDocumentSchema = z
  .object({
    title: SubjectSchema.describe('Subject (trích yếu)'),
    docType: DocumentTypeIdSchema,
    urgency: UrgencySchema.optional(),
    recipients: z.array(RecipientSchema).max(500).optional(),
    dueDate: CalendarDateSchema.optional(),
    deliverBy: InstantSchema.optional(),
    draftingUnit: UnitCodeSchema.optional().describe('Drafting unit code, used in a công văn symbol'),
    signerId: PersonIdSchema.optional().describe('The leader intended to sign'),
    format: DraftFormatSchema.optional().describe(
      'Draft file format: pdf (default), or docx/odt converted to PDF (the Word file kept as source)',
    ),
    classification: ClassificationSchema.optional().describe(
      'Classification (độ mật); absent: none. Secret documents are refused',
    ),
    coIssuers: z
      .array(OrgIdSchema)
      .min(1)
      .max(MAX_CO_ISSUERS)
      .optional()
      .describe(
        'A joint document (văn bản liên tịch): the organisations co-issuing it with yours, in signing order',
      ),
    replaces: DocumentId.optional().describe(
      'An issued document of the organisation this one replaces (thay thế); its recipients receive this one too',
    ),
    corrects: DocumentId.optional().describe(
      'An issued document of the organisation this one corrects (đính chính); its recipients receive this one too',
    ),
  })
  .strict()
  .refine((body) => !(body.replaces && body.corrects), {
    message: 'replaces, corrects: at most one',
    path: ['corrects'],
  })
  .meta({ id: 'CreateDocument' });
export type CreateDocument = z.infer<typeof CreateDocumentSchema>;

export const UploadTargetSchema = z
  .object({
    url: z.url(),
    method: z.literal('POST'),
    // Sent as a multipart form: these fields in order, then the file as the last part.
    fields: z.record(z.string(), z.string()),
    maxBytes: z.int(),
    expiresInSeconds: z.int(),
  })
  .meta({ id: 'UploadTarget' });

export type UploadTarget = z.infer<typeof UploadTargetSchema>;

export const CreatedDocumentSchema = z
  .object({ id: DocumentId, upload: UploadTargetSchema })
  .meta({ id: 'CreatedDocument' });
export type CreatedDocument = z.infer<typeof CreatedDocumentSchema>;

const Empty = z.object({}).strict();
const Reason = z.object({ reason: NoteSchema }).strict();

export const SendBodySchema = z
  .object({ recipients: z.array(RecipientSchema).min(1).max(500).optional() })
  .strict();

/** A person's id, or `unit:<code>` for an internal unit (phòng, ban). */
const AssigneeRef = LineSchema(140);

export const AssignBodySchema = z
  .object({
    lead: AssigneeRef,
    support: z.array(AssigneeRef).max(50).optional(),
    info: z.array(AssigneeRef).max(50).optional(),
    deadline: CalendarDateSchema,
    note: NoteSchema,
  })
  .strict();

export const ReassignBodySchema = z
  .object({ handler: AssigneeRef, deadline: CalendarDateSchema.optional(), note: NoteSchema.optional() })
  .strict();

export const ForwardBodySchema = z
  .object({
    to: z.union([OrgRef, z.array(OrgRef).min(1).max(200)]),
    note: NoteSchema.optional(),
  })
  .strict();

export const ResolveBodySchema = z
  .object({ replyId: DocumentId.optional(), note: NoteSchema.optional() })
  .strict();

export const RegisterBodySchema = z
  .object({
    presentTo: PersonIdSchema.optional().describe('Leader to present it to; the head by default'),
  })
  .strict();

export const ApproveBodySchema = z
  .object({ note: NoteSchema.optional(), signerId: PersonIdSchema.optional() })
  .strict();

export const SubmitBodySchema = z.object({ note: NoteSchema.optional() }).strict();

export const FolderSchema = z.enum(['incoming', 'outgoing', 'drafts', 'to-sign', 'assigned']);
export type Folder = z.infer<typeof FolderSchema>;

export const InboxQuerySchema = z.object({
  folder: FolderSchema,
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z
    .string()
    .max(2000)
    .optional()
    .describe('Opaque: the cursor of the previous page of the same folder, as it was returned'),
  /** Words to find in the number, symbol, subject or arrival number, with or without accents. */
  q: storable(z.string().trim().min(1).max(200)).optional(),
});

export const InboxItemSchema = z
  .object({
    id: DocumentId,
    folder: FolderSchema,
    title: z.string(),
    docType: DocumentTypeIdSchema,
    urgency: UrgencySchema,
    /** The outgoing document's state, or the organisation's own record's. */
    state: z.union([OutgoingStateSchema, IncomingStateSchema]),
    /** The number as printed, two digits at least (`01`). */
    number: z.string().optional(),
    symbol: z.string().optional(),
    issuedOn: CalendarDateSchema.optional(),
    senderOrgId: OrgIdSchema.optional(),
    arrivalNumber: z.int().optional(),
    deadline: CalendarDateSchema.optional(),
    updatedAt: InstantSchema,
  })
  .meta({ id: 'InboxItem' });
export type InboxItem = z.infer<typeof InboxItemSchema>;

export const InboxPageSchema = z
  .object({
    folder: FolderSchema,
    items: z.array(InboxItemSchema),
    cursor: z.string().optional(),
    total: z.int(),
    /**
     * With `q`: how far back this page searched (the last update time it reached), so a person knows what
     * "nothing found" covers; the cursor goes on from there.
     */
    searchedThrough: InstantSchema.optional(),
  })
  .meta({ id: 'InboxPage' });
export type InboxPage = z.infer<typeof InboxPageSchema>;

export const RegisterQuerySchema = z.object({
  year: z.coerce.number().int().min(2000).max(9999).optional(),
  orgId: OrgRef.optional().describe("Auditors only: another organisation's register"),
  format: z
    .enum(['json', 'csv', 'xlsx', 'pdf'])
    .optional()
    .describe(
      'csv (UTF-8 with BOM), xlsx, pdf (A4 landscape, as printed): the Decree 30 form of the register',
    ),
  from: CalendarDateSchema.optional().describe(
    'Period start (Hà Nội date, inclusive): issue or arrival date',
  ),
  to: CalendarDateSchema.optional().describe('Period end (inclusive)'),
  docType: DocumentTypeIdSchema.optional(),
  urgency: UrgencySchema.optional(),
  org: OrgIdSchema.optional().describe(
    'Exactly this organisation: the sender (incoming, follow-up) or a recipient (outgoing)',
  ),
  status: z
    .union([OutgoingStateSchema, IncomingStateSchema])
    .optional()
    .describe("The document's state at the organisation"),
  overdue: z
    .enum(['true', 'false'])
    .optional()
    .describe('Incoming and follow-up registers: past the handling deadline and still open, or not'),
  q: LineSchema(200)
    .optional()
    .describe('Words of the number and symbol, type or summary; with or without Vietnamese diacritics'),
});

/** A replacement or correction a register row notes: its kind and the number and symbol of the other document. */
const RegisterAmendment = z.object({ kind: AmendmentKindSchema, symbol: z.string() });

/** One row of the outgoing register (sổ đăng ký văn bản đi), as core/domain/registers.ts writes it. */
export const OutgoingRegisterEntrySchema = z
  .object({
    number: z.int().min(1),
    documentId: DocumentId,
    symbol: z.string().optional(),
    issuedOn: CalendarDateSchema.optional(),
    /** The type's name (`Quyết định`). */
    docType: z.string(),
    subject: z.string(),
    /** Capacity lines and name: `TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH – Trần Thị Hương`. */
    signer: z.string(),
    /** Names of the recipient organisations. */
    recipients: z.array(z.string()),
    /** Their ids (as sent, when the register was filtered by organisation or state). */
    recipientOrgIds: z.array(OrgIdSchema).optional(),
    /** The document's state, when the register was filtered by it. */
    state: OutgoingStateSchema.optional(),
    urgency: UrgencySchema,
    /** The titles of its attachments in files of their own, sealed with it. */
    attachments: z.array(z.string()).optional(),
    /** A joint document's issuing organisations, the lead (whose number it is) first. */
    issuers: z.array(z.string()).optional(),
    /** The document it replaces or corrects. */
    amends: RegisterAmendment.optional(),
    /** The documents that replaced or corrected it. */
    amendedBy: z.array(RegisterAmendment).optional(),
  })
  .meta({ id: 'OutgoingRegisterEntry' });

/** One row of the incoming register (sổ đăng ký văn bản đến). */
export const IncomingRegisterEntrySchema = z
  .object({
    number: z.int().min(1),
    documentId: DocumentId,
    arrivedOn: InstantSchema,
    arrivalNumber: z.int().min(1).optional(),
    /** The issuing organisation's name. */
    issuer: z.string(),
    senderOrgId: OrgIdSchema.optional(),
    symbol: z.string(),
    issuedOn: CalendarDateSchema,
    docType: z.string(),
    subject: z.string(),
    urgency: UrgencySchema,
    /** The document (of the same issuer) it replaces or corrects. */
    amends: RegisterAmendment.optional(),
    /** The state at the organisation and working days overdue, when the register was filtered by them. */
    state: IncomingStateSchema.optional(),
    overdueDays: z.int().min(0).optional(),
  })
  .meta({ id: 'IncomingRegisterEntry' });

/** One row of the follow-up register (sổ theo dõi giải quyết văn bản đến), from the incoming record. */
export const FollowUpRegisterEntrySchema = z
  .object({
    documentId: DocumentId,
    arrivalNumber: z.int().min(1),
    arrivalYear: z.int(),
    arrivedOn: InstantSchema,
    senderOrgId: OrgIdSchema,
    /** The issuing organisation's name. */
    issuer: z.string(),
    symbol: z.string(),
    issuedOn: CalendarDateSchema,
    docType: z.string(),
    subject: z.string(),
    urgency: UrgencySchema,
    state: IncomingStateSchema,
    /** Who handles it now: a person (id, name) or an internal unit (its code). */
    handler: z.object({ kind: z.enum(['person', 'unit']), id: z.string(), name: z.string() }).optional(),
    /** The deadline that binds the handler (Hà Nội date). */
    deadline: CalendarDateSchema.optional(),
    resolvedOn: CalendarDateSchema.optional(),
    /** Resolved on or before the deadline; absent without a deadline or before resolution. */
    onTime: z.boolean().optional(),
    /** Working days past the deadline while still open; 0 when not overdue. */
    overdueDays: z.int().min(0),
    replyDocumentId: DocumentId.optional(),
    /** The reply's number and symbol, from the organisation's outgoing register. */
    replySymbol: z.string().optional(),
    forwardedOn: CalendarDateSchema.optional(),
  })
  .meta({ id: 'FollowUpRegisterEntry' });

const StatisticsLineSchema = z.object({
  key: z.string(),
  label: z.string(),
  received: z.int(),
  sent: z.int(),
  resolved: z.int(),
  onTime: z.int(),
  late: z.int(),
  overdue: z.int(),
});

export const StatisticsQuerySchema = z.object({
  from: CalendarDateSchema.optional().describe('Period start (Hà Nội date); default: 1 January of this year'),
  to: CalendarDateSchema.optional().describe(
    'Period end (inclusive); default: 31 December of the start year',
  ),
  by: z.enum(['month', 'quarter', 'year']).optional().describe('Periods to count by; default month'),
  orgId: OrgRef.optional().describe("Auditors only: another organisation's statistics"),
  format: z.enum(['json', 'csv', 'xlsx']).optional(),
});

export const StatisticsSchema = z
  .object({
    orgId: OrgIdSchema,
    from: CalendarDateSchema,
    to: CalendarDateSchema,
    by: z.enum(['month', 'quarter', 'year']),
    totals: StatisticsLineSchema.omit({ key: true, label: true }),
    periods: z.array(StatisticsLineSchema),
    handlers: z.array(StatisticsLineSchema),
    types: z.array(StatisticsLineSchema),
    urgencies: z.array(StatisticsLineSchema),
  })
  .meta({ id: 'Statistics' });

const register = <E extends z.ZodType>(entry: E) =>
  z.object({ orgId: OrgIdSchema, year: z.int(), entries: z.array(entry) });

/**
 * The document as the caller may see it (recipients their own record, senders every delivery), what they
 * may do now and the capacities they may sign in, and where to upload the draft's PDF when they may.
 */
export const DocumentViewSchema = CallerDocumentViewSchema.extend({
  upload: UploadTargetSchema.optional(),
}).meta({ id: 'DocumentView' });
export type DocumentView = z.infer<typeof DocumentViewSchema>;

export const FileUrlSchema = z.object({ url: z.url() });

/** An attachment's file as the drafter offers it (D30 Appendix I: phụ lục, văn bản kèm theo). */
export const AttachmentUploadBodySchema = z
  .object({
    fileName: FileNameSchema.describe('The file name, shown and used on download'),
    mediaType: MediaTypeSchema.optional().describe(
      'Its media type; a PDF is sealed in the file, any other file gets a detached .p7s seal signature',
    ),
  })
  .strict()
  .meta({ id: 'AttachmentUploadRequest' });

export const AttachmentUploadSchema = z
  .object({ uploadId: z.uuid(), upload: UploadTargetSchema })
  .meta({ id: 'AttachmentUpload' });
export type AttachmentUpload = z.infer<typeof AttachmentUploadSchema>;

export const AddAttachmentBodySchema = AttachmentUploadBodySchema.extend({
  uploadId: z.uuid(),
  title: LineSchema(500).describe('The attachment’s title as the document lists it (Phụ lục I: …)'),
})
  .strict()
  .meta({ id: 'AddAttachment' });

const write = <B extends z.ZodType>(summary: string, body: B, description?: string) => ({
  summary,
  description,
  body,
  response: DocumentViewSchema,
  idempotent: true,
});

export const documentContracts = {
  'POST /api/documents': {
    summary: 'Start a draft; upload its PDF to the returned URL, then POST …/content',
    body: CreateDocumentSchema,
    response: CreatedDocumentSchema,
    status: 201,
    idempotent: true,
  },
  'GET /api/documents/{id}': {
    summary: 'The document: metadata, state, number, signatures, deliveries and circulation log',
    response: DocumentViewSchema,
  },
  'GET /api/documents/{id}/file': {
    summary: 'The current PDF (a redirect to a short-lived download URL; ?redirect=false gives {url})',
    query: z.object({ redirect: z.enum(['true', 'false']).optional() }),
    response: FileUrlSchema,
  },
  'POST /api/documents/{id}/content': write('Check the uploaded PDF and record it as the draft', Empty),
  'POST /api/documents/{id}/attachments/uploads': {
    summary:
      'Start adding an attachment to a draft: upload the file to the returned URL, then POST …/attachments',
    body: AttachmentUploadBodySchema,
    response: AttachmentUploadSchema,
    status: 201,
    idempotent: true,
  },
  'POST /api/documents/{id}/attachments': write(
    'Check the uploaded attachment and record it on the draft with its title',
    AddAttachmentBodySchema,
  ),
  'DELETE /api/documents/{id}/attachments/{attachmentId}': {
    summary: 'Remove an attachment from the draft',
    response: DocumentViewSchema,
    idempotent: true,
  },
  'GET /api/documents/{id}/attachments/{attachmentId}/file': {
    summary:
      'An attachment (sealed once issued), or with ?part=signature its detached seal signature (.p7s); ?redirect=false gives {url}',
    query: z.object({
      part: z.enum(['file', 'signature']).optional(),
      redirect: z.enum(['true', 'false']).optional(),
    }),
    response: FileUrlSchema,
  },
  'POST /api/documents/{id}/submit': write('Submit the draft for review', SubmitBodySchema),
  'POST /api/documents/{id}/approve': write(
    'Approve the draft and submit it to the signer',
    ApproveBodySchema,
  ),
  'POST /api/documents/{id}/signature-requests': {
    summary: "Prepare the leader's signature, in a capacity: what they then authorize with their own factor",
    body: SignatureRequestBodySchema,
    response: PreparedSignatureSchema,
    status: 201,
    idempotent: true,
  },
  'PUT /api/documents/{id}/placement': write(
    'Move the signature block, the seal or the number/date line; refused (422, with the reason) where it would cover text or an image',
    DraftPlacementSchema,
  ),
  'POST /api/documents/{id}/sign': write(
    "Make the signature prepared and authorized: the signer function signs with the leader's own key",
    MadeSignatureBodySchema,
  ),
  'POST /api/documents/{id}/issue-requests': {
    summary:
      'Prepare the issue: reserve the number, stamp number and date, prepare the seal for the clerk to authorize',
    body: Empty,
    response: PreparedSignatureSchema,
    status: 201,
    idempotent: true,
  },
  'POST /api/documents/{id}/issue': write(
    "Number, date and seal: apply the organisation's signature the clerk prepared and authorized",
    MadeSignatureBodySchema,
  ),
  'POST /api/documents/{id}/send': write(
    'Send to organisations or the groups all-wards, all-departments',
    SendBodySchema,
  ),
  'POST /api/documents/{id}/archive': write(
    "Hand the document to the organisation's archive: a document timestamp with its validation data (PAdES B-LTA), renewed before it lapses",
    Empty,
  ),
  'POST /api/documents/{id}/recall': write('Recall an issued document; recipients are told', Reason),
  'POST /api/documents/{id}/return': write(
    'Return: a draft to its drafter (by a reviewer or signer), or an arrived document to its sender',
    Reason,
  ),
  'POST /api/documents/{id}/register': write(
    'Register an arrived document (arrival number)',
    RegisterBodySchema,
  ),
  'POST /api/documents/{id}/assign': write(
    'Direct and assign: lead, supporting, for information, deadline',
    AssignBodySchema,
  ),
  'POST /api/documents/{id}/reassign': write('Re-assign within the organisation', ReassignBodySchema),
  'POST /api/documents/{id}/start': write('Start handling an assigned document', Empty),
  'POST /api/documents/{id}/resolve': write('Resolve, optionally with the reply document', ResolveBodySchema),
  'POST /api/documents/{id}/forward': write('Forward to another organisation', ForwardBodySchema),
  'GET /api/inbox': {
    summary: "A folder of the caller's organisation, newest first, paginated",
    query: InboxQuerySchema,
    response: InboxPageSchema,
  },
  'GET /api/registers/outgoing': {
    summary: 'The outgoing register (sổ văn bản đi) of a year; CSV with format=csv or Accept: text/csv',
    query: RegisterQuerySchema,
    response: register(OutgoingRegisterEntrySchema),
  },
  'GET /api/registers/incoming': {
    summary: 'The incoming register (sổ văn bản đến) of a year',
    query: RegisterQuerySchema,
    response: register(IncomingRegisterEntrySchema),
  },
  'GET /api/statistics': {
    summary:
      'Documents received, sent, resolved on time or late and overdue, by period, handler, type and urgency (from the registers); CSV or XLSX with format',
    query: StatisticsQuerySchema,
    response: StatisticsSchema,
  },
  'GET /api/registers/follow-up': {
    summary:
      'The follow-up register (sổ theo dõi giải quyết văn bản đến): handler, deadline, progress and reply of each registered incoming document',
    query: RegisterQuerySchema,
    response: register(FollowUpRegisterEntrySchema),
  },
} as const satisfies Record<string, RouteContract>;

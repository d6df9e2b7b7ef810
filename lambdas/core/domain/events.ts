import * as z from 'zod';
import { DraftPlacementSchema } from '../placement/placement';
import { SignatureAuthorizationSchema } from '../signing/authorization-record';
import { EventActorSchema } from './actor';
import { AmendsSchema } from './amendments';
import { SigningCapacitySchema } from './capacity';
import {
  CalendarDateSchema,
  DocumentIdSchema,
  InstantSchema,
  NoteSchema,
  OrgIdSchema,
  PersonIdSchema,
  Sha256HexSchema,
} from './common';
import { RecipientPurposeSchema, RecipientSchema, RecipientTargetSchema, UnitCodeSchema } from './directory';
import {
  AttachmentIdSchema,
  AttachmentSchema,
  SealedAttachmentSchema,
  SourceFileSchema,
} from './document-files';
import { DocumentTypeIdSchema, SubjectSchema, UrgencySchema } from './document-types';

/**
 * What happened to a document, as appended to its circulation log. One log per document holds the sender's
 * events and every recipient's; `orgId` says whose view an event concerns. Payloads carry everything the
 * projection needs: state is rebuilt from events alone, never from commands.
 */

// --- Records shared by events and states --------------------------------------------------------------------

/** At most this many organisations co-issue with the lead (the signature blocks must fit one page). */
export const MAX_CO_ISSUERS = 3;

/** The editable content of a draft (metadata; the file itself is identified by its SHA-256). */
export const DraftContentSchema = z.object({
  typeId: DocumentTypeIdSchema,
  subject: SubjectSchema,
  urgency: UrgencySchema,
  /** For `flash-timed` (hỏa tốc hẹn giờ): the time by which the document must reach its recipients. */
  deliverBy: InstantSchema.optional(),
  /** Deadline for the recipients to act (hạn xử lý). */
  dueDate: CalendarDateSchema.optional(),
  /** The drafting unit or field, for a công văn's symbol (`VX` in `12/UBND-VX`). */
  draftingUnitCode: UnitCodeSchema.optional(),
  pageCount: z.int().min(1).max(100_000).optional(),
  /** The recipients list as written (ids and group names); it may wait until the clerk sends. */
  recipientTargets: z.array(RecipientTargetSchema),
  /** The recipients list resolved against the directory. */
  recipients: z.array(RecipientSchema),
  /** Attachments in files of their own (D30 Appendix I), each sealed at issue. Absent: none. */
  attachments: z.array(AttachmentSchema).optional(),
  /** The Word file the draft's PDF was converted from, kept as its editable source. */
  source: SourceFileSchema.optional(),
  /** Where the signature block, the seal and the number/date line go (core/placement). Absent: an older draft. */
  placement: DraftPlacementSchema.optional(),
  /**
   * A joint document (văn bản liên tịch): the organisations issuing it with the lead (`orgId`), in the order
   * their leaders sign and their clerks seal after the lead's. Absent: one issuer.
   */
  coIssuers: z.array(OrgIdSchema).min(1).max(MAX_CO_ISSUERS).optional(),
  /** The issued document of the organisation this one replaces or corrects (core/domain/amendments.ts). */
  amends: AmendsSchema.optional(),
});
export type DraftContent = z.infer<typeof DraftContentSchema>;

/** A reviewer's approval (ký nháy / initials in practice), recorded as an event, not a PDF signature. */
export const ApprovalSchema = z.object({
  by: PersonIdSchema,
  name: z.string(),
  title: z.string(),
  at: InstantSchema,
  note: NoteSchema.optional(),
});
export type Approval = z.infer<typeof ApprovalSchema>;

/** The competent person's signature, with the capacity recorded and the lines shown above the name. */
export const PersonalSignatureSchema = z.object({
  kind: z.literal('person'),
  signerId: PersonIdSchema,
  signerName: z.string(),
  signerTitle: z.string(),
  signerOrgId: OrgIdSchema,
  capacity: SigningCapacitySchema,
  delegationId: z.string().optional(),
  /** Bold capital lines above the name, e.g. `TM. ỦY BAN NHÂN DÂN`, `KT. CHỦ TỊCH`, `PHÓ CHỦ TỊCH`. */
  lines: z.array(z.string()).min(1),
  at: InstantSchema,
  /** SHA-256 of the file as signed by this signature. */
  documentSha256: Sha256HexSchema,
  certificateSha256: Sha256HexSchema.optional(),
  /** The signer's own authorization of this signature, bound to its digest (docs/SECURITY.md). */
  authorization: SignatureAuthorizationSchema.optional(),
});

/** The organisation's signature, applied by the clerk at issue, after the personal one (D30 Art.32). */
export const OrganisationSignatureSchema = z.object({
  kind: z.literal('organisation'),
  orgId: OrgIdSchema,
  appliedBy: PersonIdSchema,
  at: InstantSchema,
  documentSha256: Sha256HexSchema,
  certificateSha256: Sha256HexSchema.optional(),
  /** The signer's own authorization of this signature, bound to its digest (docs/SECURITY.md). */
  authorization: SignatureAuthorizationSchema.optional(),
});

export const SignatureSchema = z.discriminatedUnion('kind', [
  PersonalSignatureSchema,
  OrganisationSignatureSchema,
]);
export type Signature = z.infer<typeof SignatureSchema>;
export type PersonalSignature = z.infer<typeof PersonalSignatureSchema>;
export type OrganisationSignature = z.infer<typeof OrganisationSignatureSchema>;

/** Who handles an incoming document inside the recipient organisation: a person or an internal unit. */
export const AssigneeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('person'), personId: PersonIdSchema }),
  z.object({ kind: z.literal('unit'), unitCode: UnitCodeSchema }),
]);
export type Assignee = z.infer<typeof AssigneeSchema>;

/** The leader's direction (bút phê): lead (chủ trì), supporting (phối hợp), for information, deadline. */
export const AssignmentSchema = z.object({
  lead: AssigneeSchema,
  supporting: z.array(AssigneeSchema).default([]),
  forInformation: z.array(AssigneeSchema).default([]),
  deadline: CalendarDateSchema.optional(),
  /** The direction note (bút phê). */
  note: NoteSchema,
});
export type Assignment = z.infer<typeof AssignmentSchema>;

/** The result of the clerk's check of every signature on an arrived document. */
export const SignatureCheckSchema = z.object({
  valid: z.boolean(),
  detail: z.string().max(2000).optional(),
});

/**
 * A document timestamp over the archived file (PAdES B-LTA): when it was made, until when the evidence it
 * carries holds (its TSA certificate's expiry or its algorithm's horizon), and when it is to be renewed.
 */
export const ArchiveTimestampSchema = z.object({
  time: InstantSchema,
  holdsUntil: InstantSchema,
  renewBy: InstantSchema,
});
export type ArchiveTimestamp = z.infer<typeof ArchiveTimestampSchema>;

/** A departure's handover: from the person who left to their successor, by an administrator's decision. */
export const HandoverSchema = z.object({ fromPersonId: PersonIdSchema, toPersonId: PersonIdSchema });
export type Handover = z.infer<typeof HandoverSchema>;

// --- Event bodies ---------------------------------------------------------------------------------------------

const body = <T extends string, P extends z.ZodObject>(type: T, payload: P) =>
  z.object({ type: z.literal(type), payload });

export const OUTGOING_EVENT_TYPES = [
  'created',
  'revised',
  'submitted',
  'approved',
  'returned-for-revision',
  'signed',
  'issued',
  'sent',
  'archived',
  'archive-renewed',
  'recalled',
  'replaced',
  'corrected',
  'attachment-added',
  'attachment-removed',
  'handed-over',
  'placed',
] as const;

export const INCOMING_EVENT_TYPES = [
  'arrived',
  'returned-to-sender',
  'registered',
  'presented',
  'assigned',
  'reassigned',
  'started',
  'resolved',
  'forwarded',
  'delivery-recalled',
  'duties-handed-over',
  'registration-reminded',
] as const;

export const EventBodySchema = z.discriminatedUnion('type', [
  // outgoing (orgId = the issuing organisation)
  body('created', DraftContentSchema.extend({ drafterId: PersonIdSchema })),
  body('revised', DraftContentSchema),
  body('submitted', z.object({ note: NoteSchema.optional() })),
  body('approved', z.object({ approval: ApprovalSchema, designatedSignerId: PersonIdSchema.optional() })),
  body(
    'returned-for-revision',
    z.object({ from: z.enum(['UNDER_REVIEW', 'SUBMITTED_TO_SIGNER']), reason: NoteSchema }),
  ),
  // A personal signature; on a joint document also a co-issuer's seal after the lead's issue.
  body('signed', z.object({ signature: SignatureSchema })),
  body(
    'issued',
    z.object({
      number: z.int().min(1),
      /** `QĐ-UBND` */
      notation: z.string(),
      /** `01/QĐ-UBND` */
      symbol: z.string(),
      issuedOn: CalendarDateSchema,
      dateLine: z.string(),
      seriesKey: z.string(),
      signature: OrganisationSignatureSchema,
      /** Each separately filed attachment, sealed under the same authorization. */
      attachments: z.array(SealedAttachmentSchema).optional(),
    }),
  ),
  body('sent', z.object({ recipients: z.array(RecipientSchema).min(1) })),
  body('archived', z.object({ archiveTimestamp: ArchiveTimestampSchema.optional() })),
  body('archive-renewed', z.object({ archiveTimestamp: ArchiveTimestampSchema })),
  body('recalled', z.object({ reason: NoteSchema })),
  // By the document that replaces or corrects it, when that one is sent (its number and symbol with it;
  // a replacement recorded before replacements were documents of their own has none).
  body(
    'replaced',
    z.object({
      replacementDocumentId: DocumentIdSchema,
      symbol: z.string().max(120).optional(),
      reason: NoteSchema.optional(),
    }),
  ),
  body('corrected', z.object({ correctionDocumentId: DocumentIdSchema, symbol: z.string().max(120) })),
  // A draft's attachments in files of their own (D30 Appendix I): each added and removed as a step of its own.
  body('attachment-added', z.object({ attachment: AttachmentSchema })),
  body('attachment-removed', z.object({ attachmentId: AttachmentIdSchema })),
  // A person left: what was theirs to do on the draft (drafting it, signing it) goes to their successor.
  body('handed-over', HandoverSchema),
  body('placed', z.object({ placement: DraftPlacementSchema })),
  // incoming (orgId = the recipient)
  body(
    'arrived',
    z.object({
      senderOrgId: OrgIdSchema,
      purpose: RecipientPurposeSchema,
      forwardedBy: OrgIdSchema.optional(),
      typeId: DocumentTypeIdSchema,
      subject: SubjectSchema,
      symbol: z.string(),
      issuedOn: CalendarDateSchema,
      urgency: UrgencySchema,
      deliverBy: InstantSchema.optional(),
      dueDate: CalendarDateSchema.optional(),
      amends: AmendsSchema.optional(),
    }),
  ),
  body('returned-to-sender', z.object({ reason: NoteSchema })),
  body(
    'registered',
    z.object({
      arrivalNumber: z.int().min(1),
      year: z.int(),
      seriesKey: z.string(),
      signatureCheck: SignatureCheckSchema,
    }),
  ),
  body('presented', z.object({ toPersonId: PersonIdSchema })),
  body('assigned', z.object({ assignment: AssignmentSchema })),
  body(
    'reassigned',
    z.object({
      handler: AssigneeSchema,
      deadline: CalendarDateSchema.optional(),
      note: NoteSchema.optional(),
    }),
  ),
  body('started', z.object({})),
  body('resolved', z.object({ replyDocumentId: DocumentIdSchema.optional(), note: NoteSchema.optional() })),
  body('forwarded', z.object({ to: z.array(OrgIdSchema).min(1), note: NoteSchema.optional() })),
  body('delivery-recalled', z.object({ reason: NoteSchema })),
  // A person left: what was theirs to do on the record (presented to them, assigned to them) goes to
  // their successor.
  body('duties-handed-over', HandoverSchema),
  // The sender reminded this recipient, which had not registered the document yet (its clerks are told).
  body('registration-reminded', z.object({})),
]);
export type EventBody = z.infer<typeof EventBodySchema>;
export type EventType = EventBody['type'];
export type OutgoingEventType = (typeof OUTGOING_EVENT_TYPES)[number];
export type IncomingEventType = (typeof INCOMING_EVENT_TYPES)[number];

export function isOutgoingEventType(type: EventType): type is OutgoingEventType {
  return (OUTGOING_EVENT_TYPES as readonly string[]).includes(type);
}

export function isIncomingEventType(type: EventType): type is IncomingEventType {
  return (INCOMING_EVENT_TYPES as readonly string[]).includes(type);
}

/** Fields every event has besides its type and payload (and besides the chain fields the log adds). */
export const EventDraftBaseSchema = z.object({
  documentId: DocumentIdSchema,
  at: InstantSchema,
  actor: EventActorSchema,
  /** Whose view the event concerns: the sender for outgoing events, the recipient for incoming ones. */
  orgId: OrgIdSchema,
  /** SHA-256 of the document version the event concerns. */
  documentSha256: Sha256HexSchema,
});

/** An event as a decision returns it, before the log gives it a place in the chain. */
export const EventDraftSchema = z.intersection(EventDraftBaseSchema, EventBodySchema);
export type EventDraft = z.infer<typeof EventDraftSchema>;

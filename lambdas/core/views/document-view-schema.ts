import * as z from 'zod';
import { EventActorSchema } from '../domain/actor';
import { AmendedBySchema, AmendsSchema } from '../domain/amendments';
import { SigningCapacitySchema } from '../domain/capacity';
import { DocumentIdSchema, InstantSchema, OrgIdSchema, Sha256HexSchema } from '../domain/common';
import { DeliverySchema } from '../domain/delivery';
import { AttachmentSchema } from '../domain/document-files';
import { DocumentTypeIdSchema } from '../domain/document-types';
import { INCOMING_EVENT_TYPES, OUTGOING_EVENT_TYPES, SignatureSchema } from '../domain/events';
import { IncomingRecordSchema } from '../domain/incoming';
import { OutgoingDocumentSchema } from '../domain/outgoing';
import { IncomingStateSchema, OutgoingStateSchema } from '../domain/states';

/*
 * The shape of a document as one caller sees it (core/views/document-view.ts builds it). Kept apart from
 * the function, which needs Node's crypto for the chain check, so that the web can bundle the schema.
 */

/**
 * What the caller may do now, each one a form or a button of the web. Computed on the server from the state
 * machines (core/views/available-actions.ts): `returnDraft` sends a draft back to its drafter, `returnToSender`
 * an arrived document to its sender, `upload` gives a draft its first file and `replace` a new version.
 */
export const DocumentActionSchema = z
  .enum([
    'upload',
    'submit',
    'replace',
    'approve',
    'sign',
    'returnDraft',
    'issue',
    'send',
    'recall',
    'archive',
    'register',
    'returnToSender',
    'assign',
    'start',
    'resolve',
    'forward',
    'place',
  ])
  .meta({ id: 'DocumentAction' });
export type DocumentAction = z.infer<typeof DocumentActionSchema>;

/** The outgoing document's state, the caller's own record's state, or a draft still waiting for its file. */
export const DocumentViewStateSchema = z.union([
  OutgoingStateSchema,
  IncomingStateSchema,
  z.literal('AWAITING_CONTENT'),
]);
export type DocumentViewState = z.infer<typeof DocumentViewStateSchema>;

export const EventTypeSchema = z.enum([...OUTGOING_EVENT_TYPES, ...INCOMING_EVENT_TYPES]);

/** One step of the circulation log, as the timeline shows it. */
export const LogEntrySchema = z
  .object({
    seq: z.int().min(1),
    type: EventTypeSchema,
    at: InstantSchema,
    orgId: OrgIdSchema,
    actor: EventActorSchema,
    hash: Sha256HexSchema,
    prevHash: Sha256HexSchema,
    /** The reason or note the step carries (a return, a recall, an assignment, a forward). */
    note: z.string().optional(),
  })
  .meta({ id: 'LogEntry' });
export type LogEntry = z.infer<typeof LogEntrySchema>;

/** The hash chain of the log as checked when the view was built. */
export const ChainCheckSchema = z
  .discriminatedUnion('valid', [
    z.object({ valid: z.literal(true), length: z.int().min(0) }),
    z.object({
      valid: z.literal(false),
      atSeq: z.int(),
      problem: z.enum([
        'malformed',
        'foreign-document',
        'bad-start',
        'gap',
        'reordered',
        'duplicate-seq',
        'hash-mismatch',
        'broken-link',
        'head-mismatch',
      ]),
      message: z.string(),
    }),
  ])
  .meta({ id: 'ChainCheck' });

// Named in the OpenAPI document, where several routes show them.
const DocumentRef = OutgoingDocumentSchema.meta({ id: 'OutgoingDocument' });
const RecordRef = IncomingRecordSchema.meta({ id: 'IncomingRecord' });
const SignatureRef = SignatureSchema.meta({ id: 'DocumentSignature' });
const DeliveryRef = DeliverySchema.meta({ id: 'Delivery' });
const CapacityRef = SigningCapacitySchema.meta({ id: 'SigningCapacity' });

/**
 * The document as one caller may see it: its issuing organisation and auditors see the whole circulation
 * (`document`, `deliveries`, every recipient's record in `incoming`); a recipient sees its own `record`, the
 * sender's public steps and its own. `actions` are what the caller may do now, `capacities` the signing
 * capacities they may sign it in (empty unless `sign` is among the actions).
 */
export const CallerDocumentViewSchema = z.object({
  id: DocumentIdSchema,
  state: DocumentViewStateSchema.optional(),
  title: z.string().optional(),
  docType: DocumentTypeIdSchema.optional(),
  number: z.int().min(1).optional(),
  symbol: z.string().optional(),
  /** A joint document (văn bản liên tịch): its issuing organisations, the lead first. */
  issuers: z.array(OrgIdSchema).optional(),
  document: DocumentRef.optional(),
  /** The caller's own organisation's record, when it is a recipient. */
  record: RecordRef.optional(),
  signatures: z.array(SignatureRef),
  /**
   * The attachments in files of their own: the issuing organisation and auditors see them as they are
   * (drafted, then sealed); a recipient the sealed ones it received.
   */
  attachments: z.array(AttachmentSchema.meta({ id: 'Attachment' })).optional(),
  deliveries: z.array(DeliveryRef).optional(),
  incoming: z.array(RecordRef).optional(),
  /** The issued document this one replaces or corrects (shown to the sender and every recipient). */
  amends: AmendsSchema.meta({ id: 'Amends' }).optional(),
  /** The documents that replaced or corrected this one once they were sent (every recipient got them). */
  amendedBy: z.array(AmendedBySchema.meta({ id: 'AmendedBy' })).optional(),
  log: z.array(LogEntrySchema),
  chain: ChainCheckSchema,
  actions: z.array(DocumentActionSchema),
  capacities: z.array(CapacityRef),
});
export type CallerDocumentView = z.infer<typeof CallerDocumentViewSchema>;

import * as z from 'zod';
import { DomainError } from '../errors';
import { jointError } from '../i18n/joint';
import { messageText } from '../i18n/messages';
import { DraftPlacementSchema, type Rect } from '../placement/placement';
import { SignatureAuthorizationSchema } from '../signing/authorization-record';
import { type Actor, eventActor } from './actor';
import { AMENDABLE_STATES, AmendedBySchema, AmendsSchema, withOriginalRecipients } from './amendments';
import { authoriseSigning, capacityLines, SigningCapacitySchema } from './capacity';
import {
  CalendarDateSchema,
  DocumentIdSchema,
  InstantSchema,
  NoteSchema,
  OrgIdSchema,
  PersonIdSchema,
  Sha256HexSchema,
} from './common';
import { type Decision, forbidden, invalid, requireMember, requireRole } from './decision';
import {
  type Directory,
  isOrganisationLeader,
  type Organisation,
  RecipientTargetSchema,
  type Role,
  resolveRecipientList,
  UnitCodeSchema,
} from './directory';
import {
  AttachmentIdSchema,
  AttachmentSchema,
  MAX_ATTACHMENTS,
  SealedAttachmentSchema,
  SourceFileSchema,
  withSealed,
} from './document-files';
import { DocumentTypeIdSchema, SubjectSchema, UrgencySchema } from './document-types';
import {
  ApprovalSchema,
  ArchiveTimestampSchema,
  type DraftContent,
  DraftContentSchema,
  type EventBody,
  type EventDraft,
  isOutgoingEventType,
  MAX_CO_ISSUERS,
  SignatureSchema,
} from './events';
import { checkCoIssuers, isJoint, issuersOf, nextSealingOrg, nextSigningOrg, pendingSeals } from './joint';
import type { ActionName } from './labels';
import { outgoingStateParams } from './labels';
import {
  allocateNumber,
  formatDateLine,
  formatNotation,
  formatSymbol,
  type NumberingSeries,
  vietnamCalendarDate,
} from './numbering';
import { type OutgoingState, OutgoingStateSchema } from './states';

export { type OutgoingState, OutgoingStateSchema };

/**
 * The outgoing document (văn bản đi) and its workflow (D30 Art.10–19, 32):
 *
 * ```
 * DRAFT ──submit──▶ UNDER_REVIEW ──approve──▶ SUBMITTED_TO_SIGNER ──sign──▶ SIGNED ──issue──▶ ISSUED ──send──▶ SENT ──archive──▶ ARCHIVED
 *   ▲                  │                            │
 *   └─return-for-revision (reviewer) ◀──────────────┘ (signer rejects)
 * ISSUED | SENT | ARCHIVED ──recall──▶ RECALLED      ISSUED | SENT | ARCHIVED ──replace──▶ REPLACED
 * ```
 * A replacement or a correction is a document of its own that names the one it replaces or corrects
 * (`amends`, core/domain/amendments.ts); sending it records `replace` or `correct` on that one.
 *
 * | command             | from                          | who                                                  |
 * |---------------------|-------------------------------|------------------------------------------------------|
 * | create              | (none)                        | specialist of the issuing organisation               |
 * | revise, submit      | DRAFT                         | the drafter                                          |
 * | approve             | UNDER_REVIEW                  | a leader of the organisation (unit heads included)   |
 * | return-for-revision | UNDER_REVIEW                  | a leader of the organisation                         |
 * |                     | SUBMITTED_TO_SIGNER           | a leader of the organisation or the designated signer |
 * | sign                | SUBMITTED_TO_SIGNER           | a leader entitled to the capacity (capacity.ts)      |
 * | issue, send, archive| SIGNED / ISSUED / SENT        | a clerk of the organisation                          |
 * | recall              | ISSUED, SENT, ARCHIVED        | a leader of the organisation itself (not of a unit)  |
 * | replace, correct    | ISSUED, SENT, ARCHIVED        | the clerk sending the replacing/correcting document  |
 */

export const OutgoingDocumentSchema = DraftContentSchema.extend({
  id: DocumentIdSchema,
  /** The issuing organisation. */
  orgId: OrgIdSchema,
  state: OutgoingStateSchema,
  drafterId: PersonIdSchema,
  /** SHA-256 of the current version of the file. */
  documentSha256: Sha256HexSchema,
  /** Approvals of the current review round (cleared when the draft is returned). */
  approvals: z.array(ApprovalSchema),
  designatedSignerId: PersonIdSchema.optional(),
  signatures: z.array(SignatureSchema),
  number: z.int().min(1).optional(),
  notation: z.string().optional(),
  symbol: z.string().optional(),
  issuedOn: CalendarDateSchema.optional(),
  issuedAt: InstantSchema.optional(),
  dateLine: z.string().optional(),
  seriesKey: z.string().optional(),
  sentAt: InstantSchema.optional(),
  archivedAt: InstantSchema.optional(),
  /** The latest archive timestamp over the archived file (B-LTA). */
  archiveTimestamp: ArchiveTimestampSchema.optional(),
  recalledAt: InstantSchema.optional(),
  recallReason: NoteSchema.optional(),
  replacedBy: DocumentIdSchema.optional(),
  /** The documents that replaced or corrected this one, in the order they were sent. */
  amendedBy: z.array(AmendedBySchema).optional(),
  /** Why it was last returned for revision. */
  returnReason: NoteSchema.optional(),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
  /** Number of events applied; the storage condition for optimistic concurrency. */
  version: z.int().min(1),
});
export type OutgoingDocument = z.infer<typeof OutgoingDocumentSchema>;

// --- Commands -----------------------------------------------------------------------------------------------

const draftFields = {
  typeId: DocumentTypeIdSchema,
  subject: SubjectSchema,
  urgency: UrgencySchema.default('normal'),
  deliverBy: InstantSchema.optional(),
  dueDate: CalendarDateSchema.optional(),
  draftingUnitCode: UnitCodeSchema.optional(),
  pageCount: z.int().min(1).max(100_000).optional(),
  recipients: z.array(RecipientTargetSchema).max(500).default([]),
  /** SHA-256 of the draft file. */
  documentSha256: Sha256HexSchema,
  attachments: z.array(AttachmentSchema).max(MAX_ATTACHMENTS).optional(),
  source: SourceFileSchema.optional(),
  placement: DraftPlacementSchema.optional(),
  /** A joint document's co-issuing organisations, in signing order after the lead (joint.ts). */
  coIssuers: z.array(OrgIdSchema).min(1).max(MAX_CO_ISSUERS).optional(),
  amends: AmendsSchema.optional(),
};

/** What a drafter gives when starting a draft, before its file exists (the file comes by upload). */
export const DraftMetadataSchema = z
  .object(draftFields)
  .omit({ documentSha256: true, pageCount: true, attachments: true, source: true, placement: true });
export type DraftMetadata = z.infer<typeof DraftMetadataSchema>;

export const CreateCommandSchema = z.object({
  type: z.literal('create'),
  documentId: DocumentIdSchema,
  ...draftFields,
});
/** Replaces the draft's content (and file). */
export const ReviseCommandSchema = z.object({ type: z.literal('revise'), ...draftFields });
export const SubmitCommandSchema = z.object({ type: z.literal('submit'), note: NoteSchema.optional() });
export const ApproveCommandSchema = z.object({
  type: z.literal('approve'),
  note: NoteSchema.optional(),
  /** The leader the document is submitted to for signature; anyone entitled may sign when absent. */
  signerId: PersonIdSchema.optional(),
});
export const ReturnForRevisionCommandSchema = z.object({
  type: z.literal('return-for-revision'),
  reason: NoteSchema,
});
export const SignCommandSchema = z.object({
  type: z.literal('sign'),
  capacity: SigningCapacitySchema,
  /** SHA-256 of the file with the personal signature applied. */
  documentSha256: Sha256HexSchema,
  certificateSha256: Sha256HexSchema.optional(),
  /** The signer's authorization of this signature (docs/SECURITY.md). */
  authorization: SignatureAuthorizationSchema.optional(),
});
export const IssueCommandSchema = z.object({
  type: z.literal('issue'),
  /** The number stamped on the file (from {@link previewIssue}); checked against the series. */
  number: z.int().min(1),
  /** The date stamped on the file, Vietnam time. */
  issuedOn: CalendarDateSchema,
  /** SHA-256 of the file with number, date and the organisation's signature. */
  documentSha256: Sha256HexSchema,
  certificateSha256: Sha256HexSchema.optional(),
  /** The signer's authorization of this signature (docs/SECURITY.md). */
  authorization: SignatureAuthorizationSchema.optional(),
  /** The attachments sealed with it: every one the draft has. */
  attachments: z.array(SealedAttachmentSchema).optional(),
});
/** A co-issuer's seal on a joint document the lead has issued (joint.ts). */
export const SealCommandSchema = z.object({
  type: z.literal('seal'),
  /** SHA-256 of the file with this organisation's seal signature. */
  documentSha256: Sha256HexSchema,
  certificateSha256: Sha256HexSchema.optional(),
  authorization: SignatureAuthorizationSchema.optional(),
});
export const SendCommandSchema = z.object({
  type: z.literal('send'),
  /** The recipients as the clerk sends it, when the draft named none or they changed (nơi nhận). */
  recipients: z.array(RecipientTargetSchema).min(1).max(500).optional(),
});
export const ArchiveCommandSchema = z.object({
  type: z.literal('archive'),
  /** The archived file with its document timestamp (B-LTA), and that timestamp. */
  documentSha256: Sha256HexSchema.optional(),
  archiveTimestamp: ArchiveTimestampSchema.optional(),
});
/** A new archive timestamp over the archived file, before the last one weakens. */
export const RenewArchiveCommandSchema = z.object({
  type: z.literal('renew-archive'),
  documentSha256: Sha256HexSchema,
  archiveTimestamp: ArchiveTimestampSchema,
});
export const RecallCommandSchema = z.object({ type: z.literal('recall'), reason: NoteSchema });
/** Recorded on the document named by a replacing (or correcting) one, as that one is sent. */
export const ReplaceCommandSchema = z.object({
  type: z.literal('replace'),
  replacementDocumentId: DocumentIdSchema,
  symbol: z.string().max(120),
});
export const CorrectCommandSchema = z.object({
  type: z.literal('correct'),
  correctionDocumentId: DocumentIdSchema,
  symbol: z.string().max(120),
});

/** A file attached to the draft (stored first under its SHA-256); it takes the first free id. */
export const AddAttachmentCommandSchema = z.object({
  type: z.literal('add-attachment'),
  attachment: AttachmentSchema.omit({
    id: true,
    sealedSha256: true,
    signatureSha256: true,
    certificateSha256: true,
  }),
});
export const RemoveAttachmentCommandSchema = z.object({
  type: z.literal('remove-attachment'),
  attachmentId: AttachmentIdSchema,
});
/** Moves the signature block, the seal or the number/date line (checked against the page by the caller). */
export const PlaceCommandSchema = z.object({ type: z.literal('place'), placement: DraftPlacementSchema });

export const OutgoingCommandSchema = z.discriminatedUnion('type', [
  CreateCommandSchema,
  ReviseCommandSchema,
  SubmitCommandSchema,
  ApproveCommandSchema,
  ReturnForRevisionCommandSchema,
  SignCommandSchema,
  IssueCommandSchema,
  SealCommandSchema,
  SendCommandSchema,
  ArchiveCommandSchema,
  RenewArchiveCommandSchema,
  RecallCommandSchema,
  ReplaceCommandSchema,
  CorrectCommandSchema,
  AddAttachmentCommandSchema,
  RemoveAttachmentCommandSchema,
  PlaceCommandSchema,
]);
export type OutgoingCommand = z.infer<typeof OutgoingCommandSchema>;
export type OutgoingCommandType = OutgoingCommand['type'];

export interface OutgoingContext {
  readonly directory: Directory;
  /** For `issue`: the stored general series of the organisation (any year), or undefined if none yet. */
  readonly series?: NumberingSeries;
  /** For `send` of a document that replaces or corrects another: that document as it stands. */
  readonly amended?: OutgoingDocument;
}

interface Rule {
  readonly from: readonly OutgoingState[];
  readonly roles: readonly Role[];
}

/** Who may do what from which state. `create` has no state. */
export const OUTGOING_RULES: Readonly<Record<Exclude<OutgoingCommandType, 'create'>, Rule>> = {
  revise: { from: ['DRAFT'], roles: ['specialist'] },
  submit: { from: ['DRAFT'], roles: ['specialist'] },
  approve: { from: ['UNDER_REVIEW'], roles: ['leader'] },
  'return-for-revision': { from: ['UNDER_REVIEW', 'SUBMITTED_TO_SIGNER'], roles: ['leader'] },
  sign: { from: ['SUBMITTED_TO_SIGNER'], roles: ['leader'] },
  issue: { from: ['SIGNED'], roles: ['clerk'] },
  // A co-issuer's clerk, on a joint document the lead has issued, before it is sent.
  seal: { from: ['ISSUED'], roles: ['clerk'] },
  send: { from: ['ISSUED'], roles: ['clerk'] },
  archive: { from: ['SENT'], roles: ['clerk'] },
  // The scheduled renewal acts as the organisation's clerk would (ops actor); only an archived file.
  'renew-archive': { from: ['ARCHIVED'], roles: ['clerk'] },
  recall: { from: ['ISSUED', 'SENT', 'ARCHIVED'], roles: ['leader'] },
  replace: { from: [...AMENDABLE_STATES], roles: ['clerk'] },
  correct: { from: [...AMENDABLE_STATES], roles: ['clerk'] },
  'add-attachment': { from: ['DRAFT'], roles: ['specialist'] },
  'remove-attachment': { from: ['DRAFT'], roles: ['specialist'] },
  // The drafter while it can change; the clerk up to issue (the signature is fixed once signed).
  place: { from: ['DRAFT', 'UNDER_REVIEW', 'SUBMITTED_TO_SIGNER', 'SIGNED'], roles: ['specialist', 'clerk'] },
};

const WRONG_STATE = {
  revise: 'outgoing_cannot_revise',
  submit: 'outgoing_cannot_submit',
  approve: 'outgoing_cannot_approve',
  'return-for-revision': 'outgoing_cannot_return_for_revision',
  sign: 'outgoing_cannot_sign',
  issue: 'outgoing_cannot_issue',
  seal: 'outgoing_cannot_seal',
  send: 'outgoing_cannot_send',
  archive: 'outgoing_cannot_archive',
  'renew-archive': 'outgoing_cannot_renew_archive',
  recall: 'outgoing_cannot_recall',
  replace: 'outgoing_cannot_replace',
  correct: 'outgoing_cannot_correct',
  'add-attachment': 'outgoing_cannot_add_attachment',
  'remove-attachment': 'outgoing_cannot_remove_attachment',
  place: 'outgoing_cannot_place',
} as const;

// --- Deciding -----------------------------------------------------------------------------------------------

function draftContent(
  command: z.infer<typeof CreateCommandSchema> | z.infer<typeof ReviseCommandSchema>,
  orgId: string,
  directory: Directory,
): DraftContent {
  if (command.coIssuers) checkCoIssuers(orgId, command.coIssuers, directory);
  if (command.urgency === 'flash-timed' && !command.deliverBy)
    throw invalid('invalid_flash_timed_needs_deliver_by');
  if (command.urgency !== 'flash-timed' && command.deliverBy)
    throw invalid('invalid_deliver_by_only_flash_timed');
  return {
    typeId: command.typeId,
    subject: command.subject,
    urgency: command.urgency,
    deliverBy: command.deliverBy,
    dueDate: command.dueDate,
    draftingUnitCode: command.draftingUnitCode,
    pageCount: command.pageCount,
    ...(command.attachments?.length ? { attachments: command.attachments } : {}),
    ...(command.source ? { source: command.source } : {}),
    ...(command.placement ? { placement: command.placement } : {}),
    ...(command.coIssuers?.length ? { coIssuers: command.coIssuers } : {}),
    ...(command.amends ? { amends: command.amends } : {}),
    recipientTargets: command.recipients,
    recipients:
      command.recipients.length > 0 ? resolveRecipientList(directory, orgId, command.recipients) : [],
  };
}

function drafts(
  doc: Pick<OutgoingDocument, 'id' | 'orgId' | 'documentSha256'>,
  actor: Actor,
  now: Date,
  bodies: readonly EventBody[],
  documentSha256 = doc.documentSha256,
): EventDraft[] {
  return bodies.map((b) => ({
    documentId: doc.id,
    at: now.toISOString(),
    actor: eventActor(actor),
    orgId: doc.orgId,
    documentSha256,
    ...b,
  }));
}

/** Number, symbol and date line the document would get if issued at `now`, for stamping before `issue`. */
export function previewIssue(
  doc: OutgoingDocument,
  org: Organisation,
  series: NumberingSeries | undefined,
  now: Date,
): {
  number: number;
  notation: string;
  symbol: string;
  issuedOn: string;
  dateLine: string;
  seriesKey: string;
} {
  const { number, series: next } = allocateNumber(series, doc.orgId, 'general', now);
  const parts = { typeId: doc.typeId, issuerCode: org.issuerCode, draftingUnitCode: doc.draftingUnitCode };
  return {
    number,
    notation: formatNotation(parts),
    symbol: formatSymbol({ ...parts, number }),
    issuedOn: vietnamCalendarDate(now),
    dateLine: formatDateLine(org.placeName, now),
    seriesKey: next.key,
  };
}

/**
 * Decides a command on an outgoing document: the new state and the events to append, or a DomainError
 * (409 wrong state, 403 not allowed, 422 invalid). `doc` is undefined only for `create`.
 */
export function decideOutgoing(
  doc: OutgoingDocument | undefined,
  command: OutgoingCommand,
  actor: Actor,
  now: Date,
  ctx: OutgoingContext,
): Decision<OutgoingDocument> {
  const { directory } = ctx;
  if (command.type === 'create') {
    requireRole(actor, 'create', ['specialist']);
    if (doc) throw new DomainError('outgoing_exists', 409, { documentId: doc.id });
    const orgId = actor.position.orgId;
    const content = draftContent(command, orgId, directory);
    const events = drafts(
      { id: command.documentId, orgId, documentSha256: command.documentSha256 },
      actor,
      now,
      [{ type: 'created', payload: { ...content, drafterId: actor.id } }],
    );
    return { state: applyAll(undefined, events), events };
  }
  if (!doc) throw new DomainError('not_found', 404, { what: messageText('what_document') });

  const action: ActionName = command.type;
  const rule = OUTGOING_RULES[command.type];
  // On a joint document the signature and the seal are each issuer's in turn (joint.ts).
  const actingOrgId = actingOrgOf(doc, command.type);
  const org = directory.get(actingOrgId);
  requireRole(actor, action, rule.roles);
  const viaDelegation =
    command.type === 'sign' && (command.capacity.kind === 'TL' || command.capacity.kind === 'TUQ');
  const asDesignatedSigner =
    command.type === 'return-for-revision' &&
    doc.state === 'SUBMITTED_TO_SIGNER' &&
    actor.id === doc.designatedSignerId;
  if (!viaDelegation && !asDesignatedSigner && actor.position.orgId !== actingOrgId) {
    if (isJoint(doc) && issuersOf(doc).includes(actor.position.orgId) && command.type === 'sign')
      throw jointError('joint_not_your_turn_sign', 403, { orgName: org.name });
    if (isJoint(doc) && issuersOf(doc).includes(actor.position.orgId) && command.type === 'seal')
      throw doc.state === 'ISSUED' && !nextSealingOrg(doc)
        ? jointError('joint_all_sealed', 409)
        : jointError('joint_not_your_turn_seal', 403, { orgName: org.name });
    requireMember(actor, action, actingOrgId, org.name);
  }
  if (!rule.from.includes(doc.state))
    throw new DomainError(WRONG_STATE[command.type], 409, outgoingStateParams(doc.state));

  let bodies: EventBody[];
  let documentSha256 = doc.documentSha256;
  let series: NumberingSeries | undefined;
  switch (command.type) {
    case 'add-attachment':
    case 'remove-attachment': {
      if (actor.id !== doc.drafterId) throw forbidden('forbidden_not_drafter', action);
      const current = doc.attachments ?? [];
      if (command.type === 'remove-attachment') {
        if (!current.some((a) => a.id === command.attachmentId))
          throw new DomainError('not_found', 404, { what: messageText('what_attachment') });
        bodies = [{ type: 'attachment-removed', payload: { attachmentId: command.attachmentId } }];
        break;
      }
      const id = nextAttachmentId(current);
      if (!id) throw new DomainError('attachments_too_many', 422, { max: MAX_ATTACHMENTS });
      bodies = [{ type: 'attachment-added', payload: { attachment: { ...command.attachment, id } } }];
      break;
    }
    case 'revise':
    case 'submit': {
      if (actor.id !== doc.drafterId) throw forbidden('forbidden_not_drafter', action);
      if (command.type === 'revise') {
        documentSha256 = command.documentSha256;
        bodies = [{ type: 'revised', payload: draftContent(command, doc.orgId, directory) }];
      } else bodies = [{ type: 'submitted', payload: { note: command.note } }];
      break;
    }
    case 'approve':
      bodies = [
        {
          type: 'approved',
          payload: {
            approval: {
              by: actor.id,
              name: actor.name,
              title: actor.position.title,
              at: now.toISOString(),
              note: command.note,
            },
            designatedSignerId: command.signerId,
          },
        },
      ];
      break;
    case 'return-for-revision':
      // A joint document some issuer has signed is not taken back: the signatures are in its file.
      if (doc.signatures.length > 0)
        throw new DomainError(WRONG_STATE[command.type], 409, outgoingStateParams(doc.state));
      bodies = [
        {
          type: 'returned-for-revision',
          payload: {
            from: doc.state === 'UNDER_REVIEW' ? 'UNDER_REVIEW' : 'SUBMITTED_TO_SIGNER',
            reason: command.reason,
          },
        },
      ];
      break;
    case 'sign': {
      // The designated signer is the lead's; a co-issuer's leader signs in its turn.
      if (actingOrgId === doc.orgId && doc.designatedSignerId && doc.designatedSignerId !== actor.id)
        throw forbidden('forbidden_not_designated_signer', action);
      const { delegation } = authoriseSigning(
        command.capacity,
        actor,
        actor.delegations ?? [],
        org,
        now,
        doc.typeId,
      );
      documentSha256 = command.documentSha256;
      bodies = [
        {
          type: 'signed',
          payload: {
            signature: {
              kind: 'person',
              signerId: actor.id,
              signerName: actor.name,
              signerTitle: delegation?.signerTitle ?? actor.position.title,
              signerOrgId: actor.position.orgId,
              capacity: command.capacity,
              delegationId: delegation?.id,
              lines: capacityLines(command.capacity, org, actor.position, delegation),
              at: now.toISOString(),
              documentSha256,
              certificateSha256: command.certificateSha256,
              authorization: command.authorization,
            },
          },
        },
      ];
      break;
    }
    case 'issue': {
      const preview = previewIssue(doc, org, ctx.series, now);
      if (command.number !== preview.number)
        throw new DomainError('numbering_conflict', 409, {
          expected: command.number,
          actual: preview.number,
        });
      if (command.issuedOn !== preview.issuedOn)
        throw new DomainError('issue_date_changed', 409, {
          expected: command.issuedOn,
          actual: preview.issuedOn,
        });
      const expected = (doc.attachments ?? []).map((a) => a.id).sort();
      const given = (command.attachments ?? []).map((a) => a.id).sort();
      if (command.documentSha256 !== doc.documentSha256 && expected.join() !== given.join())
        throw new Error('an issue seals every attachment of the draft');
      series = allocateNumber(ctx.series, doc.orgId, 'general', now).series;
      documentSha256 = command.documentSha256;
      bodies = [
        {
          type: 'issued',
          payload: {
            number: preview.number,
            notation: preview.notation,
            symbol: preview.symbol,
            issuedOn: preview.issuedOn,
            dateLine: preview.dateLine,
            seriesKey: preview.seriesKey,
            signature: {
              kind: 'organisation',
              orgId: doc.orgId,
              appliedBy: actor.id,
              at: now.toISOString(),
              documentSha256,
              certificateSha256: command.certificateSha256,
              authorization: command.authorization,
            },
            ...(command.attachments?.length ? { attachments: command.attachments } : {}),
          },
        },
      ];
      break;
    }
    case 'seal': {
      if (!isJoint(doc)) throw jointError('joint_not_joint', 409);
      const sealing = nextSealingOrg(doc);
      if (!sealing) throw jointError('joint_all_sealed', 409);
      documentSha256 = command.documentSha256;
      bodies = [
        {
          type: 'signed',
          payload: {
            signature: {
              kind: 'organisation',
              orgId: sealing,
              appliedBy: actor.id,
              at: now.toISOString(),
              documentSha256,
              certificateSha256: command.certificateSha256,
              authorization: command.authorization,
            },
          },
        },
      ];
      break;
    }
    case 'send': {
      const pending = pendingSeals(doc);
      if (pending.length > 0)
        throw jointError('joint_not_all_sealed', 409, {
          orgNames: pending.map((id) => directory.find(id)?.name ?? id).join(', '),
        });
      let recipients = command.recipients
        ? resolveRecipientList(directory, doc.orgId, command.recipients)
        : doc.recipients;
      // The send use case gives the document named; judging whether a send is open (the view's actions)
      // does not need it.
      const amended = ctx.amended;
      if (doc.amends && amended) {
        if (amended.id !== doc.amends.documentId)
          throw new Error('send: another document than the one named');
        assertAmendable(amended, doc.amends.kind, doc.id);
        recipients = withOriginalRecipients(recipients, amended.recipients);
      }
      if (recipients.length === 0) throw new DomainError('recipients_empty', 422);
      bodies = [{ type: 'sent', payload: { recipients } }];
      break;
    }
    case 'archive':
      if (command.documentSha256) documentSha256 = command.documentSha256;
      bodies = [
        {
          type: 'archived',
          payload: command.archiveTimestamp ? { archiveTimestamp: command.archiveTimestamp } : {},
        },
      ];
      break;
    case 'renew-archive':
      documentSha256 = command.documentSha256;
      bodies = [{ type: 'archive-renewed', payload: { archiveTimestamp: command.archiveTimestamp } }];
      break;
    case 'recall': {
      if (!isOrganisationLeader(actor, doc.orgId))
        throw forbidden('forbidden_role', action, {
          rolesName: messageText('label_leaders_of', { orgName: org.name }),
        });
      bodies = [{ type: 'recalled', payload: { reason: command.reason } }];
      break;
    }
    case 'replace':
    case 'correct': {
      const by = command.type === 'replace' ? command.replacementDocumentId : command.correctionDocumentId;
      assertAmendable(doc, command.type === 'replace' ? 'replaces' : 'corrects', by);
      bodies = [
        command.type === 'replace'
          ? { type: 'replaced', payload: { replacementDocumentId: by, symbol: command.symbol } }
          : { type: 'corrected', payload: { correctionDocumentId: by, symbol: command.symbol } },
      ];
      break;
    }
    case 'place': {
      if (actor.position.role === 'specialist') {
        if (actor.id !== doc.drafterId) throw forbidden('forbidden_not_drafter', action);
        if (doc.state !== 'DRAFT')
          throw new DomainError(WRONG_STATE.place, 409, outgoingStateParams(doc.state));
      }
      // Once signed, the signature and the number/date fields are in the file: only the seal may move.
      const before = doc.placement;
      if (doc.state === 'SIGNED') {
        // Field by field: a placement read back from the view may list its keys in another order.
        const same = (a: Rect, b: Rect) =>
          a.page === b.page && a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
        if (
          !before ||
          !same(before.signature, command.placement.signature) ||
          !same(before.number, command.placement.number) ||
          !same(before.date, command.placement.date)
        )
          throw new DomainError('placement_fixed_once_signed', 409);
      }
      bodies = [{ type: 'placed', payload: { placement: command.placement } }];
      break;
    }
  }
  const events = drafts(doc, actor, now, bodies, documentSha256);
  return series ? { state: applyAll(doc, events), events, series } : { state: applyAll(doc, events), events };
}

/** Whose member may give the command: the lead's, except a joint document's signature and seal in turn. */
function actingOrgOf(doc: OutgoingDocument, type: Exclude<OutgoingCommandType, 'create'>): string {
  if (type === 'sign' && isJoint(doc)) return nextSigningOrg(doc) ?? doc.orgId;
  if (type === 'seal' && isJoint(doc) && doc.state === 'ISSUED') return nextSealingOrg(doc) ?? doc.orgId;
  return doc.orgId;
}

/**
 * Refuses to replace or correct a document that is not issued and in force (recalled, replaced already), or
 * by itself. Checked when the draft names it, again when the replacing or correcting document is sent.
 */
export function assertAmendable(
  doc: Pick<OutgoingDocument, 'id' | 'state' | 'symbol'>,
  kind: 'replaces' | 'corrects',
  by: string,
): void {
  if (doc.id === by)
    throw new DomainError(kind === 'replaces' ? 'replacement_is_self' : 'correction_is_self', 422);
  if (!(AMENDABLE_STATES as readonly string[]).includes(doc.state))
    throw new DomainError(kind === 'replaces' ? 'amended_cannot_replace' : 'amended_cannot_correct', 409, {
      symbol: doc.symbol ?? doc.id,
      ...outgoingStateParams(doc.state),
    });
}

/** The first of `a1` … `a20` the draft does not use, or undefined when all are taken. */
function nextAttachmentId(attachments: readonly { id: string }[]): string | undefined {
  for (let n = 1; n <= MAX_ATTACHMENTS; n++) if (!attachments.some((a) => a.id === `a${n}`)) return `a${n}`;
  return undefined;
}

// --- Evolving -----------------------------------------------------------------------------------------------

function applyAll(doc: OutgoingDocument | undefined, events: readonly EventDraft[]): OutgoingDocument {
  const next = events.reduce<OutgoingDocument | undefined>(evolveOutgoing, doc);
  if (!next) throw new Error('no outgoing state after applying events');
  return next;
}

/**
 * Applies one event to the outgoing document. Incoming events (of any recipient) leave it unchanged, so the
 * whole log of a document can be folded through this function.
 */
export function evolveOutgoing(
  doc: OutgoingDocument | undefined,
  event: EventDraft,
): OutgoingDocument | undefined {
  if (!isOutgoingEventType(event.type)) return doc;
  if (event.type === 'created') {
    if (doc) throw new Error(`document ${event.documentId} created twice`);
    const { drafterId, ...content } = event.payload;
    return {
      ...content,
      id: event.documentId,
      orgId: event.orgId,
      state: 'DRAFT',
      drafterId,
      documentSha256: event.documentSha256,
      approvals: [],
      signatures: [],
      createdAt: event.at,
      updatedAt: event.at,
      version: 1,
    };
  }
  if (!doc) throw new Error(`event ${event.type} before the document ${event.documentId} was created`);
  const base: OutgoingDocument = {
    ...doc,
    documentSha256: event.documentSha256,
    updatedAt: event.at,
    version: doc.version + 1,
  };
  switch (event.type) {
    case 'revised':
      return { ...base, ...event.payload };
    case 'submitted':
      return { ...base, state: 'UNDER_REVIEW' };
    case 'approved':
      return {
        ...base,
        state: 'SUBMITTED_TO_SIGNER',
        approvals: [...doc.approvals, event.payload.approval],
        designatedSignerId: event.payload.designatedSignerId,
      };
    case 'returned-for-revision':
      return {
        ...base,
        state: 'DRAFT',
        approvals: [],
        designatedSignerId: undefined,
        returnReason: event.payload.reason,
      };
    case 'signed': {
      const signatures = [...doc.signatures, event.payload.signature];
      // A co-issuer's seal leaves the state; a joint document is signed once every issuer's leader has.
      if (event.payload.signature.kind === 'organisation') return { ...base, signatures };
      const allSigned = !isJoint(doc) || nextSigningOrg({ ...doc, signatures }) === undefined;
      return { ...base, state: allSigned ? 'SIGNED' : doc.state, signatures };
    }
    case 'issued': {
      const { signature, attachments, ...numbering } = event.payload;
      return {
        ...base,
        ...numbering,
        ...(attachments && doc.attachments ? { attachments: withSealed(doc.attachments, attachments) } : {}),
        state: 'ISSUED',
        issuedAt: event.at,
        signatures: [...doc.signatures, signature],
      };
    }
    case 'sent':
      return { ...base, state: 'SENT', sentAt: event.at, recipients: event.payload.recipients };
    case 'archived':
      return {
        ...base,
        state: 'ARCHIVED',
        archivedAt: event.at,
        archiveTimestamp: event.payload.archiveTimestamp,
      };
    case 'archive-renewed':
      return { ...base, archiveTimestamp: event.payload.archiveTimestamp };
    case 'recalled':
      return { ...base, state: 'RECALLED', recalledAt: event.at, recallReason: event.payload.reason };
    case 'replaced': {
      const { replacementDocumentId: documentId, symbol } = event.payload;
      return {
        ...base,
        state: 'REPLACED',
        replacedBy: documentId,
        amendedBy: [...(doc.amendedBy ?? []), { kind: 'replaces', documentId, symbol, at: event.at }],
      };
    }
    case 'corrected': {
      const { correctionDocumentId: documentId, symbol } = event.payload;
      return {
        ...base,
        amendedBy: [...(doc.amendedBy ?? []), { kind: 'corrects', documentId, symbol, at: event.at }],
      };
    }
    case 'attachment-added':
      return { ...base, attachments: [...(doc.attachments ?? []), event.payload.attachment] };
    case 'attachment-removed': {
      const attachments = (doc.attachments ?? []).filter((a) => a.id !== event.payload.attachmentId);
      return { ...base, attachments: attachments.length > 0 ? attachments : undefined };
    }
    case 'handed-over': {
      const { fromPersonId, toPersonId } = event.payload;
      return {
        ...base,
        drafterId: doc.drafterId === fromPersonId ? toPersonId : doc.drafterId,
        ...(doc.designatedSignerId === fromPersonId ? { designatedSignerId: toPersonId } : {}),
      };
    }
    case 'placed':
      return { ...base, placement: event.payload.placement };
    default:
      return doc;
  }
}

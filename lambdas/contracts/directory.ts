import * as z from 'zod';
import { AdministrationEntrySchema, PositionRequestSchema } from '../core/domain/administration-records';
import { LineSchema, NoteSchema } from '../core/domain/common';
import {
  LeaderRankSchema,
  OrganisationKindSchema,
  PositionSchema,
  RoleSchema,
} from '../core/domain/directory';
import { SignatureImageSchema } from '../core/domain/signature-image-record';
import type { RouteContract } from './contract';
import { UploadTargetSchema } from './documents';

export const OrganisationSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    shortName: z.string(),
    kind: OrganisationKindSchema,
    code: z.string(),
    issuerCode: z.string(),
    parentId: z.string().optional(),
  })
  .meta({ id: 'Organisation' });
export type OrganisationSummary = z.infer<typeof OrganisationSummarySchema>;

export const MeSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    position: PositionSchema,
    organisation: OrganisationSummarySchema,
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof MeSchema>;

export const PersonSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    title: z.string(),
    role: RoleSchema,
    orgId: z.string(),
    rank: LeaderRankSchema.optional(),
    unitCode: z.string().optional(),
  })
  .meta({ id: 'PersonSummary' });
export type PersonSummary = z.infer<typeof PersonSummarySchema>;

export const PeopleQuerySchema = z.object({
  orgId: LineSchema(80)
    .optional()
    .describe("The caller's own organisation by default; auditors may name any"),
});

export const SignatureImageViewSchema = SignatureImageSchema.extend({
  url: z.url().describe('Short-lived download URL of the PNG'),
})
  .describe("The official's blue signature image, drawn in their personal signatures from now on")
  .meta({ id: 'SignatureImage' });
export type SignatureImageView = z.infer<typeof SignatureImageViewSchema>;

export const SignatureImageUploadSchema = z
  .object({ uploadId: z.uuid(), upload: UploadTargetSchema })
  .meta({ id: 'SignatureImageUpload' });
export type SignatureImageUpload = z.infer<typeof SignatureImageUploadSchema>;

export const RegisterSignatureImageSchema = z.object({ uploadId: z.uuid() }).strict();

const PositionRequestRef = PositionRequestSchema.meta({ id: 'PositionRequest' });

export const PositionAppliedSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    position: PositionSchema,
    revokedCertificate: z.string().optional(),
  })
  .meta({ id: 'PositionApplied' });

export const PositionPendingSchema = z
  .object({ request: PositionRequestRef })
  .describe('Answered with 202: the position is given once another administrator approves the request')
  .meta({ id: 'PositionPending' });

// --- Administration of people (issue 19) -------------------------------------------------------------------

export const CertificateStatusSchema = z
  .object({
    serial: z.string(),
    status: z.enum(['valid', 'revoked']),
    revokedAt: z.string().optional(),
  })
  .meta({ id: 'CertificateStatus' });

export const AdministeredPersonSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    position: PositionSchema,
    certificate: CertificateStatusSchema.nullable().describe('Their current signing certificate, if any'),
  })
  .meta({ id: 'AdministeredPerson' });
export type AdministeredPerson = z.infer<typeof AdministeredPersonSchema>;

export const AddPersonSchema = z
  .object({
    id: z
      .string()
      .min(3)
      .max(64)
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a-z, 0-9 and single dashes, e.g. ba-dinh-specialist-2'),
    name: z.string().trim().min(1).max(120),
    position: PositionSchema,
    /** Where the sign-in invitation goes (deployed, the pool signs in by e-mail). */
    email: z.email().max(254).optional(),
  })
  .strict();

export const HandedOverSchema = z
  .object({ documentId: z.string(), kind: z.enum(['outgoing', 'incoming']), subject: z.string() })
  .meta({ id: 'HandedOver' });

export const DepartureSchema = z
  .object({
    personId: z.string(),
    successorId: z.string(),
    at: z.string(),
    signIn: z.enum(['disabled', 'none']).describe('none: the person had no sign-in account'),
    revokedCertificate: z.string().optional(),
    handedOver: z.array(HandedOverSchema),
  })
  .meta({ id: 'Departure' });
export type DepartureView = z.infer<typeof DepartureSchema>;

export const directoryContracts = {
  'GET /api/me': { summary: 'The signed-in person and the position they hold now', response: MeSchema },
  'GET /api/orgs': {
    summary: 'Every organisation: the city, its agencies, wards and communes',
    query: z.object({ kind: OrganisationKindSchema.optional() }),
    response: z.array(OrganisationSummarySchema),
  },
  'GET /api/people': {
    summary: "People of the caller's organisation (auditors: any), for assigning and forwarding",
    query: PeopleQuerySchema,
    response: z.array(PersonSummarySchema),
  },
  'PUT /api/people/{id}/position': {
    summary:
      'Move a person to a new position (admins, never their own): effective at once, their signing certificate revoked; an administrator or auditor position is only requested (202) until another administrator approves it',
    body: PositionSchema,
    response: z.union([PositionAppliedSchema, PositionPendingSchema]),
    idempotent: true,
  },
  'GET /api/administration/people': {
    summary:
      'People of an organisation the administrator manages (their own or one under it), with their positions and certificates (admins)',
    query: PeopleQuerySchema,
    response: z.array(AdministeredPersonSchema),
  },
  'POST /api/people': {
    summary:
      'Add a person to an organisation the administrator manages (admins); an administrator or auditor position is requested afterwards',
    body: AddPersonSchema,
    response: z.object({
      id: z.string(),
      name: z.string(),
      position: PositionSchema,
      signIn: z
        .enum(['created', 'exists', 'none'])
        .describe('The sign-in account: created (invited), there already, or none without an e-mail'),
    }),
    status: 201,
    idempotent: true,
  },
  'POST /api/people/{id}/departure': {
    summary:
      'Record that a person left (admins): sign-in disabled, certificate revoked, every pending document handed to the successor in one logged step',
    body: z.object({ successorId: LineSchema(128) }).strict(),
    response: DepartureSchema,
    idempotent: true,
  },
  'GET /api/position-requests': {
    summary: 'Requests for an administrator or auditor position waiting for a second administrator (admins)',
    response: z.array(PositionRequestRef),
  },
  'POST /api/position-requests/{id}/approve': {
    summary:
      'Approve a position request (another administrator than the one who asked): the person moves at once',
    body: z.object({}).strict(),
    response: PositionAppliedSchema.extend({ request: PositionRequestRef }),
    idempotent: true,
  },
  'POST /api/position-requests/{id}/reject': {
    summary: 'Turn a position request down (any administrator; the one who asked withdraws it)',
    body: z.object({ reason: NoteSchema.optional() }).strict(),
    response: PositionRequestRef,
    idempotent: true,
  },
  'GET /api/administration-log': {
    summary:
      'The administration log (admins and auditors): every change of position, request and decision, hash-chained, with its check',
    response: z.object({
      entries: z.array(AdministrationEntrySchema.meta({ id: 'AdministrationEntry' })),
      chain: z.union([
        z.object({
          ok: z.literal(true),
          length: z.int(),
          head: z.object({ seq: z.int(), hash: z.string() }).nullable(),
        }),
        z.object({ ok: z.literal(false), atSeq: z.int(), length: z.int() }),
      ]),
    }),
  },
  'GET /api/people/{id}/signature-image': {
    summary: 'Your own signature image (null until you register one)',
    response: z.object({ image: SignatureImageViewSchema.nullable() }),
  },
  'POST /api/people/{id}/signature-image/uploads': {
    summary:
      'Start replacing your signature image: PUT the PNG to the returned URL, then POST …/signature-image',
    body: z.object({}).strict(),
    response: SignatureImageUploadSchema,
    status: 201,
    idempotent: true,
  },
  'POST /api/people/{id}/signature-image': {
    summary:
      'Check the uploaded PNG (blue, transparent, ≤ 512 KiB) and make it your signature image; documents already signed keep theirs',
    body: RegisterSignatureImageSchema,
    response: z.object({
      image: SignatureImageViewSchema,
      changed: z.boolean().describe('False when this image was already the current one'),
    }),
    idempotent: true,
  },
  'DELETE /api/people/{id}/signature-image': {
    summary:
      'Remove your signature image: signatures from now on show the title lines and the name only; documents already signed keep theirs',
    response: z.object({
      image: z.null(),
      changed: z.boolean().describe('False when there was no image to remove'),
    }),
  },
} as const satisfies Record<string, RouteContract>;

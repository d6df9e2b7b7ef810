import * as z from 'zod';
import { LineSchema } from '../core/domain/common';
import { AgencyCodeSchema } from '../core/exchange/model';
import type { RouteContract } from './contract';

/*
 * The national document exchange (issue 20): a clerk sends an issued document to agencies outside the city
 * by agency code and sees each one's status; an organisation's clerk sees what came in from outside and
 * answers it step by step (the statuses the sender is told).
 */

const ExternalStateSchema = z.enum([
  'pending',
  'sent',
  'arrived',
  'refused',
  'accepted',
  'assigned',
  'in-progress',
  'done',
  'recall-requested',
  'recall-accepted',
  'recall-refused',
]);

export const ExternalDeliverySchema = z
  .object({
    organId: z.string().describe('The agency code (mã định danh) of the recipient'),
    organName: z.string().optional(),
    state: ExternalStateSchema,
    stateLabel: z.string().describe("The state in the caller's language"),
    description: z
      .string()
      .optional()
      .describe("The recipient's words with its last status (a refusal's reason)"),
    updatedAt: z.string(),
  })
  .meta({ id: 'ExternalDelivery' });

export type ExternalDelivery = z.infer<typeof ExternalDeliverySchema>;

export const ExternalDeliveriesSchema = z.object({ deliveries: z.array(ExternalDeliverySchema) });

export const ExternalStatusEventSchema = z
  .object({
    organId: z.string().describe('The agency code of the recipient'),
    organName: z.string().optional(),
    state: ExternalStateSchema,
    stateLabel: z.string().describe("The state in the caller's language"),
    description: z.string().optional().describe("The recipient's words with this status"),
    at: z.string().describe('When the status was given (ISO 8601)'),
  })
  .meta({ id: 'ExternalStatusEvent' });

export const ExternalHistorySchema = z.object({ events: z.array(ExternalStatusEventSchema) });

export const ExternalSendSchema = z
  .object({
    recipients: z
      .array(z.object({ organId: AgencyCodeSchema, organName: LineSchema(500).optional() }).strict())
      .min(1)
      .max(100),
  })
  .strict();

const ReceivedStateSchema = z.enum([
  'arrived',
  'refused',
  'accepted',
  'assigned',
  'in-progress',
  'done',
  'recalled',
]);

export const ReceivedDocumentSchema = z
  .object({
    id: z.string().describe('Names it in the steps route'),
    orgId: z.string().optional(),
    from: z.object({ organId: z.string(), organName: z.string().optional() }).optional(),
    code: z.string().optional().describe("The sender's number and notation (số, ký hiệu)"),
    promulgationDate: z.string().optional(),
    subject: z.string().optional(),
    docType: z.string().optional(),
    arrivalNumber: z
      .int()
      .optional()
      .describe("The number in the organisation's incoming register, once taken in"),
    file: z.object({ sha256: z.string(), size: z.int(), name: z.string() }).optional(),
    attachments: z
      .array(z.object({ sha256: z.string(), size: z.int(), name: z.string(), contentType: z.string() }))
      .optional()
      .describe("Every file of the package in its manifest's order, the document first among the PDFs"),
    state: ReceivedStateSchema,
    stateLabel: z.string(),
    reason: z.string().optional().describe("Why it was refused, in the caller's language"),
    receivedAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ReceivedDocument' });

export const ReceivedListSchema = z.object({ items: z.array(ReceivedDocumentSchema) });

export const ReceivedHistorySchema = z.object({
  events: z.array(
    z
      .object({
        state: ReceivedStateSchema,
        stateLabel: z.string().describe("The state in the caller's language"),
        description: z.string().optional().describe('A refusal’s or a recall’s reason'),
        at: z.string().describe('When (ISO 8601)'),
      })
      .meta({ id: 'ReceivedStatusEvent' }),
  ),
});

export const ReceivedStepSchema = z
  .object({
    step: z.enum(['accept', 'assign', 'start', 'resolve', 'refuse']),
    reason: LineSchema(1000).optional(),
  })
  .strict()
  .refine((b) => b.step !== 'refuse' || Boolean(b.reason), {
    message: 'a refusal needs a reason',
    path: ['reason'],
  });

export const AgencySchema = z
  .object({
    organId: z.string().describe('The agency code (mã định danh)'),
    organName: z.string(),
    city: z
      .boolean()
      .describe("One of the city's organisations: sent to within docflow, not through the exchange"),
  })
  .meta({ id: 'Agency' });

export const AgencyListSchema = z.object({ items: z.array(AgencySchema) });

export const exchangeContracts = {
  'GET /api/exchange/agencies': {
    summary: 'Agencies by agency code or name (with or without diacritics), for choosing external recipients',
    description:
      "The city's organisations and the agencies outside the city in docflow's catalogue; an exact code first; at most 20.",
    query: z.object({ query: LineSchema(200).optional() }),
    response: AgencyListSchema,
  },
  'POST /api/documents/{id}/external-sends': {
    summary: 'Sends an issued document to agencies outside the city through the national document exchange',
    description:
      'The clerk of the issuing organisation only. Recorded first, then sent as one edXML package; an exchange that does not answer leaves the deliveries pending, retried on a schedule.',
    body: ExternalSendSchema,
    response: ExternalDeliveriesSchema,
    idempotent: true,
  },
  'GET /api/documents/{id}/external-deliveries': {
    summary: "A sent document's external recipients and their statuses (the sender's view)",
    response: ExternalDeliveriesSchema,
  },
  'GET /api/documents/{id}/external-deliveries/history': {
    summary: "Every status each external recipient gave, oldest first (the sender's view)",
    response: ExternalHistorySchema,
  },
  'GET /api/exchange/received': {
    summary: "What came in from outside for the caller's organisation, refused packages included",
    response: ReceivedListSchema,
  },
  'GET /api/exchange/received/{id}/history': {
    summary: 'Every state of a document received from outside, oldest first (what its sender was told)',
    response: ReceivedHistorySchema,
  },
  'POST /api/exchange/received/{id}/steps': {
    summary: 'A step on a document received from outside, told to its sender as a status message',
    body: ReceivedStepSchema,
    response: ReceivedDocumentSchema,
    idempotent: true,
  },
} as const satisfies Record<string, RouteContract>;

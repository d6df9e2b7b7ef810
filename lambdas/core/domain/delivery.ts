import * as z from 'zod';
import { InstantSchema, OrgIdSchema } from './common';
import { type Recipient, RecipientPurposeSchema } from './directory';
import type { IncomingRecord } from './incoming';
import type { IncomingState } from './states';

/**
 * What the sender sees of each recipient (PL VI): arrived, refused, accepted, assigned, in progress, done,
 * recalled, with the national exchange status codes (edXML, QCVN 102:2016/BTTTT) 01–06 and 13. `pending`
 * (sent, not yet arrived) has no exchange code.
 */
export const DeliveryStatusSchema = z.enum([
  'pending',
  'arrived',
  'refused',
  'accepted',
  'assigned',
  'in-progress',
  'done',
  'recalled',
]);
export type DeliveryStatus = z.infer<typeof DeliveryStatusSchema>;

export const EXCHANGE_STATUS_CODES = {
  pending: undefined,
  arrived: '01',
  refused: '02',
  accepted: '03',
  assigned: '04',
  'in-progress': '05',
  done: '06',
  recalled: '13',
} as const satisfies Record<DeliveryStatus, string | undefined>;

/** Vietnamese names of the statuses, as the sender's screen shows them. */
export const DELIVERY_STATUS_NAMES: Record<DeliveryStatus, string> = {
  pending: 'Đang chuyển',
  arrived: 'Đã đến',
  refused: 'Từ chối tiếp nhận',
  accepted: 'Đã tiếp nhận',
  assigned: 'Đã phân công',
  'in-progress': 'Đang xử lý',
  done: 'Hoàn thành',
  recalled: 'Đã thu hồi',
};

const STATUS_OF_STATE: Record<IncomingState, DeliveryStatus> = {
  ARRIVED: 'arrived',
  RETURNED: 'refused',
  REGISTERED: 'accepted',
  PRESENTED: 'accepted',
  ASSIGNED: 'assigned',
  IN_PROGRESS: 'in-progress',
  RESOLVED: 'done',
  // Passing the document on to the competent organisation ends this recipient's part; the forwardee's own
  // delivery shows what happens next.
  FORWARDED: 'done',
  RECALLED: 'recalled',
};

export function deliveryStatusOf(state: IncomingState): DeliveryStatus {
  return STATUS_OF_STATE[state];
}

export const DeliverySchema = z.object({
  orgId: OrgIdSchema,
  purpose: RecipientPurposeSchema,
  status: DeliveryStatusSchema,
  exchangeCode: z.string().optional(),
  forwardedBy: OrgIdSchema.optional(),
  forwardedTo: z.array(OrgIdSchema).optional(),
  arrivalNumber: z.int().optional(),
  replyDocumentId: z.string().optional(),
  updatedAt: InstantSchema.optional(),
});
export type Delivery = z.infer<typeof DeliverySchema>;

/** The sender-visible delivery of a recipient's record. */
export function deliveryOf(record: IncomingRecord): Delivery {
  const status = deliveryStatusOf(record.state);
  return {
    orgId: record.orgId,
    purpose: record.purpose,
    status,
    exchangeCode: EXCHANGE_STATUS_CODES[status],
    forwardedBy: record.forwardedBy,
    forwardedTo: record.forwardedTo,
    arrivalNumber: record.arrivalNumber,
    replyDocumentId: record.replyDocumentId,
    updatedAt: record.updatedAt,
  };
}

/** A recipient the document was sent to that has no record yet. */
export function pendingDelivery(recipient: Recipient): Delivery {
  return { orgId: recipient.orgId, purpose: recipient.purpose, status: 'pending' };
}

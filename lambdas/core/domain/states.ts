import * as z from 'zod';

/** States of an outgoing document (văn bản đi), D30 Art.10–19, 32. */
export const OutgoingStateSchema = z.enum([
  'DRAFT',
  'UNDER_REVIEW',
  'SUBMITTED_TO_SIGNER',
  'SIGNED',
  'ISSUED',
  'SENT',
  'ARCHIVED',
  'RECALLED',
  'REPLACED',
]);
export type OutgoingState = z.infer<typeof OutgoingStateSchema>;

/** States of an incoming document at one recipient (văn bản đến), D30 Art.20–24. */
export const IncomingStateSchema = z.enum([
  'ARRIVED',
  'RETURNED',
  'REGISTERED',
  'PRESENTED',
  'ASSIGNED',
  'IN_PROGRESS',
  'RESOLVED',
  'FORWARDED',
  'RECALLED',
]);
export type IncomingState = z.infer<typeof IncomingStateSchema>;

import type * as z from 'zod';
import type { CreateDocument, RecipientSchema } from '../contracts/documents';
import type { SignatureRequestBodySchema } from '../contracts/signatures';
import type { SigningCapacity } from '../core/domain/capacity';
import type { RecipientTarget } from '../core/domain/directory';
import type { DraftMetadata } from '../core/domain/outgoing';

/*
 * The API's words to the domain's: request bodies (the public contract, whose field names are stable) to
 * the commands the use cases take.
 */

/** `"all-wards"` or `{to, purpose}`: a bare id or group is sent for action. */
export function recipientTargets(recipients: readonly z.infer<typeof RecipientSchema>[]): RecipientTarget[] {
  return recipients.map((r) => (typeof r === 'string' ? { to: r, purpose: 'action' } : r));
}

export function draftMetadata(input: CreateDocument): DraftMetadata {
  return {
    typeId: input.docType,
    subject: input.title,
    urgency: input.urgency ?? 'normal',
    deliverBy: input.deliverBy,
    dueDate: input.dueDate,
    draftingUnitCode: input.draftingUnit,
    recipients: recipientTargets(input.recipients ?? []),
    ...(input.coIssuers ? { coIssuers: input.coIssuers } : {}),
  };
}

/** `"KT."` with its options; undefined lets the signer's first entitled capacity apply. */
export function signingCapacity(
  body: z.infer<typeof SignatureRequestBodySchema>,
): SigningCapacity | undefined {
  if (!body.capacity) return undefined;
  const kind = body.capacity.replace(/\.$/, '') as SigningCapacity['kind'];
  if (kind === 'TL' || kind === 'TUQ') return { kind, delegationId: body.delegationId ?? '' };
  if (kind === 'KT' || kind === 'Q')
    return { kind, onBehalfOfCollective: body.onBehalfOfCollective ?? false };
  return { kind };
}

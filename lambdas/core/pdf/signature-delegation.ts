import * as z from 'zod';

/**
 * What a signature records of the TL./TUQ. delegation it relies on (D30 Art.13): enough for a verifier,
 * years later and offline, to say who authorised the signer, on which basis and for which period.
 * Built on first use: verifying a PDF without a delegation loads no zod (the CLI's start).
 */
function buildSchema() {
  return z.object({
    id: z.string().min(1).max(128),
    kind: z.enum(['TL', 'TUQ']),
    orgId: z.string().min(1).max(80),
    grantedBy: z.string().min(1).max(128),
    delegateId: z.string().min(1).max(128),
    basis: z.string().min(1).max(300),
    validFrom: z.string().max(40),
    validUntil: z.string().max(40).optional(),
    documentTypeIds: z.array(z.string().max(40)).max(40).optional(),
  });
}
let schema: ReturnType<typeof buildSchema> | undefined;

export function signatureDelegationSchema(): ReturnType<typeof buildSchema> {
  schema ??= buildSchema();
  return schema;
}
export type SignatureDelegation = z.infer<ReturnType<typeof buildSchema>>;

/** The delegation as the signature dictionary keeps it (JSON of the fields above, nothing else). */
export function delegationRecord(delegation: SignatureDelegation): string {
  return JSON.stringify(signatureDelegationSchema().parse(delegation));
}

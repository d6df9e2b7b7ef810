import * as z from 'zod';
import { PersonIdSchema, storable } from '../core/domain/common';
import { type KeyHolder, KeyHolderSchema } from '../core/domain/key-holder';
import { type MessageCode, type MessageParam, messages } from '../core/i18n/messages';

/*
 * What other functions may ask the certificate authority (lambdas/handlers/certificate-authority.ts) through
 * Lambda Invoke. The authority reads who a holder is from the directory itself: a caller names a person or
 * an organisation, never the subject a certificate should carry.
 */

export { type KeyHolder, KeyHolderSchema };

export const AuthorityCommandSchema = z.discriminatedUnion('command', [
  /** The root, issuing CA, TSA and transparency-log certificates (idempotent; a stage's first start makes them). */
  z.object({ command: z.literal('bootstrap') }),
  /** The holder's key (created on first use) and a certificate naming their current position. */
  z.object({ command: z.literal('credential'), holder: KeyHolderSchema }),
  /** The CRLs as of now (the issuing CA's, returned, and the root's), signed, stored and published. */
  z.object({ command: z.literal('crl') }),
  /** A new certificate for the issuing CA, signed by the root (an operator's rotation; nothing re-issued). */
  z.object({ command: z.literal('rotateIssuingCa') }),
  /** A certificate an external CA issued for the holder's key (after a CSR from POST /api/pki/csr). */
  z.object({
    command: z.literal('importCertificate'),
    holder: KeyHolderSchema,
    certificatePem: storable(
      z
        .string()
        .min(1)
        .max(64 * 1024),
      { multiline: true },
    ),
    by: PersonIdSchema,
  }),
]);
export type AuthorityCommand = z.infer<typeof AuthorityCommandSchema>;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

const MessageCodeSchema = z.enum(messages.codes as [MessageCode, ...MessageCode[]]);

/** A refusal's message parameters as they cross the Invoke boundary: values, or messages to render later. */
const MessageParamSchema: z.ZodType<MessageParam> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.object({ code: MessageCodeSchema, params: z.record(z.string(), MessageParamSchema).optional() }),
    z.object({ join: MessageCodeSchema, items: z.array(MessageParamSchema) }),
    z.object({ vi: z.string(), en: z.string() }),
  ]),
);

export const AuthorityResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    keyId: z.string().optional(),
    certificate: base64.optional(),
    crl: base64.optional(),
  }),
  /** Refusals a person caused (an import that does not fit): the caller turns them into a 4xx. */
  z.object({
    ok: z.literal(false),
    code: MessageCodeSchema,
    status: z.union([z.literal(400), z.literal(403), z.literal(404), z.literal(409), z.literal(422)]),
    params: z.record(z.string(), MessageParamSchema).optional(),
  }),
]);
export type AuthorityResult = z.infer<typeof AuthorityResultSchema>;

import * as z from 'zod';
import { LineSchema, storable } from '../core/domain/common';
import type { RouteContract } from './contract';

/*
 * Sole control of signatures (docs/SECURITY.md): preparing a signature, authorizing it with one's own
 * passkey or authenticator app, and managing those. The steps that then make the signature
 * (`POST …/sign`, `POST …/issue`) are in documents.ts.
 */

const RequestId = z.uuid();

export const SignatureRequestBodySchema = z
  .object({
    capacity: z
      .string()
      .regex(/^(own|TM|KT|Q|TL|TUQ)\.?$/)
      .optional()
      .describe('Signing capacity (D30 Art.13); the first one the signer is entitled to when absent'),
    onBehalfOfCollective: z.boolean().optional(),
    delegationId: LineSchema(128).optional(),
    reason: storable(z.string().trim().min(1).max(300), { multiline: true }).optional(),
  })
  .strict();

export const PreparedSignatureSchema = z
  .object({
    requestId: RequestId,
    documentId: z.string(),
    step: z.enum(['sign', 'issue', 'csr']),
    title: z.string(),
    symbol: z.string().optional(),
    capacity: z.string().optional(),
    /** SHA-256 of the version to be signed: the web compares it with the file it shows. */
    revisionSha256: z.string(),
    /** The digest the key will sign. */
    digest: z.string(),
    expiresAt: z.string(),
  })
  .meta({ id: 'PreparedSignature' });

export const MadeSignatureBodySchema = z.object({ requestId: RequestId }).strict();

const WebAuthnJson = z.record(z.string(), z.unknown());

export const AuthorizationChallengeSchema = z
  .object({
    challengeId: z.uuid(),
    expiresAt: z.string(),
    factors: z.object({ passkey: z.boolean(), totp: z.boolean() }),
    /** PublicKeyCredentialRequestOptionsJSON, when the person has a passkey. */
    options: WebAuthnJson.optional(),
    signatures: z.array(PreparedSignatureSchema.omit({ expiresAt: true })),
  })
  .meta({ id: 'AuthorizationChallenge' });

export const AuthorizationAnswerSchema = z.union([
  z.object({ challengeId: z.uuid(), passkey: WebAuthnJson }).strict(),
  z.object({ challengeId: z.uuid(), totp: z.string().regex(/^\d{6}$/) }).strict(),
]);

export const AuthenticatorsSchema = z
  .object({
    passkeys: z.array(z.object({ credentialId: z.string(), label: z.string(), createdAt: z.string() })),
    totp: z.object({ confirmedAt: z.string() }).nullable(),
  })
  .meta({ id: 'Authenticators' });

export const signatureContracts = {
  'GET /api/signature-activation/.well-known/openid-configuration': {
    summary: 'The activation issuer (OpenID discovery): STS fetches it to check activation data',
    response: z.record(z.string(), z.unknown()),
  },
  'GET /api/signature-activation/jwks.json': {
    summary: "The activation key's public key (JWK set)",
    response: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }),
  },
  'GET /api/me/authenticators': {
    summary: 'Your passkeys and authenticator app, with which you authorize signatures',
    response: AuthenticatorsSchema,
  },
  'POST /api/me/passkeys/options': {
    summary: 'Options to register a passkey on this device (WebAuthn, user verification required)',
    body: z.object({}).strict(),
    response: z.object({ challengeId: z.uuid(), options: WebAuthnJson }),
    idempotent: true,
  },
  'POST /api/me/passkeys': {
    summary: 'Register the passkey your device made for those options',
    body: z
      .object({ challengeId: z.uuid(), response: WebAuthnJson, label: z.string().trim().max(80).optional() })
      .strict(),
    response: AuthenticatorsSchema,
    idempotent: true,
  },
  'DELETE /api/me/passkeys/{id}': {
    summary: 'Remove one of your passkeys',
    response: AuthenticatorsSchema,
  },
  'POST /api/me/totp': {
    summary: 'Start enrolling an authenticator app: the secret, shown once, as an otpauth:// URI',
    body: z.object({}).strict(),
    response: z.object({ secret: z.string(), uri: z.string() }),
    idempotent: true,
  },
  'POST /api/me/totp/confirm': {
    summary: 'Finish enrolling the authenticator app with a code it shows',
    body: z.object({ code: z.string().regex(/^\d{6}$/) }).strict(),
    response: AuthenticatorsSchema,
    idempotent: true,
  },
  'DELETE /api/me/totp': {
    summary: 'Remove your authenticator app',
    response: AuthenticatorsSchema,
  },
  'POST /api/signature-authorizations/challenges': {
    summary: 'A challenge for your authenticator over the prepared signatures listed (one, or a batch)',
    body: z.object({ requestIds: z.array(RequestId).min(1).max(100) }).strict(),
    response: AuthorizationChallengeSchema,
    idempotent: true,
  },
  'POST /api/signature-authorizations': {
    summary: "Authorize those signatures with your passkey's assertion or a code from your authenticator app",
    body: AuthorizationAnswerSchema,
    response: z.object({
      authorizationId: z.string(),
      factor: z.enum(['passkey', 'totp']),
      expiresAt: z.string(),
      requestIds: z.array(z.string()),
    }),
    idempotent: true,
  },
} as const satisfies Record<string, RouteContract>;

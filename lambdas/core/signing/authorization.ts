import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { Actor } from '../domain/actor';
import { InstantSchema, Sha256HexSchema } from '../domain/common';
import { type KeyHolder, KeyHolderSchema } from '../domain/key-holder';
import { DomainError } from '../errors';
import { authenticatorError, authenticatorText } from '../i18n/authenticators';
import { canonicalize } from '../log/canonical-json';
import {
  ACTIVATION_AUDIENCE,
  ACTIVATION_SECONDS,
  type ActivationClaims,
  HOLDER_TAG,
  MAX_BATCH,
} from './activation-claims';
import type { AuthorizationFactor } from './authorization-record';

export * from './activation-claims';
export * from './authorization-record';

/*
 * Sole control of signatures (docs/SECURITY.md): a signature is made only with the signer's own, fresh
 * authorization, bound to the exact digests to be signed. This module holds the rules: what a signature
 * request is, what the signer's authenticator signs (the challenge), the activation data that results, and
 * the checks the signer makes before its key is used. Pure: the activation and signer functions run it.
 */

/** A prepared signature waits this long for its authorization. */
export const REQUEST_SECONDS = 15 * 60;

/** The tag value of a key holder: `official:<personId>` or `seal:<orgId>`. */
export const holderTag = (holder: KeyHolder): string =>
  holder.kind === 'official' ? `official:${holder.personId}` : `seal:${holder.orgId}`;

/** What a prepared signature is for: a personal signature, the seal at issue, or a CSR for an external CA. */
export const SignatureStepSchema = z.enum(['sign', 'issue', 'csr']);
export type SignatureStep = z.infer<typeof SignatureStepSchema>;

/**
 * A signature prepared and waiting for its signer's authorization: the digest the key will sign (SHA-256 of
 * the CMS signed attributes, which hold the digest of the document's bytes) and everything needed to make
 * exactly the same bytes again once authorized.
 */
export const SignatureRequestSchema = z.object({
  id: z.uuid(),
  documentId: z.string().min(1),
  step: SignatureStepSchema,
  /** Who must authorize it: the official signing, or a clerk of the organisation sealing. */
  personId: z.string().min(1),
  holder: KeyHolderSchema,
  /** The version of the document the signature is made on. */
  revisionSha256: Sha256HexSchema,
  /** The digest the key signs (hex). */
  digest: Sha256HexSchema,
  /** The claimed signing time, part of the signed bytes (/M): the same when the signature is made. */
  signingTime: InstantSchema,
  /** What the person is shown: title or number, capacity. */
  display: z.object({
    title: z.string(),
    symbol: z.string().optional(),
    capacity: z.string().optional(),
  }),
  /** The capacity chosen (sign step). */
  capacity: z.unknown().optional(),
  reason: z.string().optional(),
  createdAt: InstantSchema,
  expiresAt: InstantSchema,
  /**
   * At issue, the seals of the document's attachments in files of their own, each a request of its own:
   * authorizing this request authorizes them with it, under one authorization bound to every digest.
   */
  attachments: z.array(z.object({ id: z.string().min(1), requestId: z.uuid() })).optional(),
  /** Set once authorized: the authorization that covers it. */
  authorizationId: z.string().optional(),
  /** Set once the signature was made. */
  usedAt: InstantSchema.optional(),
});
export type SignatureRequest = z.infer<typeof SignatureRequestSchema>;

/**
 * What the signer's authenticator signs: the SHA-256 of this statement's canonical JSON. It names the
 * person, the key holder, every digest and request, and when it ends, so an assertion over it binds the
 * person to exactly those signatures.
 */
export interface ChallengeStatement {
  readonly purpose: 'docflow-signature-authorization';
  readonly personId: string;
  readonly holder: string;
  readonly requests: readonly { readonly id: string; readonly documentId: string; readonly digest: string }[];
  readonly expiresAt: string;
  readonly nonce: string;
}

export function challengeStatement(
  personId: string,
  requests: readonly SignatureRequest[],
  nonce: string,
  expiresAt: Date,
): ChallengeStatement {
  const [first] = requests;
  if (!first)
    throw new DomainError('validation_failed', 400, {
      detail: authenticatorText('invalid_request_ids', { max: MAX_BATCH }),
    });
  return {
    purpose: 'docflow-signature-authorization',
    personId,
    holder: holderTag(first.holder),
    requests: requests.map((r) => ({ id: r.id, documentId: r.documentId, digest: r.digest })),
    expiresAt: expiresAt.toISOString(),
    nonce,
  };
}

/** The challenge bytes: SHA-256 of the statement's canonical JSON (RFC 8785). */
export const challengeBytes = (statement: ChallengeStatement): Uint8Array =>
  new Uint8Array(createHash('sha256').update(canonicalize(statement), 'utf8').digest());

/**
 * The requests one authorization may cover: the caller's own, pending, unexpired, all for the same key
 * holder, at most MAX_BATCH, each once.
 */
export function assertAuthorizable(
  actor: Actor,
  requests: readonly SignatureRequest[],
  requestedIds: readonly string[],
  now: Date,
): void {
  if (
    requestedIds.length === 0 ||
    requestedIds.length > MAX_BATCH ||
    new Set(requestedIds).size !== requestedIds.length
  )
    throw new DomainError('validation_failed', 400, {
      detail: authenticatorText('invalid_request_ids', { max: MAX_BATCH }),
    });
  for (const id of requestedIds) {
    const request = requests.find((r) => r.id === id);
    if (!request || request.personId !== actor.id)
      throw new DomainError('signature_request_unknown', 404, { id });
    if (request.authorizationId || request.usedAt)
      throw authenticatorError('signature_request_used', 409, { id });
    if (new Date(request.expiresAt) <= now)
      throw authenticatorError('signature_request_expired', 409, { id });
  }
  const holders = new Set(requests.map((r) => holderTag(r.holder)));
  if (holders.size > 1) throw authenticatorError('signature_requests_mixed', 400);
  for (const request of requests) assertMayAuthorize(actor, request.holder);
}

/**
 * Whose key a person may authorize: their own personal key, and their organisation's seal if they are its
 * clerk (văn thư). Checked against the directory as it is now, whoever prepared the request.
 */
export function assertMayAuthorize(actor: Actor, holder: KeyHolder, orgName?: string): void {
  if (holder.kind === 'official') {
    if (holder.personId !== actor.id) throw new DomainError('authenticator_not_yours', 403);
    return;
  }
  if (actor.position.role !== 'clerk' || actor.position.orgId !== holder.orgId)
    throw new DomainError('seal_not_yours', 403, { orgName: orgName ?? holder.orgId });
}

export function activationClaims(args: {
  issuer: string;
  authorizationId: string;
  personId: string;
  holder: string;
  factor: AuthorizationFactor;
  digests: readonly string[];
  now: Date;
}): ActivationClaims {
  const iat = Math.floor(args.now.getTime() / 1000);
  return {
    iss: args.issuer,
    aud: ACTIVATION_AUDIENCE,
    sub: args.personId,
    jti: args.authorizationId,
    iat,
    exp: iat + ACTIVATION_SECONDS,
    holder: args.holder,
    factor: args.factor,
    digests: [...args.digests],
    'https://aws.amazon.com/tags': {
      principal_tags: { [HOLDER_TAG]: [args.holder] },
      transitive_tag_keys: [],
    },
  };
}

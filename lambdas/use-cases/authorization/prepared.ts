import { randomUUID } from 'node:crypto';
import type { Caller } from '../../core/domain/caller';
import { DomainError } from '../../core/errors';
import {
  holderTag,
  REQUEST_SECONDS,
  type SignatureAuthorization,
  type SignatureRequest,
} from '../../core/signing/authorization';
import type {
  AuthorizationRecords,
  SignatureRequests,
  SignatureValues,
} from '../../ports/signature-authorization';
import type { SignatureValue } from '../../ports/signing';

/*
 * Prepared signatures, as the `signing` function handles them: the digest a signature will need is found
 * by making the signature once without a key (a dry run that stops at the signature value); the same inputs
 * later make the same bytes, and the signer function signs that digest only with the holder's authorization.
 */

export interface PreparedSignaturePorts {
  readonly requests: SignatureRequests;
  readonly records: AuthorizationRecords;
  readonly signatures: SignatureValues;
  readonly now: () => Date;
}

class DigestReached extends Error {
  constructor(readonly digest: Uint8Array) {
    super('dry run reached the signature value');
  }
}

/** The digest a signing step will ask its key to sign, found without any key. */
export async function digestOf(step: (value: SignatureValue) => Promise<unknown>): Promise<string> {
  try {
    await step(async (digest) => {
      throw new DigestReached(digest);
    });
  } catch (error) {
    if (error instanceof DigestReached) return Buffer.from(error.digest).toString('hex');
    throw error;
  }
  throw new Error('the signing step made no signature');
}

export async function saveRequest(
  ports: PreparedSignaturePorts,
  request: Omit<SignatureRequest, 'id' | 'createdAt' | 'expiresAt'>,
): Promise<SignatureRequest> {
  const now = ports.now();
  const saved: SignatureRequest = {
    ...request,
    id: randomUUID(),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + REQUEST_SECONDS * 1000).toISOString(),
  };
  await ports.requests.save(saved);
  return saved;
}

/** What the person is told about a prepared signature they must now authorize. */
export const preparedView = (request: SignatureRequest) => ({
  requestId: request.id,
  documentId: request.documentId,
  step: request.step,
  revisionSha256: request.revisionSha256,
  digest: request.digest,
  expiresAt: request.expiresAt,
  ...request.display,
});

/** The caller's authorized request for this step of this document: refused if not theirs or not authorized. */
export async function authorizedRequest(
  ports: PreparedSignaturePorts,
  caller: Caller,
  documentId: string,
  step: SignatureRequest['step'],
  requestId: string,
): Promise<SignatureRequest & { authorizationId: string }> {
  const request = await ports.requests.get(requestId);
  if (
    !request ||
    request.personId !== caller.actor.id ||
    request.documentId !== documentId ||
    request.step !== step
  )
    throw new DomainError('signature_request_unknown', 404, { id: requestId });
  if (!request.authorizationId) throw new DomainError('signature_request_not_authorized', 409);
  return request as SignatureRequest & { authorizationId: string };
}

/** The signature value, by the signer function, under the request's authorization. */
export const authorizedValue =
  (ports: PreparedSignaturePorts, request: SignatureRequest & { authorizationId: string }): SignatureValue =>
  (digest) =>
    ports.signatures.sign({
      authorizationId: request.authorizationId,
      holder: holderTag(request.holder),
      digest,
    });

/** The authorization as the log records it beside the signature. */
export async function authorizationOf(
  ports: PreparedSignaturePorts,
  request: SignatureRequest & { authorizationId: string },
): Promise<SignatureAuthorization> {
  const record = await ports.records.get(request.authorizationId);
  if (!record) throw new DomainError('signature_request_not_authorized', 409);
  return {
    id: record.id,
    factor: record.factor,
    at: record.at,
    digest: request.digest,
    batchSize: record.digests.length,
    statement: record.statement,
    passkey: record.passkey,
  };
}

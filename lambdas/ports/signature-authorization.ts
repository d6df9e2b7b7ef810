import type {
  ActivationClaims,
  SignatureAuthorization,
  SignatureRequest,
} from '../core/signing/authorization';

/*
 * Sole control of signatures (docs/SECURITY.md): prepared signatures waiting for their signer, the
 * authorizations that cover them, the activation data the signer function alone reads, and the signer
 * itself as the `signing` function reaches it.
 */

/** Prepared signatures (views table): written by `signing`, marked authorized by the activation function. */
export interface SignatureRequests {
  save(request: SignatureRequest): Promise<void>;
  get(id: string): Promise<SignatureRequest | undefined>;
  /** Marks the requests authorized by one authorization; a Conflict if any already was. */
  authorize(ids: readonly string[], authorizationId: string): Promise<void>;
  markUsed(id: string, at: string): Promise<void>;
}

/** Every authorization as evidence: what the log records beside the signature it allowed. */
export interface AuthorizationRecord extends Omit<SignatureAuthorization, 'digest' | 'batchSize'> {
  readonly personId: string;
  readonly holder: string;
  readonly digests: readonly string[];
  readonly requestIds: readonly string[];
}

export interface AuthorizationRecords {
  save(record: AuthorizationRecord): Promise<void>;
  get(id: string): Promise<AuthorizationRecord | undefined>;
}

/** The value of one signature, made by the signer function with the holder's key, if authorized. */
export interface SignatureValues {
  sign(args: { authorizationId: string; holder: string; digest: Uint8Array }): Promise<Uint8Array>;
}

/**
 * Activation data as the signer function keeps it: readable by it alone, with the one signature value made
 * under it for each digest (a retried request gets that value again; the key is not used twice).
 */
export interface ActivationStore {
  save(activation: { id: string; token: string; expiresAt: number }): Promise<void>;
  /** The signed token (a JWT), or undefined. */
  token(id: string): Promise<string | undefined>;
  /** The signature value already made for this digest under this activation, if any. */
  signatureOf(id: string, digest: string): Promise<Uint8Array | undefined>;
  /** Keeps the value made for this digest; if one was kept first, that one is returned (and used). */
  keep(id: string, digest: string, signature: Uint8Array, expiresAt: number): Promise<Uint8Array>;
}

/** Signs and checks activation data: the activation key in KMS, the public key anyone can fetch. */
export interface ActivationIssuer {
  readonly issuer: string;
  sign(claims: ActivationClaims): Promise<string>;
  /** Verifies a token's signature and returns its claims (unchecked beyond the signature). */
  verify(token: string): Promise<unknown>;
  /** The public key as a JWK set, for STS and the signer. */
  jwks(): Promise<{ keys: Record<string, unknown>[] }>;
}

/** The signer's last step: credentials for the holder from STS, then kms:Sign with the holder's key. */
export interface HolderKeys {
  sign(args: { token: string; sessionName: string; holder: string; digest: Uint8Array }): Promise<Uint8Array>;
}

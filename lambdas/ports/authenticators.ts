/*
 * The second factors people authorize signatures with: passkeys (WebAuthn) they registered on their own
 * devices, and an authenticator app (TOTP) as the fallback. Only the activation function reads and writes
 * them (adapters/authenticator-store.ts).
 */

export interface Passkey {
  /** base64url credential id. */
  readonly credentialId: string;
  /** base64url COSE public key. */
  readonly publicKey: string;
  readonly counter: number;
  readonly transports?: readonly string[];
  readonly label: string;
  readonly createdAt: string;
}

export interface TotpEnrolment {
  /** base32 secret, shown once at enrolment. */
  readonly secret: string;
  readonly createdAt: string;
  /** Set when the person proved their app holds the secret; only then may it authorize. */
  readonly confirmedAt?: string;
}

export interface Authenticators {
  passkeys(personId: string): Promise<Passkey[]>;
  addPasskey(personId: string, passkey: Passkey): Promise<void>;
  removePasskey(personId: string, credentialId: string): Promise<void>;
  setCounter(personId: string, credentialId: string, counter: number): Promise<void>;
  totp(personId: string): Promise<TotpEnrolment | undefined>;
  saveTotp(personId: string, enrolment: TotpEnrolment): Promise<void>;
  removeTotp(personId: string): Promise<void>;
  /** Records a TOTP time step as used; false when it, or a later one, was used before (a replayed code). */
  spendTotpStep(personId: string, step: number): Promise<boolean>;
}

/** A challenge waiting for the person's authenticator: single use, short-lived. */
export interface PendingChallenge {
  readonly id: string;
  readonly personId: string;
  readonly purpose: 'registration' | 'authorization';
  /** base64url challenge. */
  readonly challenge: string;
  readonly requestIds?: readonly string[];
  /** The statement whose SHA-256 is the challenge (authorization). */
  readonly statement?: unknown;
  readonly expiresAt: string;
}

export interface Challenges {
  save(challenge: PendingChallenge): Promise<void>;
  /** Returns the challenge and deletes it, so that it is answered once. */
  take(id: string): Promise<PendingChallenge | undefined>;
}

import * as z from 'zod';

/** RFC 5280 §5.3.1 CRLReason, by name; the numbers are the wire codes. */
export const REVOCATION_REASON_CODES = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  privilegeWithdrawn: 9,
} as const;
export type RevocationReason = keyof typeof REVOCATION_REASON_CODES;

export function reasonFromCode(code: number): RevocationReason {
  const found = Object.entries(REVOCATION_REASON_CODES).find(([, c]) => c === code);
  return (found?.[0] as RevocationReason | undefined) ?? 'unspecified';
}

const buildRevocationEntrySchema = () =>
  z.object({
    /** Serial as lower-case hex without leading zero octets (see `serialHex`). */
    serial: z.string().regex(/^[0-9a-f]+$/),
    revokedAt: z.date(),
    reason: z.enum(Object.keys(REVOCATION_REASON_CODES) as [RevocationReason, ...RevocationReason[]]),
  });
let revocationEntry: ReturnType<typeof buildRevocationEntrySchema> | undefined;
/** Built on first use: judging revocation (verifying) needs no zod. */
const revocationEntrySchema = () => (revocationEntry ??= buildRevocationEntrySchema());
export type RevocationEntry = z.infer<ReturnType<typeof buildRevocationEntrySchema>>;

export type RevocationStatus =
  | { readonly status: 'good' }
  /** Revoked, but after the moment asked about: a signature made before then stays valid. */
  | { readonly status: 'revoked-later'; readonly revokedAt: Date; readonly reason: RevocationReason }
  | { readonly status: 'revoked'; readonly revokedAt: Date; readonly reason: RevocationReason };

/** Status of a serial at a moment, given a list of revocations (from a registry or a CRL). */
export function revocationStatusAt(
  entries: readonly RevocationEntry[],
  serial: string,
  at: Date,
): RevocationStatus {
  const entry = entries.find((e) => e.serial === serial.toLowerCase());
  if (!entry) return { status: 'good' };
  return entry.revokedAt.getTime() <= at.getTime()
    ? { status: 'revoked', revokedAt: entry.revokedAt, reason: entry.reason }
    : { status: 'revoked-later', revokedAt: entry.revokedAt, reason: entry.reason };
}

/**
 * The revocations one CA has made: an immutable value (persisting it is the caller's business). Revoking
 * twice keeps the first record, as a CRL may list a serial only once.
 */
export class RevocationRegistry {
  private constructor(readonly entries: readonly RevocationEntry[]) {}

  static empty(): RevocationRegistry {
    return new RevocationRegistry([]);
  }

  static of(entries: readonly RevocationEntry[]): RevocationRegistry {
    return new RevocationRegistry(entries.map((e) => revocationEntrySchema().parse(e)));
  }

  revoke(serial: string, revokedAt: Date, reason: RevocationReason = 'unspecified'): RevocationRegistry {
    const entry = revocationEntrySchema().parse({ serial: serial.toLowerCase(), revokedAt, reason });
    if (this.entries.some((e) => e.serial === entry.serial)) return this;
    return new RevocationRegistry([...this.entries, entry]);
  }

  statusAt(serial: string, at: Date): RevocationStatus {
    return revocationStatusAt(this.entries, serial, at);
  }

  /** Entries a CRL issued at `at` lists: revocations already in effect then. */
  effectiveAt(at: Date): RevocationEntry[] {
    return this.entries.filter((e) => e.revokedAt.getTime() <= at.getTime());
  }
}

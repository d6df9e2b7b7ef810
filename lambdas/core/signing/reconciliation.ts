/*
 * Every use of a signing key accounted for (docs/SECURITY.md): the key service's own record of Sign calls
 * (CloudTrail in AWS; the KMS emulator's request log on a laptop) held against what docflow explains. A
 * personal or seal key signs only in a signer session named after an authorization, at most once for each
 * digest that authorization lists; anything else is unexplained and raises an alarm. Detection behind the
 * prevention of key policies and STS: for what no policy foresaw.
 */

/** One successful kms:Sign, as the key service recorded it. */
export interface KeyUse {
  readonly time: string;
  /** The key's ARN (or id). */
  readonly key: string;
  /** Who called: a role or an assumed-role session ARN. */
  readonly principal: string;
  /** The STS session name, for an assumed role (the signer names it after the authorization). */
  readonly sessionName?: string;
}

export interface KnownAuthorization {
  readonly id: string;
  readonly holder: string;
  readonly digests: readonly string[];
}

export interface Unexplained {
  readonly use: KeyUse;
  readonly why: 'not-a-signer-session' | 'no-authorization' | 'other-holder' | 'more-than-authorized';
}

export function reconcileKeyUses(args: {
  uses: readonly KeyUse[];
  /** Holder keys (personal and seal) by key ARN or id, with their holder tag. */
  holderOfKey: ReadonlyMap<string, string>;
  /** The signer session role's name (`docflow-<stage>-signer-session`). */
  signerSessionRole: string;
  authorization: (id: string) => KnownAuthorization | undefined;
}): Unexplained[] {
  const unexplained: Unexplained[] = [];
  const usesPerAuthorization = new Map<string, number>();
  for (const use of args.uses) {
    const holder = args.holderOfKey.get(use.key) ?? args.holderOfKey.get(use.key.split('/').pop() ?? '');
    // Stack keys (CA, TSA, transparency, activation) are their functions' own; key policies name them.
    if (!holder) continue;
    const session = use.principal.includes(`:assumed-role/${args.signerSessionRole}/`);
    if (!session || !use.sessionName) {
      unexplained.push({ use, why: 'not-a-signer-session' });
      continue;
    }
    const authorization = args.authorization(use.sessionName);
    if (!authorization) {
      unexplained.push({ use, why: 'no-authorization' });
      continue;
    }
    if (authorization.holder !== holder) {
      unexplained.push({ use, why: 'other-holder' });
      continue;
    }
    const count = (usesPerAuthorization.get(authorization.id) ?? 0) + 1;
    usesPerAuthorization.set(authorization.id, count);
    if (count > authorization.digests.length) unexplained.push({ use, why: 'more-than-authorized' });
  }
  return unexplained;
}

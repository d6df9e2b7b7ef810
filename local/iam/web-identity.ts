import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  type JSONWebKeySet,
  type JWTPayload,
  errors as joseErrors,
  jwtVerify,
} from 'jose';
import * as z from 'zod';
import type { IamStore, OidcProvider } from './identities';

/*
 * What STS checks of a web identity token before AssumeRoleWithWebIdentity: its issuer is a registered
 * OIDC provider, its signature verifies against the keys that issuer publishes (its discovery document's
 * `jwks_uri`, fetched over HTTP on a laptop), its audience is one of the provider's client ids, it is
 * within `nbf`–`exp`; and the session tags it carries in `https://aws.amazon.com/tags`.
 */

export type WebIdentityFailure =
  | 'InvalidIdentityToken'
  | 'ExpiredTokenException'
  | 'IDPCommunicationError'
  | 'IDPRejectedClaim';

export class WebIdentityError extends Error {
  constructor(
    readonly code: WebIdentityFailure,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

export interface VerifiedWebIdentity {
  readonly provider: OidcProvider;
  readonly claims: JWTPayload;
  readonly subject: string;
  /** The audience IAM matches `<provider>:aud` against: `azp` when present, else `aud`. */
  readonly audience: string;
  readonly sessionTags: Record<string, string>;
  readonly transitiveTagKeys: readonly string[];
}

const Discovery = z.object({ issuer: z.string(), jwks_uri: z.url() });
const JwksSchema = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });
const TagsClaim = z
  .object({
    principal_tags: z.record(z.string().min(1).max(128), z.array(z.string().max(256)).length(1)),
    transitive_tag_keys: z.array(z.string()).optional(),
  })
  .strict();
const TAGS_CLAIM = 'https://aws.amazon.com/tags';
const COMMUNICATION_ERROR =
  "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements";

interface CachedKeys {
  readonly keys: JSONWebKeySet;
  readonly fetchedAt: number;
}

/** Fetches and caches each issuer's keys (five minutes; again at once for a key id it has not seen). */
export class WebIdentityVerifier {
  private readonly cache = new Map<string, CachedKeys>();

  constructor(
    private readonly iam: IamStore,
    private readonly fetchJson: (url: string) => Promise<unknown> = defaultFetchJson,
  ) {}

  private async keysOf(issuer: string, kid: string | undefined): Promise<JSONWebKeySet> {
    const cached = this.cache.get(issuer);
    const fresh = cached && Date.now() - cached.fetchedAt < 300_000;
    const known = cached?.keys.keys.some((key) => kid === undefined || key.kid === kid);
    if (cached && fresh && known) return cached.keys;
    try {
      const discovery = Discovery.parse(
        await this.fetchJson(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`),
      );
      const keys = JwksSchema.parse(await this.fetchJson(discovery.jwks_uri)) as JSONWebKeySet;
      this.cache.set(issuer, { keys, fetchedAt: Date.now() });
      return keys;
    } catch {
      throw new WebIdentityError('IDPCommunicationError', COMMUNICATION_ERROR);
    }
  }

  async verify(token: string): Promise<VerifiedWebIdentity> {
    let claims: JWTPayload;
    let kid: string | undefined;
    try {
      claims = decodeJwt(token);
      const header = decodeProtectedHeader(token);
      kid = header.kid;
      if (!header.alg || header.alg === 'none') throw new Error('unsigned');
    } catch {
      throw new WebIdentityError(
        'InvalidIdentityToken',
        'The web identity token that was passed is not a valid JWT',
      );
    }
    const issuer = typeof claims.iss === 'string' ? claims.iss : '';
    const provider = this.iam.oidcProvider(issuer);
    if (!provider)
      throw new WebIdentityError(
        'InvalidIdentityToken',
        `No OpenIDConnect provider found in your account for ${issuer || '(no iss claim)'}`,
      );
    const keys = await this.keysOf(issuer, kid);
    const now = this.iam.now();
    try {
      ({ payload: claims } = await jwtVerify(token, createLocalJWKSet(keys), {
        algorithms: ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'],
        currentDate: now,
        clockTolerance: 0,
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) {
        const exp = Number(claims.exp);
        throw new WebIdentityError(
          'ExpiredTokenException',
          `Token expired: current date/time ${Math.floor(now.getTime() / 1000)} must be before the expiration date/time${exp}`,
        );
      }
      if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'nbf')
        throw new WebIdentityError('InvalidIdentityToken', 'The token is not valid yet (nbf)');
      throw new WebIdentityError(
        'InvalidIdentityToken',
        'The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.',
      );
    }
    const audiences = claims.aud === undefined ? [] : Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    const audience = typeof claims.azp === 'string' ? claims.azp : audiences[0];
    if (!audience || !provider.clientIds.some((id) => id === audience || audiences.includes(id)))
      throw new WebIdentityError('InvalidIdentityToken', 'Incorrect token audience');
    if (typeof claims.sub !== 'string' || claims.sub === '')
      throw new WebIdentityError('InvalidIdentityToken', 'The token has no sub claim');
    const { sessionTags, transitiveTagKeys } = tagsOf(claims);
    return { provider, claims, subject: claims.sub, audience, sessionTags, transitiveTagKeys };
  }
}

function tagsOf(claims: JWTPayload): { sessionTags: Record<string, string>; transitiveTagKeys: string[] } {
  const raw = claims[TAGS_CLAIM];
  if (raw === undefined) return { sessionTags: {}, transitiveTagKeys: [] };
  const parsed = TagsClaim.safeParse(raw);
  if (!parsed.success || Object.keys(parsed.data.principal_tags).length > 50)
    throw new WebIdentityError(
      'IDPRejectedClaim',
      `The ${TAGS_CLAIM} claim is not a valid set of session tags`,
    );
  const sessionTags: Record<string, string> = {};
  for (const [key, [value]] of Object.entries(parsed.data.principal_tags)) {
    if (key.toLowerCase().startsWith('aws:'))
      throw new WebIdentityError('IDPRejectedClaim', `Session tag ${key} uses the reserved prefix aws:`);
    sessionTags[key] = value ?? '';
  }
  return { sessionTags, transitiveTagKeys: parsed.data.transitive_tag_keys ?? [] };
}

async function defaultFetchJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

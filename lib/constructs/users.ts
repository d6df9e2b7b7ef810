import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  ClientAttributes,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  UserPoolEmail,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { RoleSchema } from '../../lambdas/core/domain/directory';

export interface UsersProps {
  readonly stage: string;
  readonly plan: 'plus' | 'essentials';
  /** Prefix of the Cognito-hosted sign-in domain, unique in the region. */
  readonly domainPrefix: string;
  /**
   * Cognito's messages (invitations with a temporary password, codes) go out through SES from this
   * verified identity. Without it, Cognito's own e-mail: 50 messages a day, for trying a stage only.
   */
  readonly email?: {
    readonly fromAddress: string;
    readonly fromName?: string;
    /** The SES identity is this domain rather than the address. */
    readonly verifiedDomain?: string;
    /** Region of the SES identity; default: the stack's. */
    readonly region?: string;
  };
}

/**
 * The officials who sign in: a Cognito user pool without self sign-up, TOTP MFA required, and one group per
 * docflow role. The organisation (`custom:orgId`) and the directory's person id (`custom:personId`) are
 * custom attributes only administrators set: the web client may read them but not write them, or a user
 * could move themselves into another organisation or become another person.
 */
export class Users extends Construct {
  readonly userPool: UserPool;
  readonly domain: UserPoolDomain;
  private webClient: UserPoolClient | undefined;

  constructor(scope: Construct, id: string, props: UsersProps) {
    super(scope, id);
    const plus = props.plan === 'plus';
    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: `docflow-${props.stage}`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      mfa: Mfa.REQUIRED,
      // An authenticator app: SMS codes can be intercepted and need an SNS sending setup per country.
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      email: props.email
        ? UserPoolEmail.withSES({
            fromEmail: props.email.fromAddress,
            fromName: props.email.fromName,
            sesVerifiedDomain: props.email.verifiedDomain,
            sesRegion: props.email.region,
          })
        : undefined,
      customAttributes: {
        orgId: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
        // The directory's person id (Cognito's own `sub` is a generated UUID): set once, when an
        // administrator creates the user, so an ID token names the person it was issued to.
        personId: new StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
      },
      featurePlan: plus ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS,
      standardThreatProtectionMode: plus ? StandardThreatProtectionMode.FULL_FUNCTION : undefined,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (!plus) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason: `stage configured with userPoolPlan=essentials: no threat protection, chosen for cost outside production`,
      });
    }

    // Sign-in goes through Cognito's hosted pages: the web inbox redirects there (web/src/config.ts).
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: ManagedLoginVersion.CLASSIC_HOSTED_UI,
    });

    // Groups carry the role (`cognito:groups` in the ID token), as the local identity provider does.
    for (const role of RoleSchema.options) {
      new CfnUserPoolGroup(this, `Group-${role}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: role,
        description: `docflow role ${role}`,
      });
    }
  }

  /** `https://<prefix>.auth.<region>.amazoncognito.com`: the hosted sign-in pages and token endpoint. */
  get signInUrl(): string {
    return this.domain.baseUrl();
  }

  /**
   * The web inbox's client: a public client (no secret) that signs in through the hosted pages with the
   * authorization code grant and PKCE (web/src/config.ts), and comes back to the web origins only. No
   * implicit grant: tokens never travel in a URL.
   */
  addWebClient(origins: readonly string[]): UserPoolClient {
    if (this.webClient) throw new Error('the web client exists already');
    const standard = { email: true, emailVerified: true, fullname: true };
    const urls = origins.map((origin) => `${origin}/`);
    this.webClient = this.userPool.addClient('WebClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: urls,
        logoutUrls: urls,
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      idTokenValidity: Duration.minutes(60),
      accessTokenValidity: Duration.minutes(60),
      refreshTokenValidity: Duration.hours(12),
      readAttributes: new ClientAttributes()
        .withStandardAttributes(standard)
        .withCustomAttributes('orgId', 'personId'),
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
    });
    return this.webClient;
  }
}

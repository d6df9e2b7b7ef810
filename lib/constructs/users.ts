import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { RoleSchema } from '../../lambdas/core/domain/directory';

export interface UsersProps {
  readonly stage: string;
  readonly plan: 'plus' | 'essentials';
}

/**
 * The officials who sign in: a Cognito user pool without self sign-up, TOTP MFA required, and one group per
 * docflow role. The organisation (`custom:orgId`) and the directory's person id (`custom:personId`) are
 * custom attributes only administrators set: the web client may read them but not write them, or a user
 * could move themselves into another organisation or become another person.
 */
export class Users extends Construct {
  readonly userPool: UserPool;
  readonly webClient: UserPoolClient;

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

    const standard = { email: true, emailVerified: true, fullname: true };
    this.webClient = this.userPool.addClient('WebClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      // The web inbox signs in with SRP; OAuth flows open when managed login is adopted, not before.
      disableOAuth: true,
      idTokenValidity: Duration.minutes(60),
      accessTokenValidity: Duration.minutes(60),
      refreshTokenValidity: Duration.hours(12),
      readAttributes: new ClientAttributes()
        .withStandardAttributes(standard)
        .withCustomAttributes('orgId', 'personId'),
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
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
}

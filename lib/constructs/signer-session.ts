import { Arn, ArnFormat, Aws, Stack, Validations } from 'aws-cdk-lib';
import { OidcProviderNative, PolicyStatement, Role, WebIdentityPrincipal } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ACTIVATION_AUDIENCE, HOLDER_TAG } from '../../lambdas/core/signing/activation-claims';
import { KEY_TAGS, signerSessionRoleName } from '../../lambdas/deployment/key-policy';
import { resourceFinding } from '../nag';

export interface SignerSessionProps {
  readonly stage: string;
  /** `https://<web host>/api/signature-activation`: the activation function's OpenID issuer. */
  readonly issuer: string;
  /** The one KMS signing algorithm of the stage's key spec. */
  readonly signingAlgorithm: string;
}

export { signerSessionRoleName };

/** Its ARN, built from the name alone (no dependency on the role resource). */
export const signerSessionRoleArn = (stage: string) =>
  `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${signerSessionRoleName(stage)}`;

/**
 * Sole control below the application (docs/SECURITY.md): STS trusts the activation function's issuer, and
 * gives a session of this role only for valid activation data, tagged with the holder that data names. The
 * role may sign only with keys whose `docflow:holder` tag is the session's; the keys' own policies say the
 * same and deny everyone else. No function role can sign with a personal or seal key.
 */
export class SignerSession extends Construct {
  readonly role: Role;
  readonly provider: OidcProviderNative;

  constructor(scope: Construct, id: string, props: SignerSessionProps) {
    super(scope, id);
    this.provider = new OidcProviderNative(this, 'ActivationIssuer', {
      url: props.issuer,
      clientIds: [ACTIVATION_AUDIENCE],
    });
    this.role = new Role(this, 'Role', {
      roleName: signerSessionRoleName(props.stage),
      description: `docflow ${props.stage}: one signature value for the holder named by activation data`,
      // The provider is this issuer's alone and lists one client id (the audience of activation data): STS
      // refuses a token with any other audience, so the trust needs no condition of its own.
      assumedBy: new WebIdentityPrincipal(this.provider.oidcProviderArn).withSessionTags(),
    });
    const keys = Arn.format(
      { service: 'kms', resource: 'key', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME },
      Stack.of(this),
    );
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'SignAsTheHolder',
        actions: ['kms:Sign'],
        resources: [keys],
        conditions: {
          StringEquals: {
            'kms:MessageType': 'DIGEST',
            'kms:SigningAlgorithm': props.signingAlgorithm,
            [`aws:ResourceTag/${KEY_TAGS.stage}`]: props.stage,
            [`aws:ResourceTag/${KEY_TAGS.holder}`]: `\${aws:PrincipalTag/${HOLDER_TAG}}`,
          },
        },
      }),
    );
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[${resourceFinding(this, keys)}]`,
      reason:
        'the holder keys are created at run time: aws:ResourceTag conditions (stage, and holder equal to the session tag STS set from activation data) select the one key',
    });
  }
}

import { Aws, DefaultStackSynthesizer, Fn, Stack } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { IConstruct } from 'constructs';
import { KEY_DESTRUCTION_ACTIONS, KEY_POLICY_CHANGE_ACTIONS } from '../lambdas/deployment/key-policy';

/*
 * Keys that protect data kept for years (the tables, the archive, their backups and replicas) must outlive
 * every administrator's mistake or malice: an administrator who disables or schedules the deletion of such
 * a key makes years of locked documents unreadable. Their key policies deny the three actions that could do
 * it to every principal but one named break-glass role; the service control policy in docs/DEPLOY.md says
 * the same from outside the account. EventBridge rules (KeyWatch) alarm on each attempt, allowed or not.
 */

// The same actions the run-time seal and official keys' policies keep for the break-glass role.
export { KEY_DESTRUCTION_ACTIONS, KEY_POLICY_CHANGE_ACTIONS };

/** `arn:<partition>:iam::<account>:role/<name>`: the break-glass role of the stack's account. */
export function breakGlassRoleArn(scope: IConstruct, roleName: string): string {
  return `arn:${Aws.PARTITION}:iam::${Stack.of(scope).account}:role/${roleName}`;
}

/**
 * The role CloudFormation deploys the stack with (the CDK bootstrap's execution role, or whatever the
 * stack's synthesizer names). KMS refuses a key policy that would stop its creator from changing it later
 * (the lockout safety check), and every later policy update comes from the same role: it keeps
 * kms:PutKeyPolicy, and nothing else that could destroy the key.
 */
export function deploymentRoleArn(scope: IConstruct): string {
  const stack = Stack.of(scope);
  const synthesizer = stack.synthesizer;
  const arn =
    synthesizer instanceof DefaultStackSynthesizer
      ? synthesizer.cloudFormationExecutionRoleArn
      : DefaultStackSynthesizer.DEFAULT_CLOUDFORMATION_ROLE_ARN.replace(
          // biome-ignore lint/suspicious/noTemplateCurlyInString: CDK's own placeholder, replaced literally
          '${Qualifier}',
          DefaultStackSynthesizer.DEFAULT_QUALIFIER,
        );
  // Placeholders the synthesizer leaves for an environment known only at deploy time.
  return arn.includes('${') ? Fn.sub(arn) : arn;
}

export interface KeyGuard {
  /** Role name (with path) of the break-glass role, from the stage settings. */
  readonly breakGlassRoleName: string;
}

/**
 * Adds the two Deny statements to a key's policy: disabling and scheduling deletion for everyone but the
 * break-glass role; changing the policy for everyone but the break-glass role and the deployment role.
 */
export function protectKey(key: Key, guard: KeyGuard): void {
  const breakGlass = breakGlassRoleArn(key, guard.breakGlassRoleName);
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'OnlyBreakGlassDisablesOrDeletes',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: [...KEY_DESTRUCTION_ACTIONS],
      resources: ['*'],
      conditions: { ArnNotLike: { 'aws:PrincipalArn': [breakGlass] } },
    }),
  );
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'OnlyBreakGlassOrDeploymentChangesPolicy',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: [...KEY_POLICY_CHANGE_ACTIONS],
      resources: ['*'],
      conditions: { ArnNotLike: { 'aws:PrincipalArn': [breakGlass, deploymentRoleArn(key)] } },
    }),
  );
}

import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/*
 * cdk-nag names each wildcard it finds in an IAM policy (AwsSolutions-IAM5[Resource::…]) after the
 * CloudFormation value, flattened: `<Logical.Arn>` for Fn::GetAtt, `<AWS::Region>` for Ref, joins
 * concatenated. Acknowledging a finding means spelling it the same way.
 */

type CfnValue =
  | string
  | { Ref: string }
  | { 'Fn::GetAtt': [string, string] }
  | { 'Fn::Sub': string }
  | { 'Fn::Join': [string, CfnValue[]] };

function flatten(value: CfnValue): string {
  if (typeof value === 'string') return value;
  if ('Ref' in value) return `<${value.Ref}>`;
  if ('Fn::GetAtt' in value) return `<${value['Fn::GetAtt'][0]}.${value['Fn::GetAtt'][1]}>`;
  if ('Fn::Join' in value) return value['Fn::Join'][1].map(flatten).join(value['Fn::Join'][0]);
  // The CDK asset bucket's name when the account is known only at deploy time (`cdk synth` without one).
  if ('Fn::Sub' in value && typeof value['Fn::Sub'] === 'string') {
    return value['Fn::Sub'].replace(/\$\{([^}]+)\}/g, '<$1>');
  }
  return JSON.stringify(value);
}

/** The IAM5 finding id of a resource (an ARN, possibly with tokens) in `scope`'s stack. */
export function resourceFinding(scope: IConstruct, arn: string): string {
  return `Resource::${flatten(Stack.of(scope).resolve(arn) as CfnValue)}`;
}

/** The IAM5 finding ids of every wildcard in a resolved policy document. */
export function wildcardFindings(scope: IConstruct, document: unknown): string[] {
  const resolved = Stack.of(scope).resolve(document) as {
    Statement?: { Action?: string | string[]; Resource?: CfnValue | CfnValue[] }[];
  };
  const findings = new Set<string>();
  for (const statement of resolved.Statement ?? []) {
    for (const action of [statement.Action ?? []].flat()) {
      if (action.includes('*')) findings.add(`Action::${action}`);
    }
    for (const resource of [statement.Resource ?? []].flat()) {
      const flat = flatten(resource);
      if (flat.includes('*')) findings.add(`Resource::${flat}`);
    }
  }
  return [...findings];
}

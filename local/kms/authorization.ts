import { callerOf, type Identity, identityPolicies, principalContext } from '../iam/identities';
import { accessDeniedMessage, decide, evaluate, type Policy, parsePolicy, type Request } from '../iam/policy';
import { KmsError } from './errors';
import type { AccessCheck, KmsContext } from './operations';
import type { StoredKey } from './persistence';

/*
 * KMS's authorization for one caller: the key policy, and the caller's IAM policies where the key policy
 * delegates to the account, decide each action (local/iam/policy.ts); a refusal is KMS's
 * AccessDeniedException with its message. Parsed key policies are cached per stored key version.
 */

const parsedPolicies = new WeakMap<StoredKey, Policy>();

function keyPolicy(key: StoredKey): Policy {
  let policy = parsedPolicies.get(key);
  if (!policy) {
    policy = parsePolicy(key.policy, 'resource');
    parsedPolicies.set(key, policy);
  }
  return policy;
}

export function kmsAuthorizer(
  identity: Identity,
  now: () => Date,
  onCheck: (check: AccessCheck) => void = () => undefined,
): Pick<KmsContext, 'authorize' | 'mayStillManage'> {
  const requestOf = (action: string, resource: string, context: AccessCheck['context']): Request => ({
    action,
    resource,
    caller: callerOf(identity),
    context: { ...principalContext(identity, now()), 'kms:CallerAccount': identity.accountId, ...context },
  });
  return {
    authorize(check) {
      onCheck(check);
      const request = requestOf(check.action, check.resource, check.context);
      const decision = decide(
        identityPolicies(identity),
        check.key ? keyPolicy(check.key) : undefined,
        request,
      );
      if (!decision.allowed)
        throw new KmsError('AccessDeniedException', accessDeniedMessage(request, decision));
    },
    // KMS asks whether the caller could PutKeyPolicy under the new policy, counting a statement for its
    // account as enough (the account's administrators can then grant it).
    mayStillManage(policy, keyArn) {
      const request = requestOf('kms:PutKeyPolicy', keyArn, {});
      const result = evaluate([policy], request);
      return result.deny === undefined && result.allow !== undefined;
    },
  };
}

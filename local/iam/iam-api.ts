import { type IamStore, type Identity, identityPolicies, principalContext, type Role } from './identities';
import { accessDeniedMessage, decide, type Request } from './policy';
import { QueryError, queryResponse } from './query';

/*
 * The few IAM operations a laptop needs besides what the CDK template provisions: an operator (or a test)
 * registers another OpenID Connect provider, a role that trusts it and the role's policies, through
 * @aws-sdk/client-iam, signed, and allowed by the caller's own IAM policies as IAM would.
 */

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';

type Handler = (iam: IamStore, caller: Identity, params: URLSearchParams) => string;

function authorize(iam: IamStore, caller: Identity, action: string, resource: string): void {
  const request: Request = {
    action,
    resource,
    caller: { arn: caller.arn, accountId: caller.accountId },
    context: principalContext(caller, iam.now()),
  };
  const decision = decide(identityPolicies(caller), undefined, request);
  if (!decision.allowed) throw new QueryError('AccessDenied', accessDeniedMessage(request, decision), 403);
}

const param = (params: URLSearchParams, name: string): string => {
  const value = params.get(name);
  if (!value) throw new QueryError('ValidationError', `The parameter ${name} is required`);
  return value;
};

/** `Name.member.1`, `Name.member.2`, … */
const members = (params: URLSearchParams, name: string): string[] => {
  const values: string[] = [];
  for (let i = 1; params.has(`${name}.member.${i}`); i++)
    values.push(params.get(`${name}.member.${i}`) ?? '');
  return values;
};

const existingRole = (iam: IamStore, name: string): Role => {
  const role = iam.role(name);
  if (!role) throw new QueryError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);
  return role;
};

const roleXml = (role: Role) => ({
  Path: '/',
  RoleName: role.name,
  RoleId: role.roleId,
  Arn: role.arn,
  CreateDate: new Date(0),
  AssumeRolePolicyDocument: encodeURIComponent(role.trustPolicy.text),
  MaxSessionDuration: role.maxSessionDurationSeconds,
  ...(role.description ? { Description: role.description } : {}),
});

const HANDLERS: Record<string, Handler> = {
  CreateRole(iam, caller, params) {
    const name = param(params, 'RoleName');
    authorize(iam, caller, 'iam:CreateRole', iam.roleArn(name));
    if (iam.role(name))
      throw new QueryError('EntityAlreadyExists', `Role with name ${name} already exists.`, 409);
    const role = iam.putRole({
      name,
      trustPolicy: param(params, 'AssumeRolePolicyDocument'),
      maxSessionDurationSeconds: Number(params.get('MaxSessionDuration') ?? '3600'),
      ...(params.get('Description') ? { description: params.get('Description') ?? '' } : {}),
    });
    return queryResponse('CreateRole', { Role: roleXml(role) }, IAM_NS);
  },
  GetRole(iam, caller, params) {
    const name = param(params, 'RoleName');
    authorize(iam, caller, 'iam:GetRole', iam.roleArn(name));
    return queryResponse('GetRole', { Role: roleXml(existingRole(iam, name)) }, IAM_NS);
  },
  DeleteRole(iam, caller, params) {
    const name = param(params, 'RoleName');
    authorize(iam, caller, 'iam:DeleteRole', iam.roleArn(name));
    existingRole(iam, name);
    iam.deleteRole(name);
    return queryResponse('DeleteRole', undefined, IAM_NS);
  },
  PutRolePolicy(iam, caller, params) {
    const name = param(params, 'RoleName');
    authorize(iam, caller, 'iam:PutRolePolicy', iam.roleArn(name));
    existingRole(iam, name);
    iam.putRolePolicy(name, param(params, 'PolicyName'), param(params, 'PolicyDocument'));
    return queryResponse('PutRolePolicy', undefined, IAM_NS);
  },
  DeleteRolePolicy(iam, caller, params) {
    const name = param(params, 'RoleName');
    authorize(iam, caller, 'iam:DeleteRolePolicy', iam.roleArn(name));
    if (!iam.deleteRolePolicy(name, param(params, 'PolicyName')))
      throw new QueryError('NoSuchEntity', `The role policy cannot be found.`, 404);
    return queryResponse('DeleteRolePolicy', undefined, IAM_NS);
  },
  CreateOpenIDConnectProvider(iam, caller, params) {
    const url = param(params, 'Url');
    const bare = url.replace(/^https?:\/\//, '');
    const arn = `arn:aws:iam::${iam.accountId}:oidc-provider/${bare}`;
    authorize(iam, caller, 'iam:CreateOpenIDConnectProvider', arn);
    if (iam.oidcProvider(url))
      throw new QueryError('EntityAlreadyExists', `Provider with url ${url} already exists.`, 409);
    const provider = iam.putOidcProvider(url, members(params, 'ClientIDList'));
    return queryResponse('CreateOpenIDConnectProvider', { OpenIDConnectProviderArn: provider.arn }, IAM_NS);
  },
  DeleteOpenIDConnectProvider(iam, caller, params) {
    const arn = param(params, 'OpenIDConnectProviderArn');
    authorize(iam, caller, 'iam:DeleteOpenIDConnectProvider', arn);
    if (!iam.deleteOidcProvider(arn))
      throw new QueryError('NoSuchEntity', `OpenIDConnect Provider not found for arn ${arn}`, 404);
    return queryResponse('DeleteOpenIDConnectProvider', undefined, IAM_NS);
  },
};

export const iamAction = (action: string): Handler | undefined =>
  Object.hasOwn(HANDLERS, action) ? HANDLERS[action] : undefined;

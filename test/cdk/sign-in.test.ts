import { describe, expect, it } from 'vitest';
import { asList, deployedFunctions, functionId, roleStatements, template } from './synth';

/**
 * Sign-in accounts (issue 19): the directory function alone creates them (a person added on the
 * administration screen) and disables them (a departure), on the stage's user pool only.
 */
const managesAccounts = (t: ReturnType<typeof template>, name: string) =>
  roleStatements(t, functionId(name)).filter((s) =>
    asList(s.Action).some((a) => String(a).startsWith('cognito-idp:Admin')),
  );

describe('sign-in accounts', () => {
  it('are created, put in their role group and disabled by the directory function alone, on the user pool', () => {
    const t = template();
    const [statement, ...others] = managesAccounts(t, 'directory');
    expect(others).toEqual([]);
    expect(asList(statement?.Action)).toEqual(
      expect.arrayContaining([
        'cognito-idp:AdminCreateUser',
        'cognito-idp:AdminAddUserToGroup',
        'cognito-idp:AdminDisableUser',
      ]),
    );
    expect(JSON.stringify(statement?.Resource)).toContain('UserPool');
    for (const name of Object.keys(deployedFunctions).filter((n) => n !== 'directory'))
      expect(managesAccounts(t, name), name).toEqual([]);
  });
});

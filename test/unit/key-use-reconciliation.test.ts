import { describe, expect, it } from 'vitest';
import { type KeyUse, reconcileKeyUses } from '../../lambdas/core/signing/reconciliation';

const KEY_A = 'arn:aws:kms:ap-southeast-1:111111111111:key/aaaa';
const KEY_B = 'arn:aws:kms:ap-southeast-1:111111111111:key/bbbb';
const TSA = 'arn:aws:kms:ap-southeast-1:111111111111:key/tsa';
const ROLE = 'docflow-prod-signer-session';
const session = (name: string) => `arn:aws:sts::111111111111:assumed-role/${ROLE}/${name}`;
const use = (key: string, principal: string, sessionName?: string): KeyUse => ({
  time: '2026-12-01T01:00:00Z',
  key,
  principal,
  sessionName,
});

const holderOfKey = new Map([
  [KEY_A, 'official:city-chairman'],
  [KEY_B, 'seal:ubnd-hanoi'],
]);
const authorizations = new Map([
  ['auth-1', { id: 'auth-1', holder: 'official:city-chairman', digests: ['d1', 'd2'] }],
  ['auth-2', { id: 'auth-2', holder: 'seal:ubnd-hanoi', digests: ['d3'] }],
]);
const reconcile = (uses: KeyUse[]) =>
  reconcileKeyUses({
    uses,
    holderOfKey,
    signerSessionRole: ROLE,
    authorization: (id) => authorizations.get(id),
  });

describe('reconciling key uses with authorizations', () => {
  it('explains signer sessions of an authorization, up to its number of digests, and ignores stack keys', () => {
    expect(
      reconcile([
        use(KEY_A, session('auth-1'), 'auth-1'),
        use(KEY_A, session('auth-1'), 'auth-1'),
        use(KEY_B, session('auth-2'), 'auth-2'),
        use(TSA, 'arn:aws:sts::111111111111:assumed-role/Docflow-prod-SigningFunctionRole/x', 'x'),
      ]),
    ).toEqual([]);
  });

  it('flags a personal key used by anything but a signer session, or without an authorization', () => {
    const direct = use(KEY_A, 'arn:aws:iam::111111111111:role/admin');
    const unknown = use(KEY_A, session('auth-9'), 'auth-9');
    expect(reconcile([direct, unknown]).map((u) => u.why)).toEqual([
      'not-a-signer-session',
      'no-authorization',
    ]);
  });

  it("flags a session that used another holder's key, and more signatures than the authorization lists", () => {
    const other = use(KEY_B, session('auth-1'), 'auth-1');
    const extra = [1, 2, 3].map(() => use(KEY_A, session('auth-1'), 'auth-1'));
    expect(reconcile([other, ...extra]).map((u) => u.why)).toEqual(['other-holder', 'more-than-authorized']);
  });
});

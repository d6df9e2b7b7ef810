import { describe, expect, it } from 'vitest';
import { catalogueProblems } from '../../test/support/catalogue-check';
import { delegationScreenMessages } from './delegations-texts';

describe('the delegations screen catalogue', () => {
  it('has every text in both languages, with the same parameters, unmixed', () => {
    expect(catalogueProblems(delegationScreenMessages.catalogue)).toEqual([]);
  });
});

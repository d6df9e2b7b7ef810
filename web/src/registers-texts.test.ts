import { describe, expect, it } from 'vitest';
import { catalogueProblems } from '../../test/support/catalogue-check';
import { registerScreenMessages } from './registers-texts';

describe('the register screen catalogue', () => {
  it('has every text in both languages, with the same parameters, unmixed', () => {
    expect(catalogueProblems(registerScreenMessages.catalogue)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { catalogueProblems } from '../../test/support/catalogue-check';
import { jointMessages } from './joint-texts';

describe('the joint documents catalogue', () => {
  it('has every text in both languages, with the same parameters, unmixed', () => {
    expect(catalogueProblems(jointMessages.catalogue)).toEqual([]);
  });
});

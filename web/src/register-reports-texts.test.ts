import { describe, expect, it } from 'vitest';
import { catalogueProblems } from '../../test/support/catalogue-check';
import { registerReportMessages } from './register-reports-texts';

describe('the follow-up register and statistics catalogue', () => {
  it('has every text in both languages, with the same parameters, unmixed', () => {
    expect(catalogueProblems(registerReportMessages.catalogue)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { catalogueProblems } from '../../../test/support/catalogue-check';
import { publicTranslator, publicVerifyMessages } from './texts';

describe('the public verification page catalogue', () => {
  it('has every text in both languages, with the same parameters, unmixed', () => {
    expect(catalogueProblems(publicVerifyMessages.catalogue)).toEqual([]);
  });

  it('renders its parameters', () => {
    expect(publicTranslator('en')('fileHint', { size: 50 })).toBe('At most 50 MB.');
    expect(publicTranslator('vi')('idMatches', { id: 'abc' })).toBe('Tệp này đúng là văn bản có mã abc.');
  });
});

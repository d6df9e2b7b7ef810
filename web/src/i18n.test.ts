import { describe, expect, it } from 'vitest';
import { catalogueProblems } from '../../test/support/catalogue-check';
import { labels, translator, webMessages } from './i18n';

/* The web's texts hold to the same rules as the server's messages (test/unit/messages.test.ts). */

describe('the web catalogue', () => {
  it('has every text in both languages, with the same parameters, unmixed', () => {
    expect(
      catalogueProblems(webMessages.catalogue, {
        vietnameseInEnglish: {
          switchLanguage: 'the switch to Vietnamese is labelled in Vietnamese',
          switchLanguageLabel: 'the switch to Vietnamese is labelled in Vietnamese',
        },
        notVietnamese: {
          appName: 'the product’s name',
          nextPage: 'Vietnamese without diacritics (“Trang sau”)',
          switchLanguage: 'the switch to English is labelled in English',
          switchLanguageLabel: 'the switch to English is labelled in English',
        },
      }),
    ).toEqual([]);
    expect(webMessages.codes.length).toBeGreaterThan(300);
  });

  it('renders through the one render function, domain names included', () => {
    expect(translator('en')('pageInfo', { page: 2, count: 50, total: 120 })).toBe(
      'Page 2 · 50/120 documents',
    );
    expect(labels('vi').state('SUBMITTED_TO_SIGNER')).toBe('Chờ ký');
    expect(labels('en').docType('cong-van')).toBe('Official letter');
    expect(labels('en').state('SOME_NEW_STATE')).toBe('SOME_NEW_STATE');
    expect(labels('vi').role(undefined)).toBe('—');
  });
});

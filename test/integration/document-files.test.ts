import { describe, expect, it } from 'vitest';
import { api, login, stateFingerprint } from '../support/api';
import { VIETNAMESE_LETTER } from '../support/catalogue-check';
import { post } from '../support/flow';

/**
 * A document's files besides its PDF (issue #17): what may not enter the system at all, attachments, Word
 * drafts, archive timestamps. Against the local stack.
 */

describe('secret documents stay out', () => {
  it('a draft declared Mật, Tối mật or Tuyệt mật is refused with the rule, in both languages, and nothing is stored', async () => {
    const token = await login('city-specialist');
    const before = await stateFingerprint();
    for (const [classification, level] of [
      ['secret', /Mật|Secret/],
      ['top-secret', /Tối mật|Top secret/],
      ['most-secret', /Tuyệt mật|Most secret/],
    ] as const) {
      for (const language of ['vi', 'en'] as const) {
        const response = await api<{ error: { code: string; message: string } }>('POST', '/api/documents', {
          token,
          headers: { 'accept-language': language },
          body: {
            title: 'Về kế hoạch bảo vệ mục tiêu quan trọng (văn bản mật)',
            docType: 'ke-hoach',
            classification,
          },
        });
        expect(response.status, `${classification} ${language}`).toBe(422);
        expect(response.body.error.code).toBe('document_secret_refused');
        const message = response.body.error.message;
        expect(message).toMatch(level);
        if (language === 'vi') expect(message).toMatch(/bí mật nhà nước/);
        else {
          expect(message).toMatch(/state secrets/);
          expect(message).not.toMatch(VIETNAMESE_LETTER);
        }
        // The refusal quotes nothing of the document.
        expect(message).not.toMatch(/mục tiêu/);
      }
    }
    expect(await stateFingerprint()).toBe(before);
  });

  it('a draft declared not classified, or not declaring (the API default), is started as before', async () => {
    const declared = await post('city-specialist', '/api/documents', {
      title: 'Về việc tổ chức hội nghị sơ kết',
      docType: 'cong-van',
      classification: 'none',
    });
    expect(declared.upload.method).toBe('PUT');
    const undeclared = await post('city-specialist', '/api/documents', {
      title: 'Về việc tổ chức hội nghị tổng kết',
      docType: 'cong-van',
    });
    expect(undeclared.upload.method).toBe('PUT');
  });

  it('an unknown classification is a 400 naming the field', async () => {
    const response = await api<{ error: { code: string; message: string } }>('POST', '/api/documents', {
      token: await login('city-specialist'),
      body: { title: 'Một văn bản', docType: 'cong-van', classification: 'mat' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/classification/);
  });
});

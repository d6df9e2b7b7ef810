import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pemDecodeAll } from '../../lambdas/core/pki/asn1';
import { api, login, stateFingerprint } from '../support/api';
import { VIETNAMESE_LETTER } from '../support/catalogue-check';
import { get, issueAs, post, signAs, type View } from '../support/flow';
import { nssDbTrusting, pdfsig, requireTool, tempDir } from '../support/pdf-tools';
import { uploadTo } from '../support/upload';

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
    expect(declared.upload.method).toBe('POST');
    const undeclared = await post('city-specialist', '/api/documents', {
      title: 'Về việc tổ chức hội nghị tổng kết',
      docType: 'cong-van',
    });
    expect(undeclared.upload.method).toBe('POST');
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

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'word');
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Starts a Word draft and uploads the file; returns the draft's id. */
async function wordDraft(bytes: Uint8Array, title: string): Promise<string> {
  const created = await post('city-specialist', '/api/documents', {
    title,
    docType: 'quyet-dinh',
    format: 'docx',
    classification: 'none',
  });
  expect(created.upload.fields['Content-Type']).toBe(DOCX_TYPE);
  const put = await uploadTo(created.upload, bytes);
  expect(put.ok).toBe(true);
  return created.id as string;
}

async function fileOf(id: string, userId: string): Promise<Uint8Array> {
  const { url } = await get(userId, `/api/documents/${id}/file?redirect=false`);
  return new Uint8Array(await (await fetch(url)).arrayBuffer());
}

describe('Word drafts', () => {
  it('a Decree 30 decision drafted in Word is converted with LibreOffice, signed, issued, and valid in pdfsig and in docflow', async () => {
    // The real converter: LibreOffice (Debian's libreoffice-writer-nogui), which .ci/run installs.
    requireTool('soffice');
    requireTool('pdftotext');
    const docx = new Uint8Array(readFileSync(join(FIXTURES, 'quyet-dinh-d30.docx')));
    const id = await wordDraft(docx, 'Về việc tổ chức Tết Nguyên đán Bính Ngọ 2026');
    const recorded = await post('city-specialist', `/api/documents/${id}/content`);
    const doc = recorded.document;
    expect(doc.state).toBe('DRAFT');
    // The Word file is kept beside the PDF as its source, under its own hash.
    expect(doc.source).toMatchObject({
      format: 'docx',
      sha256: createHash('sha256').update(docx).digest('hex'),
      size: docx.length,
    });
    // The file asks for Times New Roman: reported missing exactly when fontconfig here lacks it.
    const installed = new Set(
      execFileSync('fc-list', [':', 'family'], { encoding: 'utf8' })
        .toLowerCase()
        .split(/[\n,]/)
        .map((f) => f.trim()),
    );
    expect(doc.source.missingFonts.includes('Times New Roman')).toBe(!installed.has('times new roman'));
    for (const font of doc.source.missingFonts) expect(installed.has(font.toLowerCase()), font).toBe(false);

    // The PDF reviewed and signed is the conversion: the D30 header, the table and the signature block,
    // Vietnamese intact.
    const dir = tempDir();
    const draftFile = join(dir, 'draft.pdf');
    writeFileSync(draftFile, await fileOf(id, 'city-specialist'));
    const text = execFileSync('pdftotext', ['-layout', draftFile, '-'], { encoding: 'utf8' });
    for (const line of [
      'ỦY BAN NHÂN DÂN',
      'Độc lập - Tự do - Hạnh phúc',
      'QUYẾT ĐỊNH',
      'Bắn pháo hoa đêm Giao thừa',
      'Sở Văn hóa và Thể thao',
      'Nơi nhận:',
      'Trần Sỹ Thanh',
    ])
      expect(text).toContain(line);

    await post('city-specialist', `/api/documents/${id}/submit`);
    await post('city-chairman', `/api/documents/${id}/approve`, { signerId: 'city-vice-chairman' });
    await signAs('city-vice-chairman', id, { capacity: 'KT', onBehalfOfCollective: true });
    const issued = await issueAs('city-clerk', id);
    expect(issued.state).toBe('ISSUED');

    const issuedFile = join(dir, 'issued.pdf');
    writeFileSync(issuedFile, await fileOf(id, 'city-clerk'));
    const roots = await api<string>('GET', '/api/pki/roots');
    const { signatures } = pdfsig(issuedFile, nssDbTrusting(pemDecodeAll(roots.body, 'CERTIFICATE')));
    expect(signatures).toHaveLength(2);
    for (const s of signatures) {
      expect(s.signatureValid, s.block).toBe(true);
      expect(s.certificateTrusted, s.block).toBe(true);
    }
    const verification = await api<View>('GET', `/api/documents/${id}/verification`, {
      token: await login('city-auditor'),
    });
    expect(verification.status).toBe(200);
    expect(verification.body.problems).toEqual([]);
    expect(verification.body.verdict).toBe('valid');
    // The source is still recorded on the issued document.
    expect((await get('city-clerk', `/api/documents/${id}`)).document.source.sha256).toBe(doc.source.sha256);
  });

  it('a file that is not Word is refused with a clear message in both languages, and the draft stays as it was', async () => {
    const id = await wordDraft(new TextEncoder().encode('Đây không phải là tệp Word.'), 'Tệp Word hỏng');
    for (const language of ['vi', 'en'] as const) {
      const response = await api<{ error: { code: string; message: string } }>(
        'POST',
        `/api/documents/${id}/content`,
        { token: await login('city-specialist'), headers: { 'accept-language': language } },
      );
      expect(response.status).toBe(422);
      expect(response.body.error.code).toBe('word_not_word');
      expect(response.body.error.message).toMatch(
        language === 'vi' ? /không phải tệp \.docx/ : /not a valid \.docx/,
      );
    }
    // Still only a pending upload: no document was recorded.
    const view = await api<View>('GET', `/api/documents/${id}`, { token: await login('city-specialist') });
    expect(view.body.document).toBeUndefined();
  });
});

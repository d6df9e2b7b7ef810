import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { DomainError } from '../../lambdas/core/errors';
import { authenticatorMessages } from '../../lambdas/core/i18n/authenticators';
import { defineMessages, list, machineForms, text } from '../../lambdas/core/i18n/catalogue';
import { classificationMessages } from '../../lambdas/core/i18n/classification';
import { delegationMessages } from '../../lambdas/core/i18n/delegations';
import { documentFilesMessages } from '../../lambdas/core/i18n/document-files';
import { exchangeMessages } from '../../lambdas/core/i18n/exchange';
import { issueMessage, messages, renderError } from '../../lambdas/core/i18n/messages';
import { notificationMessages } from '../../lambdas/core/i18n/notifications';
import { problemPair, problemRef, problems, problemText } from '../../lambdas/core/i18n/problems';
import { auditRefusals, reports } from '../../lambdas/core/i18n/reports';
import { signatureImageMessages } from '../../lambdas/core/i18n/signature-images';
import { webhookMessages } from '../../lambdas/core/i18n/webhooks';
import { parseInput } from '../../lambdas/http/validation';
import { catalogueProblems, VIETNAMESE_LETTER } from '../support/catalogue-check';

/*
 * One mechanism for text shown to people (lambdas/core/i18n): every message in both languages, unmixed;
 * every code the server throws exists; no "vi / en" string or inline {vi, en} pair is left in lambdas/;
 * the verifier's problems all have their message. The web's catalogue has the same check (web/src).
 */

const ROOT = join(import.meta.dirname, '../..');

function sources(dir: string): { path: string; text: string }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [{ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }] : [];
  });
}

const lambdas = sources(join(ROOT, 'lambdas'));
/** Documents meant for both audiences at once: the printed audit report and the evidence package's README. */
const BILINGUAL_DOCUMENTS = ['lambdas/core/audit/report-html.ts', 'lambdas/core/audit/evidence-format.ts'];
const withoutComments = (source: string) =>
  source
    .split('\n')
    .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
    .join('\n');

describe('the server catalogue', () => {
  it('has every message in both languages, with the same parameters, unmixed', () => {
    // The messages every function carries, the audit reports' (with the problems they quote), the audit
    // routes' refusals, the activation function's, the signature images', the problems.
    for (const catalogue of [
      messages,
      reports,
      auditRefusals,
      authenticatorMessages,
      signatureImageMessages,
      delegationMessages,
      exchangeMessages,
      documentFilesMessages,
      classificationMessages,
      notificationMessages,
      webhookMessages,
    ])
      expect(catalogueProblems(catalogue.catalogue)).toEqual([]);
    expect(catalogueProblems(problems.catalogue)).toEqual([]);
    expect(messages.codes.length).toBeGreaterThan(150);
  });

  it('keeps each code in one catalogue', () => {
    const all = [
      messages,
      reports,
      auditRefusals,
      authenticatorMessages,
      signatureImageMessages,
      delegationMessages,
      exchangeMessages,
      documentFilesMessages,
      classificationMessages,
      notificationMessages,
    ].flatMap((catalogue) => catalogue.codes as readonly string[]);
    expect(all.filter((code, i) => all.indexOf(code) !== i)).toEqual([]);
  });

  it('catches what it should: a missing text, other parameters, a mixed or an untranslated text', () => {
    expect(
      catalogueProblems({
        a: { vi: 'Không tìm thấy {what}.', en: '' },
        b: { vi: 'Không tìm thấy {what}.', en: 'Could not find {thing}.' },
        c: { vi: 'Dữ liệu không hợp lệ: the deadline has passed', en: 'Invalid input' },
        d: { vi: 'Document not found', en: 'Document not found' },
        e: { vi: 'văn bản', en: 'văn bản / document' },
        f: { vi: '{a}; {b}', en: '{a}; {b}' },
      }),
    ).toEqual([
      'a: no English',
      'b: parameters differ (vi {what}, en {thing})',
      'c: English ("the") in the Vietnamese text: Dữ liệu không hợp lệ: the deadline has passed',
      'd: the Vietnamese text is not Vietnamese: Document not found',
      'd: English ("not") in the Vietnamese text: Document not found',
      'e: Vietnamese letters in the English text: văn bản / document',
    ]);
  });

  it('knows every code the server throws or renders, in the catalogue that renders it', () => {
    // What names a code, and the catalogue it must be in: a DomainError made directly renders from the
    // messages every function carries; the helpers of the other catalogues render from theirs.
    const callers = [
      [
        'new DomainError|messageText|renderMessage|invalid|forbidden|issueMessage|messages\\.(?:render|both)',
        messages,
      ],
      ["reportText|reports\\.(?:render|both)|(?:add|problem)\\('[a-z-]+',", reports],
      ['auditRefusal', auditRefusals],
      ['authenticatorError|authenticatorText', authenticatorMessages],
      ['signatureImageError', signatureImageMessages],
      ['delegationError', delegationMessages],
      ['exchangeError', exchangeMessages],
      ['documentFilesError|documentFilesText', documentFilesMessages],
      ['classificationError|classificationText', classificationMessages],
    ] as const;
    const uses = callers.flatMap(([call, catalogue]) =>
      lambdas.flatMap(({ path, text: source }) =>
        [...source.matchAll(new RegExp(`\\b(?:${call})\\(?\\s*'([a-z_]+)'`, 'g'))].map((m) => ({
          path,
          code: m[1] as string,
          known: catalogue.has(m[1] as string),
        })),
      ),
    );
    expect(uses.length).toBeGreaterThan(150);
    expect(uses.filter(({ known }) => !known)).toEqual([]);
    for (const catalogue of [
      auditRefusals,
      authenticatorMessages,
      signatureImageMessages,
      delegationMessages,
      documentFilesMessages,
      classificationMessages,
    ])
      expect(catalogue.codes.filter((code) => !uses.some((use) => use.code === code))).toEqual([]);
    // Codes built from a prefix (`outgoing_cannot_${…}`, `report_verdict_${…}`) have every member.
    for (const prefix of ['report_verdict_', 'label_outgoing_state_', 'revocation_reason_'])
      expect(messages.codes.filter((c) => c.startsWith(prefix)).length, prefix).toBeGreaterThan(2);
    for (const prefix of ['audit_role_', 'audit_file_'])
      expect(reports.codes.filter((c) => c.startsWith(prefix)).length, prefix).toBeGreaterThan(2);
  });

  it('leaves no "vi / en" string and no inline {vi, en} pair in lambdas/', () => {
    const mixed =
      /['"`][^'"`\n]*[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ][^'"`\n]* \/ [A-Za-z]/iu;
    const inlinePair = /\bvi:\s*['"`]/;
    const found = lambdas
      .filter(({ path }) => !path.startsWith('lambdas/core/i18n/') && !BILINGUAL_DOCUMENTS.includes(path))
      .flatMap(({ path, text: source }) =>
        withoutComments(source)
          .split('\n')
          .filter((line) => mixed.test(line) || inlinePair.test(line))
          .map((line) => `${path}: ${line.trim()}`),
      );
    expect(found).toEqual([]);
  });
});

describe('rendering', () => {
  const sample = defineMessages({
    greet: { vi: 'Chào {who}.', en: 'Hello {who}.' },
    friend: { vi: 'bạn {name}', en: 'friend {name}' },
    or: { vi: '{a} hoặc {b}', en: '{a} or {b}' },
  });

  it('renders parameters that are messages, lists and pairs in the language of the message around them', () => {
    const who = text('friend', { name: 'An' });
    expect(sample.render('greet', 'vi', { who })).toBe('Chào bạn An.');
    expect(sample.render('greet', 'en', { who })).toBe('Hello friend An.');
    const either = list('or', [who, { vi: 'cô Lan', en: 'Ms Lan' }, 'Bình']);
    expect(sample.render('greet', 'vi', { who: either })).toBe('Chào bạn An hoặc cô Lan hoặc Bình.');
    expect(sample.render('greet', 'en', { who: either })).toBe('Hello friend An or Ms Lan or Bình.');
    expect(sample.render('greet', 'en')).toBe('Hello {who}.');
    expect(sample.both('greet', { who: 3 })).toEqual({ vi: 'Chào 3.', en: 'Hello 3.' });
  });

  it('reads English machine forms back into their message, nested ones too', () => {
    const read = machineForms(sample, ['greet', 'friend']);
    expect(read('Hello friend An.')).toEqual({ code: 'greet', params: { who: 'friend An' } });
    expect(read('Hello.')).toBeUndefined();
    const nested = 'tree head signing certificate: "Root" is not valid at 2026-01-01T00:00:00.000Z';
    expect(problemText(nested, 'vi')).toBe(
      'chứng thư ký bản ghi đầu cây: chứng thư “Root” không có hiệu lực tại thời điểm 2026-01-01T00:00:00.000Z',
    );
    expect(problemText(nested, 'en')).toBe(nested);
  });

  it('renders a domain error wholly in the caller’s language, reasons and details included', () => {
    const errors = [
      new DomainError('forbidden', 403, { reason: text('reason_administrators_only') }),
      new DomainError('not_found', 404, { what: text('what_user', { id: 'city-clerk' }) }),
      new DomainError('validation_failed', 422, {
        detail: text('invalid_deadline_passed', { deadline: '2026-01-04' }),
      }),
      new DomainError('certificate_rejected', 400, {
        detail: list('join_semicolon', [problemPair('chain does not reach a trust anchor')]),
      }),
    ];
    for (const e of errors) {
      const vi = renderError(e, 'vi');
      const en = renderError(e, 'en');
      expect(en, en).not.toMatch(VIETNAMESE_LETTER);
      expect(vi, vi).toMatch(VIETNAMESE_LETTER);
      expect(vi, vi).not.toMatch(/\b(the|only|has|not|does)\b/);
    }
    expect(renderError(errors[0] as DomainError, 'en')).toBe(
      'You may not do this: only administrators may do this.',
    );
  });

  it('renders validation failures in one language, zod’s issues and ours alike', () => {
    // A schema of ours with a custom issue, and a field zod itself refuses.
    const schema = z.object({
      title: z.string(),
      rank: z
        .string()
        .superRefine((_, ctx) =>
          ctx.addIssue({ code: 'custom', ...issueMessage('invalid_leader_needs_rank') }),
        ),
    });
    const failure = (language: 'vi' | 'en') => {
      try {
        parseInput(schema, { title: 42, rank: 'head' }, language);
      } catch (error) {
        return error as DomainError;
      }
      throw new Error('accepted');
    };
    for (const language of ['vi', 'en'] as const) {
      const e = failure(language);
      // Whatever language the request came in, the error renders in either, wholly.
      expect(renderError(e, 'en')).not.toMatch(VIETNAMESE_LETTER);
      expect(renderError(e, 'vi')).toMatch(/^Dữ liệu không hợp lệ: title: .*[ư].*; rank: lãnh đạo/);
    }
  });
});

describe('the verifier’s problems', () => {
  /** The literals where a module reports a problem: `problems.push(…)`, `problems: […]`, `fail(…, '…')`. */
  function reportedLiterals(source: string, call: RegExp): string[] {
    const found: string[] = [];
    for (const match of source.matchAll(call)) {
      let i = (match.index ?? 0) + match[0].length;
      let depth = 1;
      while (i < source.length && depth > 0) {
        const c = source[i];
        if (c === "'" || c === '`') {
          const [literal, end] = readLiteral(source, i);
          if (/ /.test(literal)) found.push(literal);
          i = end;
          continue;
        }
        if (c === '(' || c === '[') depth += 1;
        if (c === ')' || c === ']') depth -= 1;
        i += 1;
      }
    }
    return found;
  }

  /** A string or template literal starting at `start`, with each `${…}` as `X`; and where it ends. */
  function readLiteral(source: string, start: number): [string, number] {
    const quote = source[start];
    let out = '';
    let i = start + 1;
    while (i < source.length && source[i] !== quote) {
      if (source[i] === '\\') {
        out += source[i + 1];
        i += 2;
      } else if (quote === '`' && source.startsWith('${', i)) {
        let depth = 1;
        i += 2;
        while (depth > 0 && i < source.length) {
          if (source[i] === '`') i = readLiteral(source, i)[1] - 1;
          else if (source[i] === '{') depth += 1;
          else if (source[i] === '}') depth -= 1;
          i += 1;
        }
        out += 'X';
      } else {
        out += source[i];
        i += 1;
      }
    }
    return [out, i + 1];
  }

  const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
  const treeHead = read('lambdas/core/transparency/tree-head.ts');
  const reported = [
    ...['lambdas/core/pki/trust.ts', 'lambdas/core/cms/verify.ts', 'lambdas/core/pdf/verify.ts'].flatMap(
      (p) => reportedLiterals(read(p), /problems\.push\(|problems: \[/g),
    ),
    // verifyTreeHead's problems reach the audit; the proof checks after it are the CLI's own.
    ...reportedLiterals(
      treeHead.slice(
        treeHead.indexOf('export function verifyTreeHead'),
        treeHead.indexOf('export function verifyInclusionProof'),
      ),
      /problems\.push\(/g,
    ),
    ...reportedLiterals(read('lambdas/core/log/chain.ts'), /\bfail\(/g),
    ...reportedLiterals(read('lambdas/core/signing/assertion.ts'), /problems\.push\(/g),
  ];

  it('every problem the verifier and the log check can report has its message', () => {
    expect(reported.length).toBeGreaterThan(35);
    expect(reported.filter((p) => typeof problemRef(p) === 'string')).toEqual([]);
  });

  it('every problem message is one the verifier or the log check reports', () => {
    const codes = new Set(reported.map((p) => (problemRef(p) as { code: string }).code));
    expect(problems.codes.filter((c) => !codes.has(c))).toEqual([]);
  });

  it('reads back to exactly what the verifier wrote, in English', () => {
    for (const p of reported) expect(problemText(p, 'en')).toBe(p);
  });
});

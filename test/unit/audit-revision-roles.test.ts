import { describe, expect, it } from 'vitest';
import { revisionsNamedBy } from '../../lambdas/core/audit/checks';
import { reports } from '../../lambdas/core/i18n/reports';

describe('the roles of a document’s versions in its audit', () => {
  it('an archive timestamp (on archiving, then each renewal) is a version of its own kind, named in both languages', () => {
    const sha = (n: number) => String(n).repeat(64);
    const events = [
      { seq: 1, hash: 'h1', type: 'created', documentSha256: sha(1) },
      { seq: 2, hash: 'h2', type: 'signed', documentSha256: sha(2) },
      { seq: 3, hash: 'h3', type: 'issued', documentSha256: sha(3) },
      { seq: 4, hash: 'h4', type: 'sent', documentSha256: sha(3) },
      { seq: 5, hash: 'h5', type: 'archived', documentSha256: sha(4) },
      { seq: 6, hash: 'h6', type: 'archive-renewed', documentSha256: sha(5) },
    ];
    expect(revisionsNamedBy(events).map((r) => r.role)).toEqual([
      'draft',
      'signed',
      'issued',
      'archived',
      'archived',
    ]);
    expect(reports.render('audit_role_archived', 'vi')).toBe('lưu trữ (dấu thời gian lưu trữ)');
    expect(reports.render('audit_role_archived', 'en')).toBe('archived (archive timestamp)');
  });
});

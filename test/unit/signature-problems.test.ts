import { describe, expect, it } from 'vitest';
import { InMemorySigner } from '../../lambdas/core/crypto/in-memory-signer';
import { problemText } from '../../lambdas/core/i18n/problems';
import { signPdf } from '../../lambdas/core/pdf/sign';
import { verifyPdf } from '../../lambdas/core/pdf/verify';
import { CertificateAuthority } from '../../lambdas/core/pki/certificate-authority';
import { TrustStore } from '../../lambdas/core/pki/trust';
import { draftDecision } from '../fixtures/documents';
import { cityPki } from '../support/pki-fixtures';

const DAY = 24 * 3600_000;
const problemInVietnamese = (problem: string) => problemText(problem, 'vi');

describe('signature problems in Vietnamese', () => {
  it('renders what the verifier really reports for a tampered file and an unknown root', async () => {
    const pki = await cityPki();
    const who = pki.officials.chairDeputy;
    const signed = await signPdf({
      pdf: await draftDecision(1),
      signer: who.signer,
      certificateChain: who.chain,
      revocation: 'checked-by-caller',
      timestamp: pki.tsa.provider(),
      reason: 'Ký ban hành',
      signingTime: new Date(),
    });
    // A byte flipped inside the signed range, and a trust store that does not hold the city root.
    const tampered = signed.slice();
    const at = new TextDecoder('latin1').decode(tampered).indexOf('/Type /Page');
    tampered[at + 2] = (tampered[at + 2] ?? 0) ^ 0x01;
    const other = await CertificateAuthority.createRoot({
      signer: InMemorySigner.generate('other-root'),
      subject: { commonName: 'Another root', country: 'VN' },
      validity: { notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + DAY) },
    });
    const problems = [
      ...(await verifyPdf(tampered, { trust: pki.trust })).signatures.flatMap((s) => s.problems),
      ...(await verifyPdf(signed, { trust: new TrustStore([other.certificate]) })).signatures.flatMap(
        (s) => s.problems,
      ),
    ];
    expect(problems).toContain('the message digest does not match the signed content');
    expect(problems.length).toBeGreaterThan(1);
    for (const problem of problems) {
      const vi = problemInVietnamese(problem);
      expect(vi, problem).not.toBe(problem);
      expect(vi, problem).toMatch(/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/u);
    }
  });

  it('keeps names, times and reasons, and leaves what it does not know as it is', () => {
    expect(
      problemInVietnamese('"Nguyễn Văn An" was revoked at 2026-01-05T02:30:00.000Z (affiliationChanged)'),
    ).toBe('chứng thư “Nguyễn Văn An” đã bị thu hồi lúc 2026-01-05T02:30:00.000Z (affiliationChanged)');
    expect(problemText('the byte range is malformed', 'en')).toBe('the byte range is malformed');
    expect(problemInVietnamese('something new')).toBe('something new');
  });
});

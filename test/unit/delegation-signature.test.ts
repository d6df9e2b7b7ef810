import { describe, expect, it } from 'vitest';
import { delegationRecord, signPdf } from '../../lambdas/core/pdf/sign';
import { verifyPdf } from '../../lambdas/core/pdf/verify';
import { draftDecision } from '../fixtures/documents';
import { cityPki } from '../support/pki-fixtures';

/*
 * A TL./TUQ. signature records the delegation it relies on in its signature dictionary (covered by the
 * signature), and the verifier reports it with the capacity, in the report and its summary (issue 17).
 */

const delegation = {
  id: 'del-tl-1',
  kind: 'TL',
  orgId: 'ubnd-hanoi',
  grantedBy: 'city-chairman',
  delegateId: 'vp-chief',
  basis: 'Quy chế làm việc, Quyết định 15/QĐ-UBND',
  validFrom: '2026-01-01T00:00:00.000Z',
  validUntil: '2027-01-01T00:00:00.000Z',
  documentTypeIds: ['cong-van'],
} as const;

describe('a delegated signature', () => {
  it('carries its delegation, which the verifier reports with the capacity', async () => {
    const pki = await cityPki();
    const who = pki.officials.chairDeputy;
    const signed = await signPdf({
      pdf: await draftDecision(1),
      signer: who.signer,
      certificateChain: who.chain,
      revocation: 'checked-by-caller',
      reason: 'Ký thừa lệnh',
      signingTime: new Date(),
      capacity: 'TL.',
      delegation: delegationRecord({ ...delegation, documentTypeIds: [...delegation.documentTypeIds] }),
    });
    const report = await verifyPdf(signed, { trust: pki.trust });
    expect(report.verdict).toBe('valid');
    expect(report.signatures[0]).toMatchObject({ capacity: 'TL.', delegation });
    expect(report.summary.vi).toContain('(TL., được giao theo Quy chế làm việc, Quyết định 15/QĐ-UBND)');
    expect(report.summary.en).toContain('(TL., under Quy chế làm việc, Quyết định 15/QĐ-UBND)');
  }, 60_000);

  it('reports none for a signature without one, and keeps only the recorded fields', async () => {
    const pki = await cityPki();
    const who = pki.officials.chairDeputy;
    const plain = await signPdf({
      pdf: await draftDecision(1),
      signer: who.signer,
      certificateChain: who.chain,
      revocation: 'checked-by-caller',
      reason: 'Ký',
      signingTime: new Date(),
    });
    expect((await verifyPdf(plain, { trust: pki.trust })).signatures[0]?.delegation).toBeNull();
    expect(
      JSON.parse(delegationRecord({ ...delegation, documentTypeIds: undefined, extra: 1 } as never)),
    ).toEqual({ ...delegation, documentTypeIds: undefined });
  }, 60_000);
});

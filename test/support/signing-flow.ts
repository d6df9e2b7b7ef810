import { sealPlacementOver } from '../../lambdas/core/pdf/appearance';
import { signPdf } from '../../lambdas/core/pdf/sign';
import { addIssueFields, stampIssueNumber } from '../../lambdas/core/pdf/stamp';
import { blueSignaturePng, DATE_BOX, draftDecision, NUMBER_BOX, SIGNATURE_BOX } from '../fixtures/documents';
import type { CityPki, Identity } from './pki-fixtures';

export const SIGNING_TIME = new Date(Date.now() - 3600_000);

/** The D30 chain: leader's personal signature (KT.) → number stamped → seal → receiving acknowledgement. */
export async function signingChain(
  pki: CityPki,
  pages: number,
  official: Identity = pki.officials.chairDeputy,
): Promise<{
  draft: Uint8Array;
  personal: Uint8Array;
  stamped: Uint8Array;
  sealed: Uint8Array;
  acknowledged: Uint8Array;
}> {
  const last = pages - 1;
  const draft = await addIssueFields(await draftDecision(pages), {
    number: { page: 0, ...NUMBER_BOX },
    date: { page: 0, ...DATE_BOX },
  });
  const personalBox = { page: last, ...SIGNATURE_BOX };
  const tsa = pki.tsa.provider();
  const personal = await signPdf({
    pdf: draft,
    signer: official.signer,
    certificateChain: official.chain,
    revocation: 'checked-by-caller',
    timestamp: tsa,
    reason: 'Ký ban hành Quyết định',
    location: 'Hà Nội',
    signingTime: SIGNING_TIME,
    capacity: 'KT.',
    kind: 'personal',
    appearance: {
      placement: personalBox,
      visual: {
        kind: 'personal',
        capacityLines: ['KT. Chủ tịch', 'Phó Chủ tịch'],
        name: 'Nguyễn Văn An',
        signatureImage: blueSignaturePng(),
      },
    },
  });
  const stamped = await stampIssueNumber(personal, {
    number: { text: 'Số: 15/QĐ-UBND', size: 13, align: 'center' },
    date: { text: 'Hà Nội, ngày 05 tháng 01 năm 2026', size: 13, style: 'italic', align: 'center' },
  });
  const seal = pki.officials.cityPeoplesCommittee;
  const sealed = await signPdf({
    pdf: stamped,
    signer: seal.signer,
    certificateChain: seal.chain,
    revocation: 'checked-by-caller',
    timestamp: tsa,
    reason: 'Phát hành văn bản',
    location: 'Hà Nội',
    signingTime: new Date(SIGNING_TIME.getTime() + 60_000),
    kind: 'organisation',
    appearance: {
      placement: sealPlacementOver(personalBox),
      visual: { kind: 'seal', organisationName: 'Ủy ban nhân dân thành phố Hà Nội' },
    },
  });
  const receiver = pki.officials.receivingDepartment;
  const acknowledged = await signPdf({
    pdf: sealed,
    signer: receiver.signer,
    certificateChain: receiver.chain,
    revocation: 'checked-by-caller',
    timestamp: tsa,
    reason: 'Xác nhận đã nhận văn bản',
    signingTime: new Date(SIGNING_TIME.getTime() + 120_000),
    kind: 'acknowledgement',
    appearance: {
      placement: { page: 0, anchor: 'top-right', width: 190, height: 26, margin: 10 },
      visual: {
        kind: 'text',
        lines: [
          { text: 'Sở Tài chính thành phố Hà Nội', size: 10 },
          { text: 'Đã nhận: 2026-01-06T08:15:00+07:00', size: 10 },
        ],
      },
    },
  });
  return { draft, personal, stamped, sealed, acknowledged };
}

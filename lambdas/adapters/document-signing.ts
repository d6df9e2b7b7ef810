import { signDetachedCades } from '../core/cms/cades';
import type { Person } from '../core/domain/directory';
import { jointError } from '../core/i18n/joint';
import {
  checkSignedSize,
  MAX_SIGNED_PDF_BYTES,
  MAX_UPLOAD_PDF_BYTES,
  MAX_VERIFIED_PDF_BYTES,
} from '../core/limits';
import { attachmentStamp, isoVietnam, sealPlacementOver } from '../core/pdf/appearance';
import { issueStamp } from '../core/pdf/issue';
import { readLayout } from '../core/pdf/layout';
import { addValidationData } from '../core/pdf/ltv';
import { readPages } from '../core/pdf/pages';
import { ISSUE_FIELDS_LAYOUT, type Placement, signaturePlacement } from '../core/pdf/placement';
import { delegationRecord, signPdf } from '../core/pdf/sign';
import { prepareForSignature } from '../core/pdf/stamp';
import { verifyPdf } from '../core/pdf/verify';
import { TrustStore } from '../core/pki/trust';
import { jointSignatureSpot } from '../core/placement/joint';
import { type DraftPlacement, proposePlacement, sealOver } from '../core/placement/placement';
import type { DigestSigner } from '../core/ports/signer';
import type { DocumentSigning, SignatureCheck, SignatureValue, SignedPdf } from '../ports/signing';
import {
  certificateSha256,
  crlsFor,
  currentCrl,
  officialCredential,
  rootCrl,
  sealCredential,
  timestampAuthority,
  trustAnchorsPem,
} from './city-pki';
import { currentSignatureImage } from './directory-store';
import { readSignatureImage } from './file-store';

/*
 * PAdES with keys in KMS: each signature is B-T (the city TSA's timestamp), followed by a DSS update with
 * the chain and the CRL (B-LT), so the signature can be checked offline years later.
 *
 * Layout: core/pdf/placement.ts.
 *
 * Memory: every step (page lookups, issue fields, number stamp, signatures, DSS) reads the document lazily
 * and appends its update; nothing parses the whole file. The port passes bytes, so a step still holds its
 * input and its output: a few times the file's size, well within the function's memory for a 64 MiB upload.
 *
 * Sizes (core/limits.ts): a draft is read up to the upload limit; every later step reads up to the signing
 * limit, and each result is checked against it, so whatever this signs the verifier accepts.
 */

async function signatureBox(pdf: Uint8Array): Promise<Placement> {
  return signaturePlacement(await readPages(pdf, { maxBytes: MAX_SIGNED_PDF_BYTES }));
}

/**
 * The draft as the leader signs it: the number and date fields where its placement puts them (the default
 * layout for a draft without one), after a new blank final page when the signature goes there.
 */
async function readyToSign(pdf: Uint8Array, placement: DraftPlacement | undefined): Promise<Uint8Array> {
  const pages = await readPages(pdf, { maxBytes: MAX_SIGNED_PDF_BYTES });
  const layout = placement ? { number: placement.number, date: placement.date } : ISSUE_FIELDS_LAYOUT;
  const newPage = placement !== undefined && placement.signature.page >= pages.count;
  return checkSignedSize(await prepareForSignature(pdf, layout, { newPage, maxBytes: MAX_SIGNED_PDF_BYTES }));
}

/**
 * The signer's registered signature image, or none (then the appearance has only the lines and the name).
 * Read at signing time: a replaced image applies to signatures made after the replacement only.
 */
async function signatureImageOf(signer: Person): Promise<Uint8Array | undefined> {
  const image = await currentSignatureImage(signer.id);
  return image ? readSignatureImage(signer.id, image.sha256) : undefined;
}

/** B-LT: the chain's certificates and the CRLs that vouch for them, in a DSS after the signature. */
async function timestamped(pdf: Uint8Array, crls: readonly Uint8Array[]): Promise<Uint8Array> {
  return addValidationData({ pdf, crls: [...crls], maxBytes: MAX_SIGNED_PDF_BYTES });
}

/**
 * The holder's key as `signing` sees it: its id and public key (to check the certificate belongs to it),
 * and signature values made elsewhere, by the signer function, with the holder's authorization.
 */
function remoteSigner(key: DigestSigner, value: SignatureValue): DigestSigner {
  return {
    keyId: key.keyId,
    algorithm: key.algorithm,
    publicKeySpki: () => key.publicKeySpki(),
    signDigest: value,
  };
}

/** A co-issuer's signature block on a joint document, beside the lead's; refused when the page has no room. */
async function jointSpot(
  pdf: Uint8Array,
  placement: DraftPlacement | undefined,
  index: number,
): Promise<Placement> {
  const layout = await readLayout(pdf, { maxBytes: MAX_SIGNED_PDF_BYTES });
  const spot = placement && jointSignatureSpot(layout, placement, index);
  if (!spot) throw jointError('joint_no_room', 422);
  return spot;
}

/**
 * A co-issuer's seal on a joint document the lead has issued: one more organisation signature over its own
 * leader's block, in a field of its own; nothing else changes, so every earlier signature permits it.
 */
async function sealJoint(
  input: Parameters<DocumentSigning['issueAndSeal']>[0] & { jointIndex: number },
): Promise<SignedPdf> {
  const tsa = await timestampAuthority();
  const credential = await sealCredential(input.org);
  const crls = await crlsFor(credential.certificateChain);
  const signature = await jointSpot(input.pdf, input.placement, input.jointIndex);
  const sealed = await signPdf({
    pdf: input.pdf,
    signer: remoteSigner(credential.signer, input.value),
    certificateChain: credential.certificateChain,
    timestamp: (imprint) => tsa.timestamp(imprint),
    revocation: { crls },
    reason: `Đồng ban hành ${input.symbol.replace(/^Số:\s*/, '')} (${isoVietnam(input.at)})`,
    location: input.org.placeName,
    signingTime: input.at,
    kind: 'organisation',
    fieldName: `docflow-organisation-${input.org.id}`.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 64),
    appearance: {
      placement: sealOver(signature),
      visual: { kind: 'seal', organisationName: input.org.name.toLocaleUpperCase('vi') },
    },
    maxBytes: MAX_SIGNED_PDF_BYTES,
  });
  return {
    pdf: checkSignedSize(await timestamped(sealed, crls)),
    certificateSha256: certificateSha256(credential.certificateChain[0] as Uint8Array),
  };
}

export function documentSigning(): DocumentSigning {
  return {
    async prepareDraft(pdf) {
      const pages = await readPages(pdf, { maxBytes: MAX_UPLOAD_PDF_BYTES });
      // The number and date fields are added when the leader signs, where the placement then says.
      const proposal = proposePlacement(await readLayout(pdf, { maxBytes: MAX_UPLOAD_PDF_BYTES }));
      return { pdf: checkSignedSize(pdf), pageCount: pages.count, placement: proposal.placement };
    },

    async signPersonal(input): Promise<SignedPdf> {
      const tsa = await timestampAuthority();
      const [credential, signatureImage] = await Promise.all([
        officialCredential(input.signer, input.org),
        signatureImageOf(input.signer),
      ]);
      const crls = await crlsFor(credential.certificateChain);
      const pdf = await readyToSign(input.pdf, input.placement);
      const joint = input.jointIndex ? await jointSpot(pdf, input.placement, input.jointIndex) : undefined;
      const signed = await signPdf({
        pdf,
        signer: remoteSigner(credential.signer, input.value),
        certificateChain: credential.certificateChain,
        timestamp: (imprint) => tsa.timestamp(imprint),
        revocation: { crls },
        reason: input.reason,
        location: input.org.placeName,
        signingTime: input.at,
        capacity: input.capacityMark || undefined,
        delegation: input.delegation ? delegationRecord(input.delegation) : undefined,
        kind: 'personal',
        fieldName: `docflow-personal-${input.signer.id}`.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 64),
        appearance: {
          placement: joint ?? input.placement?.signature ?? (await signatureBox(input.pdf)),
          visual: {
            kind: 'personal',
            capacityLines: [...input.capacityLines].slice(0, 3),
            name: input.signer.name,
            signatureImage,
          },
        },
        maxBytes: MAX_SIGNED_PDF_BYTES,
      });
      return {
        pdf: checkSignedSize(await timestamped(signed, crls)),
        certificateSha256: certificateSha256(credential.certificateChain[0] as Uint8Array),
      };
    },

    async issueAndSeal(input): Promise<SignedPdf> {
      if (input.jointIndex) return sealJoint({ ...input, jointIndex: input.jointIndex });
      const tsa = await timestampAuthority();
      const credential = await sealCredential(input.org);
      const crls = await crlsFor(credential.certificateChain);
      // A draft that arrived signed gets the number and date as widgets of the seal (core/pdf/issue.ts).
      const stamped = await issueStamp(
        input.pdf,
        {
          number: { text: input.symbol, align: 'center', size: 13 },
          date: { text: input.dateLine, style: 'italic', align: 'center', size: 13 },
        },
        input.placement
          ? { number: input.placement.number, date: input.placement.date }
          : ISSUE_FIELDS_LAYOUT,
        { maxBytes: MAX_SIGNED_PDF_BYTES },
      );
      const sealed = await signPdf({
        pdf: stamped.pdf,
        signer: remoteSigner(credential.signer, input.value),
        certificateChain: credential.certificateChain,
        timestamp: (imprint) => tsa.timestamp(imprint),
        revocation: { crls },
        reason: `Ban hành ${input.symbol.replace(/^Số:\s*/, '')} (${isoVietnam(input.at)})`,
        location: input.org.placeName,
        signingTime: input.at,
        kind: 'organisation',
        fieldName: 'docflow-organisation',
        appearance: {
          placement: input.placement?.seal ?? sealPlacementOver(await signatureBox(input.pdf)),
          visual: { kind: 'seal', organisationName: input.org.name.toLocaleUpperCase('vi') },
        },
        extraWidgets: stamped.widgets,
        maxBytes: MAX_SIGNED_PDF_BYTES,
      });
      return {
        pdf: checkSignedSize(await timestamped(sealed, crls)),
        certificateSha256: certificateSha256(credential.certificateChain[0] as Uint8Array),
      };
    },

    async checkAttachmentPdf(pdf) {
      const pages = await readPages(pdf, { maxBytes: MAX_SIGNED_PDF_BYTES });
      return { pageCount: pages.count };
    },

    async sealAttachment(input) {
      const tsa = await timestampAuthority();
      const credential = await sealCredential(input.org);
      const crls = await crlsFor(credential.certificateChain);
      const signer = remoteSigner(credential.signer, input.value);
      const certificate = certificateSha256(credential.certificateChain[0] as Uint8Array);
      if (input.format === 'file') {
        const signature = await signDetachedCades({
          content: input.file,
          signer,
          certificateChain: credential.certificateChain,
          signingTime: input.at,
          timestamp: (imprint) => tsa.timestamp(imprint),
          revocation: { crls },
        });
        return { file: input.file, signature, certificateSha256: certificate };
      }
      const sealed = await signPdf({
        pdf: input.file,
        signer,
        certificateChain: credential.certificateChain,
        timestamp: (imprint) => tsa.timestamp(imprint),
        revocation: { crls },
        reason: `Văn bản kèm theo ${input.numberSymbol} (${isoVietnam(input.at)})`,
        location: input.org.placeName,
        signingTime: input.at,
        kind: 'organisation',
        fieldName: 'docflow-attachment',
        appearance: attachmentStamp({ numberSymbol: input.numberSymbol, signingTime: input.at }),
        maxBytes: MAX_SIGNED_PDF_BYTES,
      });
      return { file: checkSignedSize(await timestamped(sealed, crls)), certificateSha256: certificate };
    },

    verify: verifyDocument,
  };
}

/**
 * Checks every signature of a document against the deployment's trust anchors (the city root and any
 * external root, e.g. the official-duty CA) and the current CRL: what a recipient's clerk does on arrival
 * (D30 Art.22). Apart from the signing steps, so that what only checks carries no signing code.
 */
export async function verifyDocument(pdf: Uint8Array): Promise<SignatureCheck> {
  const report = await verifyPdf(pdf, {
    trust: TrustStore.fromPem(await trustAnchorsPem()),
    crls: [await currentCrl(), await rootCrl()],
    maxBytes: MAX_VERIFIED_PDF_BYTES,
  });
  return {
    valid: report.verdict === 'valid',
    detail: report.verdict === 'valid' ? undefined : report.summary,
    signatures: report.signatures.map((s) => ({
      signer: s.signer?.commonName ?? '?',
      valid: s.verdict === 'valid',
      problems: s.problems,
    })),
  };
}

import type { Delegation } from '../core/domain/capacity';
import type { Organisation, Person } from '../core/domain/directory';
import type { Localized } from '../core/i18n/catalogue';
import type { DraftPlacement } from '../core/placement/placement';

/**
 * What the workflow needs from the signing side: PDFs in, PDFs out, keys in KMS. Implemented by
 * `adapters/document-signing.ts` over the PAdES core and the KMS-backed PKI.
 */
/**
 * Makes the value of one signature over a digest: the signer function with the holder's key, reached only
 * with their authorization (docs/SECURITY.md). `signing` never holds a personal or seal key itself.
 */
export type SignatureValue = (digest: Uint8Array) => Promise<Uint8Array>;

export interface DocumentSigning {
  /** Checks an uploaded draft (a readable, unencrypted PDF) and prepares it for the signatures to come. */
  /** The draft as recorded, its page count and, when its pages can be read, where to place what is added. */
  prepareDraft(pdf: Uint8Array): Promise<{ pdf: Uint8Array; pageCount: number; placement?: DraftPlacement }>;
  /** The leader's personal signature with their own key: capacity lines, their signature image if registered, the name. */
  signPersonal(input: {
    pdf: Uint8Array;
    signer: Person;
    org: Organisation;
    capacityLines: readonly string[];
    capacityMark: string;
    /** The TL./TUQ. delegation the signature relies on, recorded in the signature dictionary. */
    delegation?: Delegation;
    reason: string;
    at: Date;
    value: SignatureValue;
    /** The draft's placement (core/placement); absent on older drafts: the default layout. */
    placement?: DraftPlacement;
    /** A joint document's co-issuer (1 the first): its block beside the lead's (core/placement/joint.ts). */
    jointIndex?: number;
  }): Promise<SignedPdf>;
  /** The clerk's step: number, symbol and date on the document, then the organisation's seal signature. */
  issueAndSeal(input: {
    pdf: Uint8Array;
    org: Organisation;
    clerk: Person;
    symbol: string;
    dateLine: string;
    at: Date;
    value: SignatureValue;
    placement?: DraftPlacement;
    /**
     * A joint document's co-issuer (1 the first), after the lead's issue: its seal alone, over its leader's
     * signature; the number and date are the lead's, already on the file.
     */
    jointIndex?: number;
  }): Promise<SignedPdf>;
  /** Checks that an attachment declared a PDF is one that can be read (and later sealed). */
  checkAttachmentPdf(pdf: Uint8Array): Promise<{ pageCount: number }>;
  /**
   * The organisation's seal on an attachment in a file of its own (D30 Appendix I), at issue: a PDF gets
   * the number and symbol with the signing time at the top right of page 1 in a PAdES seal; any other file
   * stays as it is, with a detached CAdES signature (.p7s).
   */
  sealAttachment(input: {
    file: Uint8Array;
    format: 'pdf' | 'file';
    org: Organisation;
    /** `15/QĐ-UBND` */
    numberSymbol: string;
    at: Date;
    value: SignatureValue;
  }): Promise<SealedAttachmentFiles>;
  /** Checks every signature of a document: what a recipient's clerk does on arrival (D30 Art.22). */
  verify(pdf: Uint8Array, at: Date): Promise<SignatureCheck>;
}

export interface SealedAttachmentFiles {
  /** The sealed PDF, or the file itself, unchanged. */
  readonly file: Uint8Array;
  /** For a file other than a PDF: its detached seal signature (.p7s, DER). */
  readonly signature?: Uint8Array;
  readonly certificateSha256: string;
}

export interface SignedPdf {
  readonly pdf: Uint8Array;
  /** SHA-256 (hex) of the signing certificate. */
  readonly certificateSha256: string;
}

export interface SignatureCheck {
  readonly valid: boolean;
  /** For people: why not (the report's summary, in both languages). */
  readonly detail?: Localized;
  readonly signatures: readonly {
    readonly signer: string;
    readonly valid: boolean;
    readonly problems: readonly string[];
  }[];
}

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
    reason: string;
    at: Date;
    value: SignatureValue;
    /** The draft's placement (core/placement); absent on older drafts: the default layout. */
    placement?: DraftPlacement;
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
  }): Promise<SignedPdf>;
  /** Checks every signature of a document: what a recipient's clerk does on arrival (D30 Art.22). */
  verify(pdf: Uint8Array, at: Date): Promise<SignatureCheck>;
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

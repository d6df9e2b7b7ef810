/*
 * The national document exchange (Trục liên thông văn bản quốc gia, with the city's LGSP in front of it):
 * docflow hands it edXML packages and status messages for external agencies and collects what they send
 * to the city's organisations. Over HTTP in adapters/exchange-client.ts; locally the hub is
 * local/exchange-simulator.ts.
 */

/** Something the exchange holds for one of the city's organisations. */
export interface ExchangeItem {
  /** The exchange's id of the item, for fetching and acknowledging it. */
  readonly id: string;
  readonly kind: 'document' | 'status';
}

export interface SentPackage {
  readonly exchangeId: string;
  /** True when the exchange already had this DocumentId from this sender: a retry, not a second copy. */
  readonly duplicate: boolean;
}

export interface ExchangePort {
  /** Sends a document package (streamed: `body` is read once, as the exchange takes it). */
  sendDocument(body: AsyncIterable<Uint8Array>): Promise<SentPackage>;
  /** Sends a status message about a document received from outside. */
  sendStatus(xml: string): Promise<{ exchangeId: string }>;
  /** What waits for the city's organisations, oldest first. */
  pending(): Promise<readonly ExchangeItem[]>;
  /** One waiting item's bytes, streamed. */
  fetch(id: string): AsyncIterable<Uint8Array>;
  /** Tells the exchange the item is taken (it stops offering it); repeating it changes nothing. */
  acknowledge(id: string): Promise<void>;
}

/** The exchange could not be reached or answered otherwise than the protocol says: try again later. */
export class ExchangeUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExchangeUnavailable';
  }
}

/** The exchange refused a package or message as invalid: sending it again will not help. */
export class ExchangeRefused extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(`the exchange refused the message (${status}): ${reason}`);
    this.name = 'ExchangeRefused';
  }
}

/** Where an external recipient's copy stands: waiting to leave, handed to the exchange, or its last status. */
export type ExternalState =
  | 'pending'
  | 'sent'
  | 'arrived'
  | 'refused'
  | 'accepted'
  | 'assigned'
  | 'in-progress'
  | 'done'
  | 'recall-requested'
  | 'recall-accepted'
  | 'recall-refused';

/** A document's delivery to one external agency through the exchange. */
export interface ExternalDelivery {
  readonly documentId: string;
  /** The agency code of the recipient. */
  readonly organId: string;
  readonly organName?: string;
  /** The package's DocumentId (`issuer,yyyy/MM/dd,number/notation`), which statuses come back with. */
  readonly exchangeDocumentId: string;
  readonly state: ExternalState;
  readonly exchangeId?: string;
  /** The last status's description (a refusal's reason). */
  readonly description?: string;
  /** When the last status was given (its own timestamp), or when the state last changed. */
  readonly updatedAt: string;
}

/** The sender's record of its external deliveries (docflow's outbox for the exchange). */
export interface ExchangeLedger {
  deliveries(documentId: string): Promise<readonly ExternalDelivery[]>;
  /** Records deliveries not recorded yet; those already there are left as they are. */
  add(deliveries: readonly ExternalDelivery[]): Promise<void>;
  /** Replaces one delivery (same document and agency). */
  put(delivery: ExternalDelivery): Promise<void>;
  /** The delivery a status message is about. */
  find(exchangeDocumentId: string, organId: string): Promise<ExternalDelivery | undefined>;
  /** Documents with a delivery still `pending` (a send cut off, the exchange unreachable): to retry. */
  pendingDocuments(): Promise<readonly string[]>;
  /** Every state each delivery of the document went through (`add` and `put` record them), in time order. */
  history(documentId: string): Promise<readonly ExternalDelivery[]>;
  /** A status that came too late to be the current one, kept in the history only. */
  addHistory(delivery: ExternalDelivery): Promise<void>;
}

/** Where a document received from outside stands in the recipient organisation. */
export type ReceivedState =
  | 'arrived'
  | 'refused'
  | 'accepted'
  | 'assigned'
  | 'in-progress'
  | 'done'
  | 'recalled';

/** A document that came in through the exchange, as the clerk of the organisation it is for sees it. */
export interface ReceivedDocument {
  /** `orgId#DocumentId` once known (one per organisation and document); `item#id` for an unreadable item. */
  readonly key: string;
  /** The city organisation it is addressed to (absent when no organisation has the code). */
  readonly orgId?: string;
  readonly exchangeItemId: string;
  readonly exchangeDocumentId?: string;
  readonly from?: { readonly organId: string; readonly organName?: string };
  readonly code?: string;
  readonly promulgationDate?: string;
  readonly subject?: string;
  /** The document type's name as the sender gave it (`Công văn`). */
  readonly docType?: string;
  /** The arrival number in the organisation's incoming register, once the clerk took it in (đã tiếp nhận). */
  readonly arrivalNumber?: number;
  /** The received PDF, stored under its SHA-256 (DocumentFiles, document id `key`). */
  readonly file?: { readonly sha256: string; readonly size: number; readonly name: string };
  /** Every file of the package in the manifest's order, the document included, stored like it. */
  readonly attachments?: readonly ReceivedAttachmentFile[];
  readonly state: ReceivedState;
  /** Why it was refused, in both languages (what the sender was told). */
  readonly reason?: { readonly vi: string; readonly en: string };
  /** Every state it went through, oldest first (what its sender was told at each step). */
  readonly history?: readonly ReceivedEvent[];
  readonly receivedAt: string;
  readonly updatedAt: string;
}

export interface ReceivedEvent {
  readonly state: ReceivedState;
  readonly at: string;
  readonly description?: string;
}

export interface ReceivedAttachmentFile {
  readonly sha256: string;
  readonly size: number;
  readonly name: string;
  readonly contentType: string;
}

/** The organisations' record of what came in through the exchange. */
export interface ReceivedDocuments {
  get(key: string): Promise<ReceivedDocument | undefined>;
  /** Records it unless its key is there already; false when it was (a package received twice). */
  add(document: ReceivedDocument): Promise<boolean>;
  put(document: ReceivedDocument): Promise<void>;
  /**
   * What came in for an organisation, newest first; `undefined`: what no organisation could be found for
   * (unreadable packages, unknown recipient codes), which the city's clerks see.
   */
  list(orgId: string | undefined): Promise<readonly ReceivedDocument[]>;
}

/** The issuing organisation's outgoing register (sổ văn bản đi): external recipients join a row's recipients. */
export interface OutgoingRegisterRecipients {
  addRecipients(
    entry: { orgId: string; year: number; number: number },
    names: readonly string[],
  ): Promise<void>;
}

import type {
  ExchangeLedger,
  ExternalDelivery,
  OutgoingRegisterRecipients,
  ReceivedDocument,
  ReceivedDocuments,
} from '../../lambdas/ports/exchange';

/** The exchange ledger in memory, for the use-case tests. */
export class MemoryExchangeLedger implements ExchangeLedger {
  readonly items = new Map<string, ExternalDelivery>();
  readonly past: ExternalDelivery[] = [];
  readonly #key = (documentId: string, organId: string) => `${documentId}#${organId}`;

  async deliveries(documentId: string): Promise<readonly ExternalDelivery[]> {
    return [...this.items.values()].filter((d) => d.documentId === documentId);
  }

  async add(deliveries: readonly ExternalDelivery[]): Promise<void> {
    for (const d of deliveries) {
      const key = this.#key(d.documentId, d.organId);
      if (!this.items.has(key)) {
        this.items.set(key, d);
        this.past.push(d);
      }
    }
  }

  async put(delivery: ExternalDelivery): Promise<void> {
    this.items.set(this.#key(delivery.documentId, delivery.organId), delivery);
    this.past.push(delivery);
  }

  async history(documentId: string): Promise<readonly ExternalDelivery[]> {
    return this.past
      .filter((d) => d.documentId === documentId)
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
  }

  async addHistory(delivery: ExternalDelivery): Promise<void> {
    this.past.push(delivery);
  }

  async find(exchangeDocumentId: string, organId: string): Promise<ExternalDelivery | undefined> {
    return [...this.items.values()].find(
      (d) => d.exchangeDocumentId === exchangeDocumentId && d.organId === organId,
    );
  }

  async pendingDocuments(): Promise<readonly string[]> {
    return [
      ...new Set([...this.items.values()].filter((d) => d.state === 'pending').map((d) => d.documentId)),
    ];
  }
}

/** What came in through the exchange, in memory. */
export class MemoryReceivedDocuments implements ReceivedDocuments {
  readonly items = new Map<string, ReceivedDocument>();
  async get(key: string) {
    return this.items.get(key);
  }
  async add(document: ReceivedDocument) {
    if (this.items.has(document.key)) return false;
    this.items.set(document.key, document);
    return true;
  }
  async put(document: ReceivedDocument) {
    this.items.set(document.key, document);
  }
  async list(orgId: string | undefined) {
    return [...this.items.values()]
      .filter((d) => d.orgId === orgId)
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  }
}

/** External recipients added to outgoing register rows, in memory. */
export class MemoryOutgoingRegister implements OutgoingRegisterRecipients {
  readonly rows = new Map<string, string[]>();
  async addRecipients(entry: { orgId: string; year: number; number: number }, names: readonly string[]) {
    const key = `${entry.orgId}#${entry.year}#${entry.number}`;
    const row = this.rows.get(key) ?? [];
    for (const name of names) if (!row.includes(name)) row.push(name);
    this.rows.set(key, row);
  }
}

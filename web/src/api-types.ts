/*
 * The shapes the web inbox reads from the API (see GET /api/openapi.json and lambdas/contracts/). The
 * document view is an open record in the contract; only the fields the screens use are typed here, all
 * optional where the API may leave them out.
 */

export type Role = 'leader' | 'specialist' | 'clerk' | 'auditor' | 'admin';
export type Folder = 'incoming' | 'outgoing' | 'drafts' | 'to-sign' | 'assigned';
export const FOLDERS: readonly Folder[] = ['incoming', 'outgoing', 'drafts', 'to-sign', 'assigned'];

export type OrganisationKind = 'city' | 'department' | 'ward' | 'commune';

export interface Organisation {
  readonly id: string;
  readonly name: string;
  readonly shortName: string;
  readonly kind: OrganisationKind;
  readonly code: string;
  readonly issuerCode: string;
  readonly parentId?: string;
}

export interface Me {
  readonly id: string;
  readonly name: string;
  readonly position: {
    readonly orgId: string;
    readonly role: Role;
    readonly title: string;
    readonly rank?: 'head' | 'deputy' | 'acting-head';
    readonly unitCode?: string;
  };
  readonly organisation: Organisation;
}

export interface DemoUser {
  readonly userId: string;
  readonly name: string;
  readonly orgId: string;
  readonly orgName: string;
  readonly role: Role;
  readonly title: string;
}

export interface PersonSummary {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  readonly role: Role;
  readonly orgId: string;
  readonly rank?: 'head' | 'deputy' | 'acting-head';
  readonly unitCode?: string;
}

export interface InboxItem {
  readonly id: string;
  readonly folder: Folder;
  readonly title: string;
  readonly docType: string;
  readonly urgency: string;
  readonly state: string;
  readonly number?: string;
  readonly symbol?: string;
  readonly issuedOn?: string;
  readonly senderOrgId?: string;
  readonly arrivalNumber?: number;
  readonly deadline?: string;
  readonly updatedAt: string;
}

export interface InboxPage {
  readonly folder: Folder;
  readonly items: readonly InboxItem[];
  readonly cursor?: string;
  readonly total: number;
  /** With a search: how far back this page searched. */
  readonly searchedThrough?: string;
}

export interface UploadTarget {
  readonly url: string;
  readonly method: 'PUT';
  readonly headers: Readonly<Record<string, string>>;
  readonly maxBytes?: number;
  readonly expiresInSeconds?: number;
}

export interface CreatedDocument {
  readonly id: string;
  readonly upload: UploadTarget;
}

export interface PersonalSignature {
  readonly kind: 'person';
  readonly signerId: string;
  readonly signerName?: string;
  readonly signerTitle?: string;
  readonly signerOrgId?: string;
  readonly at: string;
  readonly lines?: readonly string[];
  readonly capacity?: { readonly kind: string; readonly onBehalfOfCollective?: boolean };
  readonly documentSha256?: string;
  readonly certificateSha256?: string;
}

export interface OrganisationSignature {
  readonly kind: 'organisation';
  readonly orgId: string;
  readonly appliedBy?: string;
  readonly at: string;
  readonly documentSha256?: string;
  readonly certificateSha256?: string;
}

export type Signature = PersonalSignature | OrganisationSignature;

export type Assignee =
  | { readonly kind: 'person'; readonly personId: string }
  | { readonly kind: 'unit'; readonly unitCode: string };

export interface Assignment {
  readonly lead: Assignee;
  readonly supporting: readonly Assignee[];
  readonly forInformation: readonly Assignee[];
  readonly deadline: string;
  readonly note: string;
}

export interface IncomingRecord {
  readonly documentId: string;
  readonly orgId: string;
  readonly state: string;
  readonly purpose?: string;
  readonly subject?: string;
  readonly symbol?: string;
  readonly typeId?: string;
  readonly urgency?: string;
  readonly issuedOn?: string;
  readonly senderOrgId?: string;
  readonly arrivedAt?: string;
  readonly arrivalNumber?: number;
  readonly documentSha256?: string;
  readonly registeredAt?: string;
  readonly presentedTo?: string;
  readonly assignment?: Assignment;
  readonly handler?: Assignee;
  readonly handlerDeadline?: string;
  readonly dueDate?: string;
  readonly updatedAt?: string;
}

export interface OutgoingDocument {
  readonly id: string;
  readonly orgId: string;
  readonly state: string;
  readonly subject: string;
  readonly typeId: string;
  readonly urgency: string;
  readonly drafterId: string;
  readonly designatedSignerId?: string;
  readonly documentSha256?: string;
  readonly number?: number;
  readonly symbol?: string;
  readonly issuedOn?: string;
  readonly dateLine?: string;
  readonly pageCount?: number;
  readonly dueDate?: string;
  readonly recipients?: readonly { readonly orgId: string; readonly purpose: string }[];
  readonly recipientTargets?: readonly unknown[];
  readonly approvals?: readonly {
    readonly by: string;
    readonly name?: string;
    readonly title?: string;
    readonly at: string;
  }[];
  readonly createdAt?: string;
  readonly updatedAt?: string;
  readonly sentAt?: string;
}

export interface Delivery {
  readonly orgId: string;
  readonly purpose?: string;
  readonly status: string;
  readonly exchangeCode?: string;
  readonly arrivalNumber?: number;
  readonly updatedAt?: string;
}

export interface LogEntry {
  readonly seq: number;
  readonly type: string;
  readonly at: string;
  readonly orgId: string;
  readonly actor?: { readonly userId?: string; readonly role?: string; readonly orgId?: string };
  readonly hash?: string;
  readonly prevHash?: string;
  /** The reason or note the step carries (a return, a recall, an assignment). */
  readonly note?: string;
}

export interface ChainCheck {
  readonly valid: boolean;
  readonly length?: number;
  readonly atSeq?: number;
  readonly problem?: string;
  readonly message?: string;
}

export interface DocumentView {
  readonly id: string;
  readonly state?: string;
  readonly title?: string;
  readonly docType?: string;
  readonly number?: number;
  readonly symbol?: string;
  readonly document?: OutgoingDocument;
  readonly record?: IncomingRecord;
  readonly signatures?: readonly Signature[];
  readonly deliveries?: readonly Delivery[];
  readonly log?: readonly LogEntry[];
  readonly chain?: ChainCheck;
  readonly upload?: UploadTarget;
}

/** GET /api/people/{id}/signature-image (the caller's own). */
export interface SignatureImage {
  readonly sha256: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
  readonly uploadedAt: string;
  /** Short-lived download URL. */
  readonly url: string;
}

export interface SignatureImageUpload {
  readonly uploadId: string;
  readonly upload: UploadTarget;
}

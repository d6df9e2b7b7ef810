import { DomainError } from '../errors';
import { messageText } from '../i18n/messages';
import type { Caller } from './caller';

/*
 * Who may see a document: the one rule the document view, the inbox, the audit routes and the transparency
 * proofs all apply. A document someone may not see does not exist for them: the answer is the same 404 as
 * for an id that was never used, so existence does not leak.
 */

/** How the caller is related to the document: its issuing organisation, a recipient, or an auditor. */
export type DocumentAccess = 'sender' | 'recipient' | 'auditor';

/** What the rule looks at: who owns the document (its draft or upload) and who received it. */
export interface DocumentParties {
  readonly document?: { readonly orgId: string };
  readonly upload?: { readonly orgId: string };
  readonly incoming: readonly { readonly orgId: string }[];
}

export function accessOf(caller: Caller, parties: DocumentParties): DocumentAccess | undefined {
  const org = caller.actor.position.orgId;
  if (parties.document?.orgId === org || parties.upload?.orgId === org) return 'sender';
  if (parties.incoming.some((r) => r.orgId === org)) return 'recipient';
  if (caller.actor.position.role === 'auditor' && (parties.document || parties.incoming.length > 0))
    return 'auditor';
  return undefined;
}

export const documentNotFound = () =>
  new DomainError('not_found', 404, { what: messageText('what_document') });

/** The caller's access to the document; a 404 when they have none. */
export function assertVisible(caller: Caller, parties: DocumentParties): DocumentAccess {
  const access = accessOf(caller, parties);
  if (!access) throw documentNotFound();
  return access;
}

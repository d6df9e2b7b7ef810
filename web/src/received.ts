import type * as z from 'zod';
import type { ReceivedDocumentSchema, ReceivedStepSchema } from '../../lambdas/contracts/exchange';
import { AgencyCodeSchema } from '../../lambdas/core/exchange/model';
import type { ExternalSendKey, ReceivedScreenKey } from './received-texts';

/*
 * What the screen of documents received from outside shows, apart from React: which steps a clerk may take
 * next in each state (the order of the standard's status messages: đã tiếp nhận, phân công, đang xử lý,
 * hoàn thành; từ chối until taken in hand), and which documents are refused packages, listed apart.
 */

export type ReceivedDocument = z.infer<typeof ReceivedDocumentSchema>;
export type ReceivedState = ReceivedDocument['state'];
export type ReceivedStep = z.infer<typeof ReceivedStepSchema>['step'];

const NEXT: Readonly<Record<ReceivedState, readonly ReceivedStep[]>> = {
  arrived: ['accept', 'refuse'],
  accepted: ['assign', 'start', 'refuse'],
  assigned: ['start', 'resolve'],
  'in-progress': ['resolve'],
  // Final: the server leaves them as they are, so no button offers a step that would change nothing.
  done: [],
  refused: [],
  recalled: [],
};

export function nextSteps(state: ReceivedState): readonly ReceivedStep[] {
  return NEXT[state];
}

/** Only a refusal needs a reason (the standard sends it to the sender with the status). */
export function needsReason(step: ReceivedStep): boolean {
  return step === 'refuse';
}

/** The documents to handle, newest first, and the refused packages (unreadable, misaddressed, refused). */
export function splitReceived(items: readonly ReceivedDocument[]): {
  readonly documents: ReceivedDocument[];
  readonly refused: ReceivedDocument[];
} {
  const newest = [...items].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  return {
    documents: newest.filter((d) => d.state !== 'refused'),
    refused: newest.filter((d) => d.state === 'refused'),
  };
}

export const stateKey = (state: ReceivedState): ReceivedScreenKey => `state_${state}`;
export const stepKey = (step: ReceivedStep): ReceivedScreenKey => `step_${step}`;
export const confirmKey = (step: ReceivedStep): ReceivedScreenKey => `confirm_${step}`;

/** edXML dates are `yyyy/mm/dd`; the screens' date formatter reads `yyyy-mm-dd`. */
export function isoDate(date: string | undefined): string | undefined {
  if (!date) return undefined;
  const m = /^(\d{4})[/-](\d{2})[/-](\d{2})/.exec(date);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

export const stateTone = (
  state: ReceivedState,
): 'neutral' | 'info' | 'success' | 'warning' | 'danger' | 'accent' =>
  state === 'arrived'
    ? 'accent'
    : state === 'done'
      ? 'success'
      : state === 'refused' || state === 'recalled'
        ? 'danger'
        : 'info';

export interface ExternalRecipient {
  readonly organId: string;
  readonly organName?: string;
}

/**
 * Adds an external recipient typed by the clerk: the code as the contract takes it (upper case, four parts),
 * once each, at most 100 (the contract's limit). The server still refuses a code of the city's own.
 */
export function addRecipient(
  list: readonly ExternalRecipient[],
  code: string,
  name: string,
): { readonly list: readonly ExternalRecipient[] } | { readonly error: ExternalSendKey } {
  const organId = code.trim().toUpperCase();
  if (!AgencyCodeSchema.safeParse(organId).success) return { error: 'codeInvalid' };
  if (list.some((r) => r.organId === organId)) return { error: 'codeTwice' };
  if (list.length >= 100) return { error: 'tooMany' };
  const organName = name.trim().replace(/\s+/g, ' ');
  return { list: [...list, organName ? { organId, organName } : { organId }] };
}

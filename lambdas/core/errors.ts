import type { Messages } from './i18n/catalogue';
import type { ErrorCode, MessageParams } from './i18n/messages';

/** HTTP statuses a domain error may map to; anything else is a bug, not a domain outcome. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 503;

/**
 * An expected failure the caller can act on. It carries a message code and parameters, not text: the HTTP
 * layer renders the code in the caller's language (Vietnamese by default, English on request). A parameter
 * that is itself text for people is a message reference (`messageText(code)`), never a finished string.
 * `messages` is the catalogue the code is in when it is not the one every function carries
 * (lambdas/core/i18n/messages.ts): the texts only some functions need (lambdas/core/i18n/README.md).
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: ErrorStatus,
    readonly params: MessageParams = {},
    readonly messages?: Messages<string>,
  ) {
    super(code);
    this.name = 'DomainError';
  }
}

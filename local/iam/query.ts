import { randomUUID } from 'node:crypto';

/* The AWS Query protocol's answers (STS, IAM): XML results and errors. */

export class QueryError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

export const xmlEscape = (value: string) =>
  value.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  );

/** `<Name>value</Name>` for each entry; nested objects become nested elements. */
export function xml(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) =>
      typeof value === 'object' && value !== null && !(value instanceof Date)
        ? `<${name}>${xml(value as Record<string, unknown>)}</${name}>`
        : `<${name}>${xmlEscape(value instanceof Date ? isoSeconds(value) : String(value))}</${name}>`,
    )
    .join('');
}

export const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function queryResponse(
  action: string,
  result: Record<string, unknown> | undefined,
  namespace: string,
): string {
  const body = result === undefined ? '' : `<${action}Result>${xml(result)}</${action}Result>`;
  return `<${action}Response xmlns="${namespace}">${body}<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
}

export function errorResponse(error: QueryError, namespace: string): string {
  return `<ErrorResponse xmlns="${namespace}"><Error><Type>${error.type}</Type><Code>${xmlEscape(error.code)}</Code><Message>${xmlEscape(error.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}

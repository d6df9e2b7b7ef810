import type * as z from 'zod';
import { type Language, translator } from './i18n';

/**
 * The API client: JSON over fetch with the signed-in person's token, the chosen language, and an
 * Idempotency-Key on writes. Every answer is checked against the route's contract (lambdas/contracts/), so
 * the screens read exactly the types the server promises. Errors carry the API's own message, already in
 * the person's language.
 */

const TOKEN_KEY = 'docflow.token';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /**
   * The request may or may not have been carried out: retrying with the same key is safe. An answer the
   * page cannot read counts: the server may well have done what was asked.
   */
  get uncertain(): boolean {
    return (
      this.status === 0 ||
      this.status >= 500 ||
      this.code === 'idempotency_in_progress' ||
      this.code === 'bad_response'
    );
  }
}

export function getToken(): string | undefined {
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

export function setToken(token: string | undefined): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

let language: Language = 'vi';
let onUnauthenticated: () => void = () => undefined;

export function configureApi(options: { language: Language; onUnauthenticated: () => void }): void {
  language = options.language;
  onUnauthenticated = options.onUnauthenticated;
}

const NETWORK_MESSAGE: Record<Language, string> = {
  vi: 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại; dữ liệu bạn nhập vẫn được giữ.',
  en: 'Could not reach the server. Check the connection and try again; what you typed is kept.',
};

const BAD_RESPONSE_MESSAGE: Record<Language, string> = {
  vi: 'Máy chủ trả lời theo dạng trang này không đọc được. Hãy tải lại trang để xem tình trạng mới nhất.',
  en: 'The server answered in a form this page cannot read. Reload the page to see the latest state.',
};

function isErrorBody(value: unknown): value is { error: { code: string; message: string } } {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = value.error;
  return typeof error === 'object' && error !== null && 'message' in error && 'code' in error;
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly idempotencyKey?: string;
  readonly signal?: AbortSignal;
}

/** Sends the request and checks the answer against `schema` (the route's response in its contract). */
export async function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  schema: z.ZodType<T>,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': language };
  const token = getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network', NETWORK_MESSAGE[language]);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (!response.ok) {
    if (response.status === 401 && token) onUnauthenticated();
    if (isErrorBody(parsed)) throw new ApiError(response.status, parsed.error.code, parsed.error.message);
    // Not the API's own answer (a gateway's or a proxy's page, in English): said in the person's language.
    throw new ApiError(response.status, 'http', translator(language)('wdHttpError'));
  }
  const checked = schema.safeParse(parsed);
  if (!checked.success) {
    // For whoever looks at the console: which member did not match the contract.
    console.error(`${method} ${path}: the answer does not match its contract`, checked.error.issues);
    throw new ApiError(response.status, 'bad_response', BAD_RESPONSE_MESSAGE[language]);
  }
  return checked.data;
}

export const get = <T>(path: string, schema: z.ZodType<T>, signal?: AbortSignal) =>
  api('GET', path, schema, { signal });
export const post = <T>(path: string, body: unknown, schema: z.ZodType<T>, idempotencyKey: string) =>
  api('POST', path, schema, { body, idempotencyKey });
/** DELETE is idempotent by itself: no key. */
export const del = <T>(path: string, schema: z.ZodType<T>) => api('DELETE', path, schema);

/**
 * Uploads a file to a presigned POST with upload progress (XMLHttpRequest: fetch has no upload progress):
 * a multipart form of the target's fields, in order, and the file last (storage ignores what follows it).
 */
export function uploadFile(
  target: { url: string; fields: Readonly<Record<string, string>> },
  file: Blob,
  onProgress: (fraction: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(target.fields)) form.append(name, value);
    form.append('file', file);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', target.url);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else {
        // Storage answers in English XML; the person reads why in their language, the status in details.
        reject(new ApiError(xhr.status, 'upload_failed', translator(language)('wdUploadFailed')));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', NETWORK_MESSAGE[language]));
    xhr.send(form);
  });
}

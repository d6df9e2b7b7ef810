import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * How docflow signs a webhook delivery, the scheme GitHub and Stripe use: the header
 * `Docflow-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 over "<t>.<body>">[,v1=<hex>]` carries one `v1`
 * per secret in force. While a rotation overlaps, both the new and the old secret sign, so a receiver that
 * still holds either one accepts the delivery (docs/WEBHOOKS.md). This module has no other dependency than
 * node:crypto, so receivers may copy it or import it.
 */

export const SIGNATURE_HEADER = 'docflow-signature';
/** The delivery's stable id: the same on every attempt and replay, for receivers to drop repeats. */
export const DELIVERY_HEADER = 'docflow-delivery';
export const EVENT_HEADER = 'docflow-event';
/** Receivers should refuse a signature older (or newer) than this: a captured delivery cannot be replayed later. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const hmac = (secret: string, timestamp: number, body: string) =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');

/** The header value for `body` signed at `timestamp` (unix seconds) with each of `secrets`. */
export function signWebhook(body: string, secrets: readonly string[], timestamp: number): string {
  if (secrets.length === 0) throw new Error('a webhook delivery needs at least one secret');
  return [`t=${timestamp}`, ...secrets.map((secret) => `v1=${hmac(secret, timestamp, body)}`)].join(',');
}

export type VerifyFailure = 'malformed_header' | 'outside_tolerance' | 'no_matching_signature';
export type VerifyResult =
  | { readonly valid: true; readonly timestamp: number }
  | { readonly valid: false; readonly reason: VerifyFailure };

export interface VerifyOptions {
  /** Seconds the timestamp may differ from `now`; default 300. */
  readonly toleranceSeconds?: number;
  /** The receiver's time, unix seconds; default the clock. */
  readonly now?: number;
}

/**
 * Checks a delivery as a receiver gets it: `body` exactly as received (the raw text, before any JSON parse),
 * the `Docflow-Signature` header, and the secret(s) the receiver holds (during a rotation, it may hold the
 * old and the new one). Valid when the timestamp is within the tolerance and any `v1` matches any secret.
 */
export function verifyWebhookSignature(
  body: string,
  header: string | undefined,
  secrets: string | readonly string[],
  options: VerifyOptions = {},
): VerifyResult {
  if (!header) return { valid: false, reason: 'malformed_header' };
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value, ...rest] = part.trim().split('=');
    if (rest.length > 0 || !key || value === undefined) return { valid: false, reason: 'malformed_header' };
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) return { valid: false, reason: 'malformed_header' };
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS))
    return { valid: false, reason: 'outside_tolerance' };
  for (const secret of typeof secrets === 'string' ? [secrets] : secrets) {
    const expected = Buffer.from(hmac(secret, timestamp, body), 'hex');
    // Compared in constant time, every candidate, so the time taken says nothing about the secret.
    if (signatures.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected)))
      return { valid: true, timestamp };
  }
  return { valid: false, reason: 'no_matching_signature' };
}

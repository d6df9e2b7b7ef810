import { WebAuthnError } from '@simplewebauthn/browser';
import type { MessageKey, Translate } from './i18n';

/*
 * What a passkey ceremony's failure means for the person: the browser's errors (WebAuthn names them by the
 * spec's exception, @simplewebauthn/browser by a finer code) in the page's words.
 */

/** `http://localhost:3000` for `http://127.0.0.1:3000`: passkeys need a name, never an IP address. */
export function namedAddress(location: {
  protocol: string;
  hostname: string;
  port: string;
}): string | undefined {
  if (!/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\])$/i.test(location.hostname)) return undefined;
  const loopback = location.hostname === '127.0.0.1' || location.hostname === '[::1]';
  if (!loopback) return undefined;
  return `${location.protocol}//localhost${location.port ? `:${location.port}` : ''}`;
}

export function passkeyErrorMessage(
  error: unknown,
  t: Translate,
  location: { protocol: string; hostname: string; port: string },
): string {
  const name = error instanceof Error ? error.name : '';
  const code = error instanceof WebAuthnError ? error.code : undefined;
  let key: MessageKey = 'passkeyFailed';
  if (code === 'ERROR_INVALID_DOMAIN' || code === 'ERROR_INVALID_RP_ID' || name === 'SecurityError') {
    const named = namedAddress(location);
    return named ? t('passkeyUseNamedAddress', { url: named }) : t('passkeyWrongAddress');
  }
  if (code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED' || name === 'InvalidStateError')
    key = 'passkeyAlreadyHere';
  else if (code === 'ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT') key = 'passkeyNoVerification';
  else if (code === 'ERROR_CEREMONY_ABORTED' || name === 'NotAllowedError' || name === 'AbortError')
    key = 'passkeyNotUsed';
  return t(key, { message: error instanceof Error ? error.message : String(error) });
}

import { useSyncExternalStore } from 'react';
import { getToken } from '../api';

/*
 * The live inbox's socket: the WebSocket API deployed (`liveUrl` in the runtime config), `/api/live` on the
 * local gateway. Each message means "something changed for your organisation"; every screen that reads
 * through useGet reads again (the version below), so folders, counts, the open document and the bell
 * update without a reload. After a drop (network, a sleeping laptop) it reconnects with backoff and, once
 * connected, reads everything again: what was missed is caught up from the API itself.
 */

let version = 0;
let online = true;
const listeners = new Set<() => void>();
const bump = () => {
  version++;
  for (const listener of listeners) listener();
};
/*
 * A send to every ward is 126 events in a few seconds: coalesce them into one reading again per 400 ms
 * (well within the 2 s an inbox may take), rather than every screen reading again for each.
 */
let pending: ReturnType<typeof setTimeout> | undefined;
/*
 * While a signing dialog is open the page must not change under the person: the document turning SIGNED
 * would take the form, and the dialog with its outcome and retry, away. Changes wait until it closes.
 */
let holds = 0;
let missed = false;
const bumpSoon = () => {
  if (holds > 0) {
    missed = true;
    return;
  }
  if (pending !== undefined) return;
  pending = setTimeout(() => {
    pending = undefined;
    bump();
  }, 400);
};

/** Holds live updates back until the returned release is called (then reads again if any were missed). */
export function holdLiveUpdates(): () => void {
  holds++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holds--;
    if (holds === 0 && missed) {
      missed = false;
      bumpSoon();
    }
  };
}
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** Changes each time the live inbox says something changed (or reconnects). */
export const useLiveVersion = (): number => useSyncExternalStore(subscribe, () => version);
/** False while the socket is down and being reconnected. */
export const useLiveOnline = (): boolean => useSyncExternalStore(subscribe, () => online);

function socketUrl(token: string): string {
  const configured = (window.DOCFLOW_CONFIG as { liveUrl?: string } | undefined)?.liveUrl;
  const base = configured ?? `${window.location.origin.replace(/^http/, 'ws')}/api/live`;
  return `${base}?token=${encodeURIComponent(token)}`;
}

/** Keeps one socket open while signed in; returns how to stop it. */
export function startLive(): () => void {
  let socket: WebSocket | undefined;
  let stopped = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const setOnline = (value: boolean) => {
    if (online === value) return;
    online = value;
    for (const listener of listeners) listener();
  };
  const open = () => {
    const token = getToken();
    if (stopped || !token) return;
    socket = new WebSocket(socketUrl(token));
    socket.addEventListener('open', () => {
      // A reconnection catches up by reading again.
      if (attempt > 0 || !online) {
        if (holds > 0) missed = true;
        else bump();
      }
      attempt = 0;
      setOnline(true);
    });
    socket.addEventListener('message', () => bumpSoon());
    socket.addEventListener('close', () => {
      if (stopped) return;
      setOnline(false);
      attempt++;
      timer = setTimeout(open, Math.min(30_000, 500 * 2 ** Math.min(attempt, 6)));
    });
  };
  const wake = () => {
    // Back from sleep or offline: try at once rather than wait for the backoff.
    if (socket?.readyState === WebSocket.CLOSED) {
      if (timer) clearTimeout(timer);
      open();
    }
  };
  window.addEventListener('online', wake);
  document.addEventListener('visibilitychange', wake);
  open();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    window.removeEventListener('online', wake);
    document.removeEventListener('visibilitychange', wake);
    socket?.close();
  };
}

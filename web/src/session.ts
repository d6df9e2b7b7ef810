import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type * as z from 'zod';
import type { Me, OrganisationSummary } from '../../lambdas/contracts/directory';
import { ApiError, get } from './api';
import { useLiveVersion } from './notifications/live';

/** The signed-in person, the directory of organisations, and a way to refresh folder counts. */
export interface Session {
  readonly me: Me;
  readonly orgs: ReadonlyMap<string, OrganisationSummary>;
  readonly orgList: readonly OrganisationSummary[];
  readonly orgName: (id: string | undefined) => string;
  readonly countsVersion: number;
  readonly refreshCounts: () => void;
  readonly signOut: () => void;
  /** Which optional API routes this deployment has (from its OpenAPI document). */
  readonly capabilities: Capabilities;
}

export interface Capabilities {
  /** GET /api/documents/{id}/verification */
  readonly documentVerification: boolean;
  /** POST /api/verify, then POST the file to storage, then POST /api/verify/{id} */
  readonly uploadVerification: boolean;
  /** GET /api/documents/{id}/evidence */
  readonly evidence: boolean;
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

export type AsyncState<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: ApiError | Error }
  | { readonly status: 'ready'; readonly value: T };

/**
 * Loads `path` with GET whenever it (or `version`) changes, checked against `schema`; the previous value
 * stays visible while a reload runs, so screens do not flicker after an action.
 */
export function useGet<T>(
  path: string | undefined,
  schema: z.ZodType<T>,
  version = 0,
): AsyncState<T> & { reload: () => void; reloading: boolean } {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [reloading, setReloading] = useState(false);
  const [tick, setTick] = useState(0);
  const lastPath = useRef<string | undefined>(undefined);
  // The live inbox (web/src/notifications/live.ts): read again when something changed; a path naming a
  // file version's hash (`v=`) reads what cannot change, and a verification is costly: those stay.
  const liveVersion = useLiveVersion();
  const live = path && /[?&]v=/.test(path) ? 0 : liveVersion;
  const reload = useCallback(() => setTick((n) => n + 1), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version, tick and live only trigger a reload; a route's schema does not change
  useEffect(() => {
    if (!path) return;
    const controller = new AbortController();
    if (lastPath.current !== path) setState({ status: 'loading' });
    else setReloading(true);
    lastPath.current = path;
    get(path, schema, controller.signal).then(
      (value) => {
        setState({ status: 'ready', value });
        setReloading(false);
      },
      (error: Error) => {
        if (error.name === 'AbortError') return;
        setState({ status: 'error', error });
        setReloading(false);
      },
    );
    return () => controller.abort();
  }, [path, version, tick, live]);
  return { ...state, reload, reloading };
}

/**
 * One user action's Idempotency-Key: the same key while the person retries after a failure whose outcome
 * is unknown (network, 5xx), a fresh one after a definite answer.
 */
export function useIdempotencyKey(): { key: () => string; settle: (error?: unknown) => void } {
  const current = useRef<string | undefined>(undefined);
  return {
    key: () => {
      current.current ??= crypto.randomUUID();
      return current.current;
    },
    settle: (error) => {
      if (!(error instanceof ApiError && error.uncertain)) current.current = undefined;
    },
  };
}

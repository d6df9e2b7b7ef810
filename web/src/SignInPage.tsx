import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import * as z from 'zod';
import { PersonSummarySchema } from '../../lambdas/contracts/directory';
import { api, setToken } from './api';
import {
  callbackFromQuery,
  cognitoAuthorizeUrl,
  completeSignIn,
  newAuthorizationRequest,
  rememberRequest,
  SignInError,
  type SignInMode,
  signInMode,
  type TokenEndpoint,
  takeRequest,
} from './config';
import { matches } from './format';
import { useI18n } from './i18n';
import { BrandMark, LanguageSwitch, positionLabel } from './Shell';
import { useGet } from './session';
import { ErrorMessage, Field, Loading } from './ui';

const ROLE_ORDER = ['leader', 'clerk', 'specialist', 'auditor', 'admin'];

/*
 * The local identity provider's demo users and sign-in (local/gateway.ts, only on a laptop): not part of
 * the API's contracts, so their answers are described here.
 */
const DemoUserSchema = z.object({
  userId: z.string(),
  name: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  role: PersonSummarySchema.shape.role,
  title: z.string(),
});
type DemoUser = z.infer<typeof DemoUserSchema>;
const DemoUsersSchema = z.object({ users: z.array(DemoUserSchema) });
const DemoCodeSchema = z.object({ code: z.string(), state: z.string() });

/** Back from the identity provider: the code exchanged, `state` and `nonce` checked (web/src/config.ts). */
function useReturnFromProvider(
  mode: SignInMode,
  onSignedIn: () => void,
): { readonly returning: boolean; readonly failed: boolean } {
  const [callback] = useState(() => callbackFromQuery(window.location.search));
  const [failed, setFailed] = useState(false);
  const started = useRef(false);
  useEffect(() => {
    if (!callback || started.current) return;
    started.current = true;
    // The code is single-use and the address bar must not keep it, whatever happens next.
    history.replaceState(null, '', `${window.location.pathname}#/`);
    const request = takeRequest(sessionStorage);
    if (!request) {
      setFailed(true);
      return;
    }
    completeSignIn(mode.token, request, callback).then(
      (token) => {
        setToken(token);
        onSignedIn();
      },
      () => setFailed(true),
    );
  }, [callback, mode.token, onSignedIn]);
  return { returning: callback !== undefined && !failed, failed };
}

export function SignInPage({ expired, onSignedIn }: { expired: boolean; onSignedIn: () => void }) {
  const { t } = useI18n();
  const [mode] = useState(() => signInMode(window.DOCFLOW_CONFIG, window.location.origin));
  const { returning, failed } = useReturnFromProvider(mode, onSignedIn);
  const cognito = mode.kind === 'cognito' ? mode.cognito : undefined;

  const goToProvider = useCallback(async () => {
    if (!cognito) return;
    const request = await newAuthorizationRequest();
    rememberRequest(sessionStorage, request);
    window.location.assign(cognitoAuthorizeUrl(cognito, window.location.origin, request));
  }, [cognito]);

  useEffect(() => {
    // Deployed: straight to the hosted UI (after an expired session or a failed sign-in, on the
    // person's click instead).
    if (cognito && !expired && !returning && !failed) void goToProvider();
  }, [cognito, expired, returning, failed, goToProvider]);

  return (
    <div className="signin">
      <header className="signin-header">
        <div className="brand">
          <BrandMark />
          <span className="brand-name">{t('appName')}</span>
          <span className="brand-tagline">{t('appTagline')}</span>
        </div>
        <LanguageSwitch />
      </header>
      <main id="main" className="signin-main">
        <h1>{t('signInTitle')}</h1>
        <p className="lead">{t('signInIntro')}</p>
        {expired ? (
          <p className="alert alert-info" role="status">
            {t('sessionExpired')}
          </p>
        ) : null}
        {failed ? (
          <p className="alert alert-error" role="alert">
            {t('signInFailed')}
          </p>
        ) : null}
        {returning ? (
          <Loading label={t('signingIn')} />
        ) : cognito ? (
          <p>
            <button type="button" className="button button-primary" onClick={() => void goToProvider()}>
              {t('signInCognito')}
            </button>
          </p>
        ) : (
          <DemoUsers token={mode.token} onSignedIn={onSignedIn} />
        )}
      </main>
    </div>
  );
}

/**
 * The local demo users. Picking one signs in the way a deployment does, against the local identity
 * provider: a code for this browser's PKCE challenge (POST /api/dev/login), exchanged with the verifier at
 * its token endpoint, `state` and `nonce` checked.
 */
function DemoUsers({ token, onSignedIn }: { token: TokenEndpoint; onSignedIn: () => void }) {
  const { t, l } = useI18n();
  const users = useGet('/api/dev/users', DemoUsersSchema);
  const [query, setQuery] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<string | undefined>();

  const groups = useMemo(() => {
    if (users.status !== 'ready') return [];
    const byOrg = new Map<string, { orgName: string; users: DemoUser[] }>();
    for (const user of users.value.users) {
      if (!matches(query, user.name, user.title, user.orgName, l.role(user.role))) continue;
      const group = byOrg.get(user.orgId) ?? { orgName: user.orgName, users: [] };
      group.users.push(user);
      byOrg.set(user.orgId, group);
    }
    for (const group of byOrg.values())
      group.users.sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role));
    // The city first, then the others by name.
    return [...byOrg.entries()].sort(([a, x], [b, y]) =>
      a === 'ubnd-hanoi' ? -1 : b === 'ubnd-hanoi' ? 1 : x.orgName.localeCompare(y.orgName, 'vi'),
    );
  }, [users, query, l]);

  const signIn = async (user: DemoUser) => {
    setBusy(user.userId);
    setError(undefined);
    try {
      const request = await newAuthorizationRequest();
      const answer = await api('POST', '/api/dev/login', DemoCodeSchema, {
        body: {
          userId: user.userId,
          clientId: token.clientId,
          redirectUri: token.redirectUri,
          state: request.state,
          nonce: request.nonce,
          codeChallenge: request.codeChallenge,
          codeChallengeMethod: 'S256',
        },
      });
      setToken(
        await completeSignIn(token, request, { kind: 'code', code: answer.code, state: answer.state }),
      );
      onSignedIn();
    } catch (e) {
      setError(e instanceof SignInError ? new Error(t('signInFailed')) : e);
      setBusy(undefined);
    }
  };

  if (users.status === 'loading') return <Loading />;
  if (users.status === 'error') return <ErrorMessage error={users.error} onRetry={users.reload} />;
  return (
    <section aria-labelledby="demo-heading">
      <h2 id="demo-heading" className="section-title">
        {t('signInDemo')}
      </h2>
      <Field label={t('signInSearch')}>
        {(props) => (
          <input
            {...props}
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            autoComplete="off"
          />
        )}
      </Field>
      <ErrorMessage error={error} />
      <div className="org-groups">
        {groups.map(([orgId, group]) => (
          <section key={orgId} className="org-group" aria-labelledby={`org-${orgId}`}>
            <h3 id={`org-${orgId}`}>{group.orgName}</h3>
            <ul className="user-list">
              {group.users.map((user) => (
                <li key={user.userId}>
                  <button
                    type="button"
                    className="user-button"
                    disabled={busy !== undefined}
                    onClick={() => void signIn(user)}
                    data-user={user.userId}
                  >
                    <span className="user-name">{user.name}</span>
                    <span className="user-title">{positionLabel(user.title, l.role(user.role))}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </section>
  );
}

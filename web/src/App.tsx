import { type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import * as z from 'zod';
import { directoryContracts, type Me, type OrganisationSummary } from '../../lambdas/contracts/directory';
import { AdminPage } from './AdminPage';
import { AuditPage } from './AuditPage';
import { configureApi, get, getToken, setToken } from './api';
import { DelegationsPage } from './DelegationsPage';
import { DocumentPage } from './DocumentPage';
import { FolderPage } from './FolderPage';
import { I18nContext, type Language, makeI18n, storedLanguage, storeLanguage } from './i18n';
import { MyWorkPage } from './MyWorkPage';
import { NewDraftPage } from './NewDraftPage';
import { OverduePage } from './notifications/OverduePage';
import { ProfilePage } from './ProfilePage';
import { forgetPeople } from './people';
import { ReceivedPage } from './ReceivedPage';
import { RegistersPage } from './RegistersPage';
import { navigate, useRoute } from './router';
import { Shell } from './Shell';
import { SignInPage } from './SignInPage';
import { StatisticsPage } from './StatisticsPage';
import { type Capabilities, type Session, SessionContext } from './session';
import { ErrorMessage, Loading } from './ui';
import { WebhooksPage } from './WebhooksPage';

/** Where the person was when the session expired. */
const RETURN_KEY = 'docflow.returnTo';

interface Loaded {
  readonly me: Me;
  readonly orgList: readonly OrganisationSummary[];
  readonly capabilities: Capabilities;
}

/** What the web reads of the OpenAPI document: which paths and methods there are. */
const OpenApiPathsSchema = z.object({
  paths: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});

/** The optional routes this deployment has, from its OpenAPI document. */
async function capabilities(): Promise<Capabilities> {
  try {
    const openapi = await get('/api/openapi.json', OpenApiPathsSchema);
    const has = (method: 'get' | 'post', path: string) => openapi.paths?.[path]?.[method] !== undefined;
    return {
      documentVerification: has('get', '/api/documents/{id}/verification'),
      uploadVerification: has('post', '/api/verify') && has('post', '/api/verify/{id}'),
      evidence: has('get', '/api/documents/{id}/evidence'),
    };
  } catch {
    return { documentVerification: false, uploadVerification: false, evidence: false };
  }
}

export function App() {
  const [language, setLanguageState] = useState<Language>(storedLanguage);
  // Back from the identity provider (`?code=…&state=…`), SignInPage finishes the sign-in.
  const [signedIn, setSignedIn] = useState(() => getToken() !== undefined);
  const [expired, setExpired] = useState(false);
  const [loaded, setLoaded] = useState<Loaded | undefined>();
  const [loadError, setLoadError] = useState<unknown>();
  const [countsVersion, setCountsVersion] = useState(0);
  const route = useRoute();

  const setLanguage = useCallback((next: Language) => {
    storeLanguage(next);
    setLanguageState(next);
  }, []);
  const i18n = useMemo(() => makeI18n(language, setLanguage), [language, setLanguage]);

  const signOut = useCallback(() => {
    setToken(undefined);
    forgetPeople();
    setLoaded(undefined);
    setSignedIn(false);
    navigate({ page: 'home' });
  }, []);

  configureApi({
    language,
    onUnauthenticated: () => {
      // Signing in again comes back here (the document being read), not to the inbox (issue 18).
      // Several requests may be refused at once; the first one, still on the page read, says where.
      const where = window.location.hash;
      if (where && where !== '#/' && where !== '#') sessionStorage.setItem(RETURN_KEY, where);
      setExpired(true);
      signOut();
    },
  });

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  const load = useCallback(async () => {
    setLoadError(undefined);
    try {
      const [me, orgList, caps] = await Promise.all([
        get('/api/me', directoryContracts['GET /api/me'].response),
        get('/api/orgs', directoryContracts['GET /api/orgs'].response),
        capabilities(),
      ]);
      setLoaded({ me, orgList, capabilities: caps });
    } catch (error) {
      setLoadError(error);
    }
  }, []);

  useEffect(() => {
    if (signedIn) void load();
  }, [signedIn, load]);

  const session = useMemo<Session | undefined>(() => {
    if (!loaded) return undefined;
    const orgs = new Map(loaded.orgList.map((o) => [o.id, o]));
    return {
      me: loaded.me,
      orgs,
      orgList: loaded.orgList,
      orgName: (id) => (id ? (orgs.get(id)?.name ?? id) : '—'),
      countsVersion,
      refreshCounts: () => setCountsVersion((n) => n + 1),
      signOut,
      capabilities: loaded.capabilities,
    };
  }, [loaded, countsVersion, signOut]);

  let page: ReactNode;
  if (!signedIn) {
    page = (
      <SignInPage
        expired={expired}
        onSignedIn={() => {
          setExpired(false);
          setSignedIn(true);
          const back = sessionStorage.getItem(RETURN_KEY);
          sessionStorage.removeItem(RETURN_KEY);
          if (back && back !== '#/') window.location.hash = back;
        }}
      />
    );
  } else if (!session) {
    page = (
      <main className="centered" id="main">
        {loadError ? <ErrorMessage error={loadError} onRetry={() => void load()} /> : <Loading />}
      </main>
    );
  } else {
    page = (
      <SessionContext.Provider value={session}>
        <Shell route={route}>
          {route.page === 'folder' ? (
            <FolderPage key={route.folder} folder={route.folder} />
          ) : route.page === 'document' ? (
            <DocumentPage key={route.id} id={route.id} />
          ) : route.page === 'new' ? (
            <NewDraftPage />
          ) : route.page === 'audit' ? (
            <AuditPage key={route.id ?? 'audit'} id={route.id} />
          ) : route.page === 'registers' ? (
            <RegistersPage />
          ) : route.page === 'statistics' ? (
            <StatisticsPage />
          ) : route.page === 'delegations' ? (
            <DelegationsPage />
          ) : route.page === 'admin' ? (
            <AdminPage />
          ) : route.page === 'webhooks' ? (
            <WebhooksPage />
          ) : route.page === 'profile' ? (
            <ProfilePage />
          ) : route.page === 'work' ? (
            <MyWorkPage />
          ) : route.page === 'received' ? (
            <ReceivedPage />
          ) : route.page === 'overdue' ? (
            <OverduePage />
          ) : (
            <Home />
          )}
        </Shell>
      </SessionContext.Provider>
    );
  }
  return <I18nContext.Provider value={i18n}>{page}</I18nContext.Provider>;
}

/** The first screen after signing in: "my work", the audit desk for auditors, people for administrators. */
function Home() {
  const session = useContext(SessionContext);
  useEffect(() => {
    const role = session?.me.position.role;
    // Everyone but auditors starts with what needs them now (issue 18).
    if (role === 'auditor') navigate({ page: 'audit' });
    // Administrators read no documents (issue 21): they start with the people they manage (issue 19).
    else if (role === 'admin') navigate({ page: 'admin' });
    else navigate({ page: 'work' });
  }, [session]);
  return <Loading />;
}

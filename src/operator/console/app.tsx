import { useEffect, useMemo, useState, type ReactElement } from 'react';
import { Provider } from 'urql';
import { highestRole } from '../api/token-roles';
import type { SchemaFeatures } from '../api/schema-features';
import { createGatewayClient } from './gateway-client';
import { DuplicatesPage } from './pages/duplicates.page';
import { FullSyncPage } from './pages/full-sync.page';
import { MappingsPage } from './pages/mappings.page';
import { RecordsPage } from './pages/records.page';
import { SignInPage } from './pages/sign-in.page';
import { SyncErrorsPage } from './pages/sync-errors.page';
import { claimsOf, SessionContext, storedToken, storeToken, useSession, type Session } from './session';
import { loadFeatures } from './sign-in';

/** The pages; one that `needs` a query is shown only by a gateway that offers it. */
const PAGES: ReadonlyArray<{ path: string; title: string; Page: () => ReactElement; needs?: string }> = [
  { path: 'full-sync', title: 'Full synchronisation', Page: FullSyncPage },
  { path: 'errors', title: 'Sync errors', Page: SyncErrorsPage },
  { path: 'duplicates', title: 'Possible duplicates', Page: DuplicatesPage, needs: 'possibleDuplicates' },
  { path: 'records', title: 'Records', Page: RecordsPage },
  { path: 'mappings', title: 'Mappings', Page: MappingsPage },
];

const currentPath = () => location.hash.replace(/^#\/?/, '').split('?')[0] || PAGES[0]!.path;

/** The console: a sign-in until a token is accepted, then the pages, chosen by the URL's hash. */
export function App() {
  const [signedIn, setSignedIn] = useState<{ token: string; features: SchemaFeatures } | null>(null);
  const [resuming, setResuming] = useState(() => storedToken() !== null);

  useEffect(() => {
    const token = storedToken();
    if (!token) return;
    loadFeatures(token)
      .then((features) => setSignedIn({ token, features }))
      .catch(() => storeToken(null))
      .finally(() => setResuming(false));
  }, []);

  const gateway = useMemo(() => (signedIn ? createGatewayClient(signedIn.token) : null), [signedIn]);
  useEffect(() => () => gateway?.dispose(), [gateway]);

  if (resuming) return <p className="loading">Signing in…</p>;
  if (!signedIn || !gateway) {
    return (
      <SignInPage
        onSignedIn={(token, features) => {
          storeToken(token);
          setSignedIn({ token, features });
        }}
      />
    );
  }
  const session: Session = {
    token: signedIn.token,
    claims: claimsOf(signedIn.token) ?? { subject: null, roles: [], expiresAt: null },
    features: signedIn.features,
    signOut: () => {
      storeToken(null);
      setSignedIn(null);
    },
  };
  return (
    <SessionContext.Provider value={session}>
      <Provider value={gateway.client}>
        <Shell />
      </Provider>
    </SessionContext.Provider>
  );
}

function Shell() {
  const session = useSession();
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const onHash = () => setPath(currentPath());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const pages = PAGES.filter((p) => !p.needs || session.features.query(p.needs));
  const page = pages.find((p) => p.path === path) ?? pages[0]!;
  return (
    <div className="shell">
      <header className="top">
        <strong className="brand">ERP ⇄ CRM</strong>
        <nav aria-label="Pages">
          {pages.map((p) => (
            <a key={p.path} href={`#/${p.path}`} aria-current={p === page ? 'page' : undefined}>
              {p.title}
            </a>
          ))}
        </nav>
        <span className="who" data-testid="signed-in-as">
          {session.claims.subject ?? 'signed in'} · {highestRole(session.claims.roles) ?? 'no role'}
        </span>
        <button type="button" className="quiet" onClick={session.signOut}>
          Sign out
        </button>
      </header>
      <main>
        <h1>{page.title}</h1>
        <page.Page />
      </main>
    </div>
  );
}

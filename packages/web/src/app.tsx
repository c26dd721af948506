import { type ComponentType, lazy, Suspense, useEffect } from 'react';
import { useMe } from './api/use-session.js';
import { ErrorMessage, Loading } from './components/data-state.js';
import { Layout } from './components/layout.js';
import { nextFrom } from './lib/next-page.js';
import { LoginPage } from './pages/login-page.js';
import { SignupPage } from './pages/signup-page.js';
import { matchPath, navigate, useLocation } from './router.js';

type Page = { path: string; title: string; component: ComponentType<{ params: Record<string, string> }> };

// Each page is its own chunk: the first page loads only what it draws.
const PAGES: Page[] = [
  { path: '/overview', title: 'Overview', component: lazy(() => import('./pages/overview-page.js')) },
  { path: '/requests', title: 'Requests', component: lazy(() => import('./pages/requests-page.js')) },
  { path: '/requests/:id', title: 'Request', component: lazy(() => import('./pages/request-detail-page.js')) },
  { path: '/sessions', title: 'Sessions', component: lazy(() => import('./pages/sessions-page.js')) },
  { path: '/sessions/:id', title: 'Session', component: lazy(() => import('./pages/session-page.js')) },
  { path: '/users', title: 'Users', component: lazy(() => import('./pages/users-page.js')) },
  { path: '/users/:id', title: 'User', component: lazy(() => import('./pages/user-page.js')) },
  { path: '/playground', title: 'Playground', component: lazy(() => import('./pages/playground-page.js')) },
  { path: '/keys', title: 'API keys', component: lazy(() => import('./pages/keys-page.js')) },
  { path: '/providers', title: 'Providers & routes', component: lazy(() => import('./pages/providers-page.js')) },
  { path: '/usage', title: 'Usage & limits', component: lazy(() => import('./pages/usage-page.js')) },
  { path: '/alerts', title: 'Alerts', component: lazy(() => import('./pages/alerts-page.js')) },
  { path: '/members', title: 'Members', component: lazy(() => import('./pages/members-page.js')) },
  { path: '/settings', title: 'Settings', component: lazy(() => import('./pages/settings-page.js')) },
  { path: '/operator', title: 'Operator', component: lazy(() => import('./pages/operator-page.js')) },
  {
    path: '/getting-started',
    title: 'Getting started',
    component: lazy(() => import('./pages/getting-started-page.js')),
  },
];

const PUBLIC_PAGES: Record<string, ComponentType> = { '/login': LoginPage, '/signup': SignupPage };

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

export function App() {
  const { pathname, search } = useLocation();
  const me = useMe();

  const PublicPage = PUBLIC_PAGES[pathname];
  if (PublicPage) return me.data ? <Redirect to={nextFrom(search)} /> : <PublicPage />;

  if (me.isPending) return <Loading label="Loading Switchyard…" />;
  if (me.isError) return <ErrorMessage error={me.error} retry={() => me.refetch()} />;
  if (!me.data) return <Redirect to={`/login?next=${encodeURIComponent(pathname + search)}`} />;
  if (pathname === '/') return <Redirect to="/overview" />;

  for (const page of PAGES) {
    const params = matchPath(page.path, pathname);
    if (!params) continue;
    const Component = page.component;
    document.title = `${page.title} · Switchyard`;
    return (
      <Layout>
        <Suspense fallback={<Loading />}>
          {/* Keyed by org: switching orgs starts each page afresh (its state, its live stream). */}
          <Component key={me.data.org.id} params={params} />
        </Suspense>
      </Layout>
    );
  }
  return (
    <Layout>
      <h1>Not found</h1>
      <p>
        There is no page at <code>{pathname}</code>. <a href="/overview">Go to the overview</a>.
      </p>
    </Layout>
  );
}

import { type ReactNode, useState } from 'react';
import { useReadiness } from '../api/use-readiness.js';
import { useLogOut, useMe, useSwitchOrg } from '../api/use-session.js';
import { useAction } from '../lib/use-action.js';
import { Link, navigate, useLocation } from '../router.js';
import { SuspendedBanner } from './suspended-banner.js';

const NAVIGATION = [
  { to: '/overview', label: 'Overview' },
  { to: '/requests', label: 'Requests' },
  { to: '/sessions', label: 'Sessions' },
  { to: '/users', label: 'Users' },
  { to: '/playground', label: 'Playground' },
  { to: '/keys', label: 'API keys' },
  { to: '/providers', label: 'Providers & routes' },
  { to: '/usage', label: 'Usage & limits' },
  { to: '/alerts', label: 'Alerts' },
  { to: '/members', label: 'Members' },
  { to: '/settings', label: 'Settings' },
  { to: '/getting-started', label: 'Getting started' },
];

// Only for the server's operators, who sit above the orgs.
const OPERATOR_NAVIGATION = [{ to: '/operator', label: 'Operator' }];

function ServerStatus() {
  const ready = useReadiness();
  const state = ready.isPending ? 'checking' : ready.data?.status === 'ok' ? 'ok' : 'degraded';
  return (
    <a className="server-status" href="/ready" data-state={state} title="Server readiness">
      <span className="dot" aria-hidden="true" />
      {state === 'ok' ? 'Server ready' : state === 'checking' ? 'Checking…' : 'Server degraded'}
    </a>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { data: me } = useMe();
  const switchOrg = useSwitchOrg();
  const logOut = useLogOut();
  const { pathname } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const orgSwitch = useAction(switchOrg);
  if (!me) return null;

  const signOut = async () => {
    await logOut();
    navigate('/login');
  };

  return (
    <div className="shell" data-menu-open={menuOpen}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="sidebar">
        <div className="brand-row">
          <Link to="/overview" className="brand">
            Switchyard
          </Link>
          <button
            type="button"
            className="menu-toggle secondary small"
            aria-expanded={menuOpen}
            aria-controls="main-navigation"
            onClick={() => setMenuOpen(!menuOpen)}
          >
            Menu
          </button>
        </div>
        {me.orgs.length > 1 ? (
          <label className="org-switcher">
            <span>Organization</span>
            <select value={me.org.id} onChange={(event) => orgSwitch.run(event.target.value)}>
              {me.orgs.map((org) => (
                <option key={org.id} value={org.id}>
                  {org.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <div className="org-switcher">
            <span className="muted">Organization</span> <strong>{me.org.name}</strong>
          </div>
        )}
        {orgSwitch.error && <p className="error-text">{orgSwitch.error}</p>}
        <nav id="main-navigation" aria-label="Main">
          <ul>
            {[...NAVIGATION, ...(me.user.isOperator ? OPERATOR_NAVIGATION : [])].map((item) => (
              <li key={item.to}>
                <Link
                  to={item.to}
                  aria-current={pathname === item.to || pathname.startsWith(`${item.to}/`) ? 'page' : undefined}
                  onClick={() => setMenuOpen(false)}
                >
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="account">
          <span className="muted" title={me.user.email}>
            {me.user.email} · {me.org.role}
          </span>
          <button type="button" className="secondary small" onClick={signOut}>
            Log out
          </button>
          <ServerStatus />
          <a href="/docs" className="muted">
            API reference
          </a>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <SuspendedBanner />
        {children}
      </main>
    </div>
  );
}

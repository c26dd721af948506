import { useMe } from '../api/use-session.js';
import { EmptyState } from '../components/data-state.js';
import { OperatorOrgsSection } from './operator/operator-orgs-section.js';
import { ServerPricesSection } from './operator/server-prices-section.js';

/** The server operator's page: every org, and the decisions no org makes for itself. */
export default function OperatorPage(_props: { params: Record<string, string> }) {
  const { data: me } = useMe();
  if (!me) return null;

  return (
    <>
      <div className="page-header">
        <h1>Operator</h1>
      </div>
      {me.user.isOperator ? (
        <>
          <p className="muted">
            Every organization on this server with its plan and what it used this month. Plans, limit overrides and
            suspensions set here apply on every replica at once.
          </p>
          <OperatorOrgsSection />
          <ServerPricesSection />
        </>
      ) : (
        <EmptyState title="Only the server's operators can open this page">
          <p>
            It lists every organization on this Switchyard server and sets their plans, limits and suspensions. The
            person who runs the server can make you an operator with{' '}
            <code>switchyard operator grant {me.user.email}</code>.
          </p>
        </EmptyState>
      )}
    </>
  );
}

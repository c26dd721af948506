import type { EndUserSummary } from '@switchyard/shared';
import { ApiError } from '../api/client.js';
import { useEndUser, useEndUserTraces } from '../api/use-end-users.js';
import { useSessions } from '../api/use-sessions.js';
import { EmptyState, ErrorMessage, Loading, QueryState } from '../components/data-state.js';
import { LoadMore } from '../components/load-more.js';
import { StatList } from '../components/stat-list.js';
import { formatCount, formatDateTime, formatUsd } from '../lib/format.js';
import { Link, useSearchParams } from '../router.js';
import { formatSort, parseSort, TracesTable } from './requests/traces-table.js';
import { SessionsTable } from './sessions/sessions-table.js';

function UserStats({ user }: { user: EndUserSummary }) {
  const stats = [
    { label: 'Requests', value: formatCount(user.traceCount), testId: 'user-requests' },
    { label: 'Sessions', value: formatCount(user.sessionCount), testId: 'user-sessions' },
    { label: 'Tokens', value: formatCount(user.inputTokens + user.outputTokens), testId: 'user-tokens' },
    { label: 'Cost', value: formatUsd(user.costUsd), testId: 'user-cost' },
    { label: 'Errors', value: formatCount(user.errorCount), testId: 'user-errors' },
  ];
  return (
    <>
      <StatList stats={stats} />
      <p className="muted small">
        First seen {formatDateTime(user.firstSeenAt)} · last seen {formatDateTime(user.lastSeenAt)}
      </p>
    </>
  );
}

function UserSessions({ userId }: { userId: string }) {
  const sessions = useSessions({ userId });
  const loaded = sessions.data?.pages.flatMap((page) => page.data) ?? [];
  if (sessions.isPending) return <Loading label="Loading sessions…" />;
  if (sessions.isError) return <ErrorMessage error={sessions.error} retry={() => sessions.refetch()} />;
  if (loaded.length === 0) return <p className="muted">None of their traces is part of a session.</p>;
  return (
    <>
      <SessionsTable sessions={loaded} showUser={false} />
      <LoadMore query={sessions} shown={loaded.length} />
    </>
  );
}

function UserTraces({ userId }: { userId: string }) {
  const [params, setParams] = useSearchParams();
  const sort = parseSort(params.get('sort'));
  const traces = useEndUserTraces({ userId, sort: formatSort(sort) });
  const loaded = traces.data?.pages.flatMap((page) => page.data) ?? [];
  if (traces.isPending) return <Loading label="Loading requests…" />;
  if (traces.isError) return <ErrorMessage error={traces.error} retry={() => traces.refetch()} />;
  return (
    <>
      <TracesTable
        traces={loaded}
        sort={sort}
        onSort={(next) => {
          const value = formatSort(next);
          setParams({ sort: value === '-startTime' ? null : value });
        }}
      />
      <LoadMore query={traces} shown={loaded.length} />
    </>
  );
}

export default function UserPage({ params }: { params: Record<string, string> }) {
  const id = params.id ?? '';
  const user = useEndUser(id);
  return (
    <>
      <div className="page-header">
        <div>
          <p className="small">
            <Link to="/users">← Users</Link>
          </p>
          <h1>
            User <span className="mono">{id}</span>
          </h1>
        </div>
        <Link to={`/requests?userId=${encodeURIComponent(id)}`} className="small">
          Filter all requests by this user →
        </Link>
      </div>
      {user.error instanceof ApiError && user.error.status === 404 ? (
        <EmptyState title="No such user in this organization">
          <p>
            No trace of this org names that user. <Link to="/users">Back to users</Link>
          </p>
        </EmptyState>
      ) : (
        <QueryState query={user} label="Loading the user…">
          {(data) => (
            <>
              <UserStats user={data} />
              <h2>Sessions</h2>
              <UserSessions userId={id} />
              <h2>Requests</h2>
              <UserTraces userId={id} />
            </>
          )}
        </QueryState>
      )}
    </>
  );
}

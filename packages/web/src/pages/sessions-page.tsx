import { useSessions } from '../api/use-sessions.js';
import { EmptyState, ErrorMessage, Loading } from '../components/data-state.js';
import { LoadMore } from '../components/load-more.js';
import { SessionsTable } from './sessions/sessions-table.js';

export default function SessionsPage() {
  const sessions = useSessions();
  const loaded = sessions.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <>
      <div className="page-header">
        <h1>Sessions</h1>
        <button type="button" className="secondary" onClick={() => sessions.refetch()} disabled={sessions.isFetching}>
          {sessions.isFetching && !sessions.isFetchingNextPage ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {sessions.isPending ? (
        <Loading label="Loading sessions…" />
      ) : sessions.isError ? (
        <ErrorMessage error={sessions.error} retry={() => sessions.refetch()} />
      ) : loaded.length === 0 ? (
        <EmptyState title="No sessions yet">
          <p>
            Calls and traces that share a session id are grouped here, like the turns of a conversation. Send{' '}
            <code>x-switchyard-session-id</code> (and <code>x-switchyard-user-id</code>) with gateway calls, or{' '}
            <code>sessionId</code> with the SDK's traces.
          </p>
        </EmptyState>
      ) : (
        <>
          <SessionsTable sessions={loaded} />
          <LoadMore query={sessions} shown={loaded.length} />
        </>
      )}
    </>
  );
}

import type { SessionSummary } from '@switchyard/shared';
import { ApiError } from '../api/client.js';
import { useSession } from '../api/use-sessions.js';
import { EmptyState, ErrorMessage, Loading } from '../components/data-state.js';
import { LoadMore } from '../components/load-more.js';
import { StatList } from '../components/stat-list.js';
import { formatCount, formatDateTime, formatMs, formatUsd } from '../lib/format.js';
import { Link } from '../router.js';
import { SessionTurnCard } from './sessions/session-turn.js';
import { userHref } from './sessions/sessions-table.js';

function SessionStats({ session }: { session: SessionSummary }) {
  const stats = [
    { label: 'Traces', value: formatCount(session.traceCount), testId: 'session-traces' },
    { label: 'Tokens', value: formatCount(session.inputTokens + session.outputTokens), testId: 'session-tokens' },
    { label: 'Cost', value: formatUsd(session.costUsd), testId: 'session-cost' },
    { label: 'Errors', value: formatCount(session.errorCount), testId: 'session-errors' },
    { label: 'Duration', value: formatMs(session.durationMs), testId: 'session-duration' },
  ];
  return <StatList stats={stats} />;
}

export default function SessionPage({ params }: { params: Record<string, string> }) {
  const id = params.id ?? '';
  const session = useSession(id);
  const summary = session.data?.pages[0]?.session;
  const turns = session.data?.pages.flatMap((page) => page.traces) ?? [];
  return (
    <>
      <div className="page-header">
        <div>
          <p className="small">
            <Link to="/sessions">← Sessions</Link>
          </p>
          <h1>
            Session <span className="mono">{id}</span>
          </h1>
          {summary && (
            <p className="muted small">
              {formatDateTime(summary.firstTraceAt)} to {formatDateTime(summary.lastTraceAt)}
              {summary.userIds.length > 0 && ' · '}
              {summary.userIds.map((userId, index) => (
                <span key={userId}>
                  {index > 0 && ', '}
                  <Link to={userHref(userId)}>{userId}</Link>
                </span>
              ))}
            </p>
          )}
        </div>
      </div>
      {session.error instanceof ApiError && session.error.status === 404 ? (
        <EmptyState title="No such session in this organization">
          <p>
            No trace of this org carries that session id. <Link to="/sessions">Back to sessions</Link>
          </p>
        </EmptyState>
      ) : session.isPending ? (
        <Loading label="Loading the session…" />
      ) : session.isError ? (
        <ErrorMessage error={session.error} retry={() => session.refetch()} />
      ) : (
        <>
          {summary && <SessionStats session={summary} />}
          <h2>Conversation</h2>
          <ol className="stack" style={{ listStyle: 'none', padding: 0 }}>
            {turns.map((turn, index) => (
              <li key={turn.id}>
                <SessionTurnCard turn={turn} index={index} />
              </li>
            ))}
          </ol>
          <LoadMore query={session} shown={turns.length} noun={`of ${summary?.traceCount ?? turns.length} turns`} />
        </>
      )}
    </>
  );
}

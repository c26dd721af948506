import type { SessionSummary } from '@switchyard/shared';
import { formatAgo, formatCount, formatDateTime, formatMs, formatUsd } from '../../lib/format.js';
import { Link, navigate } from '../../router.js';

export const sessionHref = (sessionId: string) => `/sessions/${encodeURIComponent(sessionId)}`;
export const userHref = (userId: string) => `/users/${encodeURIComponent(userId)}`;

/** Sessions as rows; a row opens its session. Without the user column on a user's own page. */
export function SessionsTable({ sessions, showUser = true }: { sessions: SessionSummary[]; showUser?: boolean }) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Session</th>
            {showUser && <th scope="col">User</th>}
            <th scope="col" className="number">
              Traces
            </th>
            <th scope="col" className="number">
              Tokens
            </th>
            <th scope="col" className="number">
              Cost
            </th>
            <th scope="col" className="number">
              Errors
            </th>
            <th scope="col" className="number">
              Duration
            </th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((session) => {
            const href = sessionHref(session.sessionId);
            return (
              <tr
                key={session.sessionId}
                className="clickable"
                onClick={() => navigate(href)}
                data-testid="session-row"
              >
                <td className="mono">
                  <Link to={href} onClick={(event) => event.stopPropagation()}>
                    {session.sessionId}
                  </Link>
                </td>
                {showUser && (
                  <td>
                    {session.userIds.length === 0 ? (
                      <span className="muted">—</span>
                    ) : (
                      session.userIds.map((userId, index) => (
                        <span key={userId}>
                          {index > 0 && ', '}
                          <Link to={userHref(userId)} onClick={(event) => event.stopPropagation()}>
                            {userId}
                          </Link>
                        </span>
                      ))
                    )}
                  </td>
                )}
                <td className="number">{formatCount(session.traceCount)}</td>
                <td className="number">{formatCount(session.inputTokens + session.outputTokens)}</td>
                <td className="number">{formatUsd(session.costUsd)}</td>
                <td className="number">
                  {session.errorCount > 0 ? <span className="badge error">{session.errorCount}</span> : '0'}
                </td>
                <td className="number">{formatMs(session.durationMs)}</td>
                <td title={formatDateTime(session.lastTraceAt)}>{formatAgo(session.lastTraceAt)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

import { formatMs } from '../../lib/format.js';
import { Link } from '../../router.js';

export type Turn = {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  /** For answers: what the gateway said about the call, and where its trace is. */
  call?: {
    traceId: string;
    provider: string | null;
    cache: string | null;
    latencyMs: number;
    ttftMs: number | null;
    tokens: string | null;
    error?: string;
  };
};

export function Conversation({ turns }: { turns: Turn[] }) {
  if (turns.length === 0) {
    return <p className="muted">Pick a model, write a message and press Send (or Ctrl+Enter).</p>;
  }
  return (
    <div className="messages" aria-live="polite" data-testid="conversation">
      {turns.map((turn) => (
        <div key={turn.id} className={`message ${turn.role}`} data-testid={`turn-${turn.role}`}>
          <div className="role">{turn.role}</div>
          {turn.call?.error ? (
            <p className="error-text" role="alert">
              {turn.call.error}
            </p>
          ) : (
            <pre>{turn.content || '…'}</pre>
          )}
          {turn.call && (
            <p className="small muted">
              {turn.call.provider && <>via {turn.call.provider} · </>}
              {formatMs(turn.call.latencyMs)}
              {turn.call.ttftMs !== null && <> · first token {formatMs(turn.call.ttftMs)}</>}
              {turn.call.tokens && <> · {turn.call.tokens}</>}
              {turn.call.cache && <> · cache {turn.call.cache}</>} ·{' '}
              <Link to={`/requests/${encodeURIComponent(turn.call.traceId)}`}>View in Requests</Link>
            </p>
          )}
        </div>
      ))}
    </div>
  );
}

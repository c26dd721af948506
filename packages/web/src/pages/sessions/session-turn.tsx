import type { SessionTurn } from '@switchyard/shared';
import { formatCount, formatMs, formatShortTime, formatUsd } from '../../lib/format.js';
import { turnInputOf } from '../../lib/turn-input.js';
import { Link } from '../../router.js';
import { ChatView } from '../request-detail/chat-view.js';

const HEADER_STYLE = { display: 'flex', flexWrap: 'wrap', gap: '0.25rem 0.6rem', alignItems: 'baseline' } as const;

/** One trace of a session as a turn: what was asked, what came back, and a link to the whole request. */
export function SessionTurnCard({ turn, index }: { turn: SessionTurn; index: number }) {
  const { input, earlierMessages } = turnInputOf(turn.input);
  const label = turn.name ?? (turn.models.join(', ') || 'Trace');
  return (
    <article className="card stack" data-testid="session-turn" aria-label={`Turn ${index + 1}`}>
      <header style={HEADER_STYLE}>
        <strong>#{index + 1}</strong>
        <span className="muted small">{formatShortTime(turn.startTime)}</span>
        <span className="mono small">{label}</span>
        <span className={`badge ${turn.status}`}>{turn.status}</span>
        <span className="muted small" data-testid="turn-totals">
          {formatCount(turn.inputTokens + turn.outputTokens)} tokens ·{' '}
          {turn.costUsd === null ? 'no price' : formatUsd(turn.costUsd)} · {formatMs(turn.latencyMs)}
        </span>
        <Link to={`/requests/${encodeURIComponent(turn.id)}`} className="small">
          Open request →
        </Link>
      </header>
      {earlierMessages > 0 && (
        <p className="muted small">
          {earlierMessages} earlier {earlierMessages === 1 ? 'message' : 'messages'} of the conversation not repeated
        </p>
      )}
      <ChatView value={input} speaker="user" />
      <ChatView value={turn.output} speaker="assistant" />
    </article>
  );
}

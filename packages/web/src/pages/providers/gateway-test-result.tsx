import { formatMs } from '../../lib/format.js';
import { Link } from '../../router.js';
import { type GatewayTestOutcome, TEST_PROMPT } from './gateway-test.js';

function attemptsText(attempts: string | null): string | null {
  if (!attempts) return null;
  return attempts === '1' ? '1 attempt' : `${attempts} attempts`;
}

/** What one test call did: who answered, how many tries, how long it took in this browser, and the reply. */
export function GatewayTestResult({ outcome }: { outcome: GatewayTestOutcome | null }) {
  if (!outcome) return null;
  return (
    <div className="gateway-test-result" role="status" aria-live="polite">
      {outcome.status === 'running' && (
        <p className="muted small">
          Sending “{TEST_PROMPT}” to <code>{outcome.model}</code>…
        </p>
      )}
      {outcome.status === 'ok' && (
        <>
          <p className="small">
            <span className="badge success">OK</span> <code>{outcome.model}</code> answered by{' '}
            <code>{outcome.provider ?? 'unknown provider'}</code>
            {[attemptsText(outcome.attempts), formatMs(outcome.latencyMs)]
              .filter(Boolean)
              .map((fact) => ` · ${fact}`)
              .join('')}
          </p>
          <blockquote className="gateway-test-reply">
            {outcome.reply || <span className="muted">(an empty reply)</span>}
          </blockquote>
        </>
      )}
      {outcome.status === 'failed' && (
        <p className="small">
          <span className="badge error">Failed</span> <code>{outcome.model}</code>
          {outcome.latencyMs === null ? '' : ` after ${formatMs(outcome.latencyMs)}`}:{' '}
          <span className="error-text">{outcome.message}</span>
        </p>
      )}
      {outcome.status !== 'running' && outcome.createdKey && (
        <p className="muted small">
          A “Playground” API key was created for this browser to make the call; it is listed under{' '}
          <Link to="/keys">API keys</Link>.
        </p>
      )}
    </div>
  );
}

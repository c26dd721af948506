import type { Org } from '@switchyard/shared';
import { formatDateTime } from '../../lib/format.js';

/** Where the org's settings are, the suspension is explained in full: since when, why, what still works. */
export function SuspensionNotice({ suspension }: { suspension: NonNullable<Org['suspended']> }) {
  return (
    <section className="card stack suspension-notice" aria-labelledby="suspension-title">
      <h2 id="suspension-title">Suspended</h2>
      <p>
        The server's operator suspended this organization on {formatDateTime(suspension.at)}
        {suspension.reason ? `: ${suspension.reason}` : '.'}
      </p>
      <p className="muted small">
        Its API keys are refused on every endpoint. Members can still sign in and read everything, but no change is
        saved until the operator lifts the suspension.
      </p>
    </section>
  );
}

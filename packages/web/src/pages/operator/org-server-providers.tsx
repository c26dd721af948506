import type { OperatorOrg } from '@switchyard/shared';
import { useId } from 'react';
import { useUpdateOperatorOrg } from '../../api/use-operator-orgs.js';
import { ErrorText } from '../../components/data-state.js';

/**
 * Whether the org's calls may spend the server-wide provider keys (OPENAI_API_KEY, …). Under the
 * default SHARED_PROVIDERS=first only the first start's org and the orgs marked here may.
 */
export function OrgServerProviders({ org }: { org: OperatorOrg }) {
  const update = useUpdateOperatorOrg();
  const titleId = useId();
  const toggle = () => update.mutate({ id: org.id, patch: { serverProviders: !org.serverProviders } });

  return (
    <section className="card stack" aria-labelledby={titleId}>
      <h3 id={titleId}>Server provider keys</h3>
      <p data-testid="server-providers-state">
        {org.serverProviders ? (
          <>
            <span className="badge success">allowed</span> Its calls may use the server's own provider keys.
          </>
        ) : (
          <>
            <span className="badge">not allowed</span> It reaches <code>mock</code> and its own providers only.
          </>
        )}
      </p>
      <p className="muted small">
        With <code>SHARED_PROVIDERS=all</code> every org may use them, whatever is set here.
      </p>
      <ErrorText message={update.error?.message} />
      <div>
        <button type="button" onClick={toggle} disabled={update.isPending}>
          {update.isPending
            ? 'Saving…'
            : org.serverProviders
              ? "Stop its use of the server's keys"
              : "Let it use the server's keys"}
        </button>
      </div>
    </section>
  );
}

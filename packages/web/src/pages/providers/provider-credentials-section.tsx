import type { ProviderCredential } from '@switchyard/shared';
import { useState } from 'react';
import { useProviderCredentials } from '../../api/use-providers.js';
import { useRoutes } from '../../api/use-routes.js';
import { useCan } from '../../api/use-session.js';
import { EmptyState, QueryState } from '../../components/data-state.js';
import { ProviderForm } from './provider-form.js';
import { ProviderRow } from './provider-row.js';

// Editing is either a new provider or one of the listed ones; null when the form is closed.
type Editing = { provider: ProviderCredential | null } | null;

/** The aliases whose targets call `provider/…`, to say what deleting it would break. */
function useRoutesByProvider(): (providerName: string) => string[] {
  const routes = useRoutes();
  return (providerName) =>
    (routes.data ?? [])
      .filter((route) => route.targets.some((target) => target.model.startsWith(`${providerName}/`)))
      .map((route) => route.alias);
}

export function ProviderCredentialsSection() {
  const providers = useProviderCredentials();
  const canEdit = useCan('admin');
  const canTest = useCan('member');
  const routesUsing = useRoutesByProvider();
  const [editing, setEditing] = useState<Editing>(null);

  return (
    <section aria-labelledby="providers-heading" className="providers-section">
      <div className="page-header section-header">
        <h2 id="providers-heading">Provider credentials</h2>
        {canEdit && !editing && (
          <button type="button" onClick={() => setEditing({ provider: null })}>
            Add provider
          </button>
        )}
      </div>
      <p className="muted">
        This organization’s own keys for OpenAI, Anthropic, Gemini or any OpenAI-compatible server. Keys are stored
        encrypted and never shown again; only their last characters are listed.
      </p>
      {editing && (
        <div className="card providers-form-card">
          <ProviderForm
            key={editing.provider?.id ?? 'new'}
            provider={editing.provider}
            onDone={() => setEditing(null)}
          />
        </div>
      )}
      <QueryState query={providers} label="Loading providers…">
        {(list) =>
          list.length === 0 ? (
            <EmptyState title="No provider keys of this organization’s own">
              <p>
                None are needed to start: the providers configured on the server (from <code>OPENAI_API_KEY</code>,{' '}
                <code>ANTHROPIC_API_KEY</code>, <code>GEMINI_API_KEY</code>…) already work, and <code>mock/echo</code>{' '}
                answers without any key.
              </p>
              <p className="muted">
                {canEdit
                  ? 'Add one to bill calls to your own account, or to reach your own OpenAI-compatible server.'
                  : 'Admins of this organization can add them here.'}
              </p>
            </EmptyState>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Models</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Base URL</th>
                    <th scope="col">Key</th>
                    <th scope="col">Updated</th>
                    {(canEdit || canTest) && <th scope="col" aria-label="Actions" />}
                  </tr>
                </thead>
                <tbody>
                  {list.map((provider) => (
                    <ProviderRow
                      key={provider.id}
                      provider={provider}
                      usedByRoutes={routesUsing(provider.name)}
                      canEdit={canEdit}
                      canTest={canTest}
                      onReplace={() => setEditing({ provider })}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryState>
    </section>
  );
}

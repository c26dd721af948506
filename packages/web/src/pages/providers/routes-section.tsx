import type { Route } from '@switchyard/shared';
import { useState } from 'react';
import { useOrgModels } from '../../api/use-models.js';
import { useProviderCredentials } from '../../api/use-providers.js';
import { useRoutes } from '../../api/use-routes.js';
import { useCan } from '../../api/use-session.js';
import { EmptyState, QueryState } from '../../components/data-state.js';
import { RouteForm } from './route-form.js';
import { RouteRow } from './route-row.js';

// Editing is either a new route or one of the listed ones; null when the form is closed.
type Editing = { route: Route | null } | null;

/** The server's providers' models, then the org's own providers as prefixes to complete. */
function useModelSuggestions(): string[] {
  const providers = useProviderCredentials();
  const models = useOrgModels();
  const served = (models.data?.data ?? []).filter((model) => model.kind === 'model').map((model) => model.id);
  const own = (providers.data ?? []).map((provider) => `${provider.name}/`);
  return [...new Set([...served, ...own])];
}

export function RoutesSection() {
  const routes = useRoutes();
  const canEdit = useCan('admin');
  const canTest = useCan('member');
  const modelSuggestions = useModelSuggestions();
  const [editing, setEditing] = useState<Editing>(null);

  return (
    <section aria-labelledby="routes-heading" className="providers-section">
      <div className="page-header section-header">
        <h2 id="routes-heading">Routes</h2>
        {canEdit && !editing && (
          <button type="button" onClick={() => setEditing({ route: null })}>
            New route
          </button>
        )}
      </div>
      <p className="muted">
        A route gives one name, such as <code>chat</code>, to one or more provider models, with fallbacks, load
        balancing, retries and caching. Clients send the alias as <code>model</code>.
      </p>
      {canTest && (
        <p className="muted small">
          Test sends one short “Say hello” through the gateway with this browser’s “Playground” API key; the first test
          creates that key, and it is listed under API keys.
        </p>
      )}
      {editing && (
        <div className="card providers-form-card">
          <RouteForm
            key={editing.route?.id ?? 'new'}
            route={editing.route}
            modelSuggestions={modelSuggestions}
            onDone={() => setEditing(null)}
          />
        </div>
      )}
      <QueryState query={routes} label="Loading routes…">
        {(list) =>
          list.length === 0 ? (
            <EmptyState title="No routes yet">
              <p>
                Nothing is needed to start: clients can call any model as <code>provider/model</code>, such as{' '}
                <code>mock/echo</code> (always on) or the models of the providers configured on the server.
              </p>
              <p className="muted">
                {canEdit
                  ? 'Add a route to give a stable name to one or more of them, with fallbacks and retries.'
                  : 'Admins of this organization can add routes here.'}
              </p>
            </EmptyState>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Alias</th>
                    <th scope="col">Strategy</th>
                    <th scope="col">Targets</th>
                    <th scope="col">Retries and cache</th>
                    {(canEdit || canTest) && <th scope="col" aria-label="Actions" />}
                  </tr>
                </thead>
                <tbody>
                  {list.map((route) => (
                    <RouteRow
                      key={`${route.id}:${route.updatedAt}`}
                      route={route}
                      canEdit={canEdit}
                      canTest={canTest}
                      onEdit={() => setEditing({ route })}
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

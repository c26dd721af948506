import type { ApiKey, CreatedApiKey } from '@switchyard/shared';
import { useState } from 'react';
import { useKeyPages, useRevokeKey } from '../api/use-keys.js';
import { useCan, useMe } from '../api/use-session.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { CopyButton } from '../components/copy-button.js';
import { EmptyState, QueryState } from '../components/data-state.js';
import { formatAgo, formatCount, formatDateTime, formatUsd } from '../lib/format.js';
import { CreateKeyForm } from './keys/create-key-form.js';

function limitsOf(key: ApiKey): string {
  const limits = [
    key.requestsPerMinute ? `${formatCount(key.requestsPerMinute)} req/min` : null,
    key.tokensPerMinute ? `${formatCount(key.tokensPerMinute)} tok/min` : null,
    key.budgetUsd ? `${formatUsd(key.budgetUsd)}/${key.budgetPeriod}` : null,
  ].filter(Boolean);
  return limits.join(' · ') || 'none';
}

function NewSecret({ created, onDismiss }: { created: CreatedApiKey; onDismiss: () => void }) {
  return (
    <section className="notice stack" aria-live="polite" data-testid="new-secret">
      <strong>Key “{created.name}” created. Copy its secret now: it is not shown again.</strong>
      <div className="row">
        <code className="secret">{created.secret}</code>
        <CopyButton text={created.secret} label="Copy secret" />
      </div>
      <div>
        <button type="button" className="secondary small" onClick={onDismiss}>
          I have copied it
        </button>
      </div>
    </section>
  );
}

export default function KeysPage() {
  const { data: me } = useMe();
  const canManage = useCan('member');
  const canRevokeAny = useCan('admin');
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const keys = useKeyPages();
  const revokeKey = useRevokeKey();

  // Members revoke the keys they made; admins and owners any key of the org.
  const canRevoke = (key: ApiKey) => canRevokeAny || (canManage && key.createdBy === me?.user.id);

  return (
    <>
      <div className="page-header">
        <h1>API keys</h1>
      </div>
      {created && <NewSecret created={created} onDismiss={() => setCreated(null)} />}
      {canManage && me ? (
        <>
          <CreateKeyForm role={me.org.role} onCreated={setCreated} />
          {!canRevokeAny && (
            <p className="muted small">As a member you revoke the keys you made; admins revoke any key of the org.</p>
          )}
        </>
      ) : (
        <p className="muted">You can see this org's keys; creating and revoking them needs the member role.</p>
      )}
      <h2>Keys</h2>
      <QueryState query={keys} label="Loading keys…">
        {({ pages }) => {
          const data = pages.flatMap((page) => page.data);
          return data.length === 0 ? (
            <EmptyState title="No keys yet">
              <p>Create one above to call the gateway and send telemetry.</p>
            </EmptyState>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Key</th>
                    <th scope="col">Scopes</th>
                    <th scope="col">Limits</th>
                    <th scope="col">Last used</th>
                    <th scope="col">Created</th>
                    <th scope="col">Status</th>
                    {canManage && <th scope="col">Actions</th>}
                  </tr>
                </thead>
                <tbody>
                  {data.map((key) => (
                    <tr key={key.id} data-testid="key-row">
                      <td>{key.name}</td>
                      <td className="mono">{key.prefix}…</td>
                      <td>{key.scopes.join(', ')}</td>
                      <td>{limitsOf(key)}</td>
                      <td title={formatDateTime(key.lastUsedAt)}>{formatAgo(key.lastUsedAt)}</td>
                      <td>{formatDateTime(key.createdAt)}</td>
                      <td>
                        {key.revokedAt ? (
                          <span className="badge error">revoked</span>
                        ) : (
                          <span className="badge success">active</span>
                        )}
                      </td>
                      {canManage && (
                        <td>
                          {!key.revokedAt && canRevoke(key) && (
                            <ConfirmButton
                              label="Revoke"
                              title={`Revoke “${key.name}”?`}
                              message="Requests with this key are refused from now on. This cannot be undone."
                              confirmLabel="Revoke key"
                              onConfirm={() => revokeKey(key.id)}
                            />
                          )}
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
              {keys.hasNextPage && (
                <div className="pagination">
                  <button type="button" className="secondary" onClick={() => keys.fetchNextPage()}>
                    Load more
                  </button>
                </div>
              )}
            </div>
          );
        }}
      </QueryState>
    </>
  );
}

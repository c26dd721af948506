import type { ApiKey, CreatedApiKey, OrgLimits } from '@switchyard/shared';
import { useState } from 'react';
import { useKeyPages, useRevokeKey } from '../api/use-keys.js';
import { useCan, useMe } from '../api/use-session.js';
import { useUsage } from '../api/use-usage.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { CopyButton } from '../components/copy-button.js';
import { EmptyState, QueryState } from '../components/data-state.js';
import { formatAgo, formatCount, formatDateTime, formatUsd } from '../lib/format.js';
import { CreateKeyForm } from './keys/create-key-form.js';

/** The tighter of a key's own limit and its org's, and whose it is. */
function tighter(own: number | null, org: number | null): { value: number; fromOrg: boolean } | null {
  if (own !== null && (org === null || own <= org)) return { value: own, fromOrg: false };
  return org === null ? null : { value: org, fromOrg: true };
}

/**
 * The limits a key's calls meet: its own where it has them and they bind, else its org's (the plan's
 * with the operator's overrides and the org's own), marked "org". "none" only when nothing limits it.
 */
function limitsOf(key: ApiKey, org: OrgLimits | undefined): string {
  const requests = tighter(key.requestsPerMinute, org?.requestsPerMinute ?? null);
  const tokens = tighter(key.tokensPerMinute, org?.tokensPerMinute ?? null);
  const orgCap = org?.monthlySpendCapUsd ?? null;
  const inFlight = org?.maxConcurrentRequests ?? null;
  const mark = (limit: { fromOrg: boolean }) => (limit.fromOrg ? ' (org)' : '');
  const limits = [
    requests ? `${formatCount(requests.value)} req/min${mark(requests)}` : null,
    tokens ? `${formatCount(tokens.value)} tok/min${mark(tokens)}` : null,
    key.budgetUsd
      ? `${formatUsd(key.budgetUsd)}/${key.budgetPeriod}`
      : orgCap !== null
        ? `${formatUsd(orgCap)}/month (org)`
        : null,
    inFlight !== null ? `${formatCount(inFlight)} in flight (org)` : null,
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
  // What the org's plan and overrides put in force, shown where a key sets nothing tighter.
  const orgLimits = useUsage().data?.limits;

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
                    <th scope="col" className="optional">
                      Scopes
                    </th>
                    <th scope="col">Limits</th>
                    <th scope="col">Last used</th>
                    <th scope="col" className="extra">
                      Created
                    </th>
                    <th scope="col">Status</th>
                    {canManage && <th scope="col">Actions</th>}
                  </tr>
                </thead>
                <tbody>
                  {data.map((key) => (
                    <tr key={key.id} data-testid="key-row">
                      <td>{key.name}</td>
                      <td className="mono">{key.prefix}…</td>
                      <td className="optional wrap">{key.scopes.join(', ')}</td>
                      <td className="wrap limits">{limitsOf(key, orgLimits)}</td>
                      <td title={formatDateTime(key.lastUsedAt)}>{formatAgo(key.lastUsedAt)}</td>
                      <td className="extra">{formatDateTime(key.createdAt)}</td>
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

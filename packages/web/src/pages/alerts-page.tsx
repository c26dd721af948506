import type { AlertRule } from '@switchyard/shared';
import { useState } from 'react';
import { useAlertRules } from '../api/use-alerts.js';
import { useCan } from '../api/use-session.js';
import { EmptyState, QueryState } from '../components/data-state.js';
import { AlertForm } from './alerts/alert-form.js';
import { AlertList } from './alerts/alert-list.js';

// Editing is either a new rule or one of the listed ones; null when the form is closed.
type Editing = { rule: AlertRule | null } | null;

export default function AlertsPage() {
  const canEdit = useCan('admin');
  const rules = useAlertRules();
  const [editing, setEditing] = useState<Editing>(null);
  const startCreating = () => setEditing({ rule: null });

  return (
    <>
      <div className="page-header">
        <h1>Alerts</h1>
        {canEdit && !editing && (
          <button type="button" onClick={startCreating}>
            New alert
          </button>
        )}
      </div>
      <p className="muted">
        The server checks every enabled rule every minute and posts to a webhook when it starts firing and when it
        resolves.
        {!canEdit && ' Admins of this organization change alerts; you can see them.'}
      </p>
      {editing && (
        <div className="card alerts-form-card">
          <AlertForm key={editing.rule?.id ?? 'new'} rule={editing.rule} onDone={() => setEditing(null)} />
        </div>
      )}
      <QueryState query={rules} label="Loading alerts…">
        {({ pages }) => {
          const list = pages.flatMap((page) => page.data);
          if (list.length === 0) {
            return (
              <EmptyState title="No alerts yet">
                <p>
                  An alert watches the gateway's error rate, p95 latency, the org's spend or a key's budget, and posts a
                  message to a webhook (Slack, Discord or your own) when the value crosses its threshold, and again when
                  it recovers.
                </p>
                {canEdit ? (
                  !editing && (
                    <button type="button" onClick={startCreating}>
                      Create the first alert
                    </button>
                  )
                ) : (
                  <p className="muted">Admins of this organization can add alerts here.</p>
                )}
              </EmptyState>
            );
          }
          return (
            <>
              <AlertList rules={list} canEdit={canEdit} onEdit={(rule) => setEditing({ rule })} />
              {rules.hasNextPage && (
                <div className="pagination">
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => rules.fetchNextPage()}
                    disabled={rules.isFetchingNextPage}
                  >
                    {rules.isFetchingNextPage ? 'Loading…' : 'Load more'}
                  </button>
                </div>
              )}
            </>
          );
        }}
      </QueryState>
    </>
  );
}

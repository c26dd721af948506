import type { AlertRule } from '@switchyard/shared';
import { useKeyLookup } from '../../api/use-keys.js';
import { AlertRow } from './alert-row.js';

/** Names the key of a key-budget rule from the org's keys; an unknown one by the start of its id. */
function useKeyName(): (id: string) => string {
  const keys = useKeyLookup();
  const names = new Map((keys.data?.data ?? []).map((key) => [key.id, key.name]));
  return (id) => names.get(id) ?? `key ${id.slice(0, 8)}…`;
}

export function AlertList({
  rules,
  canEdit,
  onEdit,
}: {
  rules: AlertRule[];
  canEdit: boolean;
  onEdit: (rule: AlertRule) => void;
}) {
  const keyName = useKeyName();
  return (
    <div className="table-wrap alert-list">
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Condition</th>
            <th scope="col">State</th>
            <th scope="col">Last value</th>
            <th scope="col">Webhook</th>
            <th scope="col">Enabled</th>
            {canEdit && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {rules.map((rule) => (
            <AlertRow key={rule.id} rule={rule} canEdit={canEdit} keyName={keyName} onEdit={() => onEdit(rule)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

import type { OperatorOrg } from '@switchyard/shared';
import { OperatorOrgRow } from './operator-org-row.js';

export function OperatorOrgsTable({ orgs }: { orgs: OperatorOrg[] }) {
  return (
    <div className="table-wrap operator-orgs">
      <table>
        <thead>
          <tr>
            <th scope="col">Organization</th>
            <th scope="col">Plan</th>
            <th scope="col" className="number">
              Members
            </th>
            <th scope="col" className="number">
              Requests
            </th>
            <th scope="col" className="number">
              Tokens
            </th>
            <th scope="col" className="number">
              Errors
            </th>
            <th scope="col">Gateway spend this month</th>
            <th scope="col">State</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {orgs.map((org) => (
            <OperatorOrgRow key={org.id} org={org} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

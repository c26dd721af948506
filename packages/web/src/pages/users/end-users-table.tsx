import type { EndUserSort, EndUserSummary } from '@switchyard/shared';
import { formatAgo, formatCount, formatDateTime, formatUsd } from '../../lib/format.js';
import { Link, navigate } from '../../router.js';
import { userHref } from '../sessions/sessions-table.js';

function SortHeader({
  sort,
  column,
  label,
  current,
  onSort,
}: {
  sort: EndUserSort;
  column?: string;
  label: string;
  current: EndUserSort;
  onSort: (sort: EndUserSort) => void;
}) {
  const active = current === sort;
  return (
    <th scope="col" className={column} aria-sort={active ? 'descending' : 'none'}>
      <button type="button" className="sort" onClick={() => onSort(sort)}>
        {label} {active ? '↓' : ''}
      </button>
    </th>
  );
}

/** The org's end users as rows, sortable by requests, cost or last seen (each biggest first); a row opens the user. */
export function EndUsersTable({
  users,
  sort,
  onSort,
}: {
  users: EndUserSummary[];
  sort: EndUserSort;
  onSort: (sort: EndUserSort) => void;
}) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">User</th>
            <SortHeader sort="-traceCount" column="number" label="Requests" current={sort} onSort={onSort} />
            <th scope="col" className="number">
              Sessions
            </th>
            <th scope="col" className="number">
              Tokens
            </th>
            <SortHeader sort="-costUsd" column="number" label="Cost" current={sort} onSort={onSort} />
            <th scope="col" className="number">
              Errors
            </th>
            <SortHeader sort="-lastSeenAt" label="Last seen" current={sort} onSort={onSort} />
          </tr>
        </thead>
        <tbody>
          {users.map((user) => {
            const href = userHref(user.userId);
            return (
              <tr key={user.userId} className="clickable" onClick={() => navigate(href)} data-testid="user-row">
                <td>
                  <Link to={href} onClick={(event) => event.stopPropagation()}>
                    {user.userId}
                  </Link>
                </td>
                <td className="number">{formatCount(user.traceCount)}</td>
                <td className="number">{formatCount(user.sessionCount)}</td>
                <td className="number">{formatCount(user.inputTokens + user.outputTokens)}</td>
                <td className="number">{formatUsd(user.costUsd)}</td>
                <td className="number">
                  {user.errorCount > 0 ? <span className="badge error">{user.errorCount}</span> : '0'}
                </td>
                <td title={formatDateTime(user.lastSeenAt)}>{formatAgo(user.lastSeenAt)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

import { END_USER_SORTS, type EndUserSort } from '@switchyard/shared';
import { useEndUsers } from '../api/use-end-users.js';
import { EmptyState, ErrorMessage, Loading } from '../components/data-state.js';
import { LoadMore } from '../components/load-more.js';
import { Link, useSearchParams } from '../router.js';
import { EndUsersTable } from './users/end-users-table.js';

const DEFAULT_SORT: EndUserSort = '-lastSeenAt';

/** The URL's `sort` (`costUsd`, `traceCount`; last seen when absent), as the API's order. */
function parseSort(value: string | null): EndUserSort {
  const sort = `-${value ?? ''}` as EndUserSort;
  return END_USER_SORTS.includes(sort) ? sort : DEFAULT_SORT;
}

export default function UsersPage() {
  const [params, setParams] = useSearchParams();
  const sort = parseSort(params.get('sort'));
  const users = useEndUsers(sort);
  const loaded = users.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <>
      <div className="page-header">
        <h1>Users</h1>
        <button type="button" className="secondary" onClick={() => users.refetch()} disabled={users.isFetching}>
          {users.isFetching && !users.isFetchingNextPage ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      <p className="muted">
        The end users of your app, as its calls and traces name them. People who sign in to this dashboard are{' '}
        <Link to="/members">members</Link>.
      </p>
      {users.isPending ? (
        <Loading label="Loading users…" />
      ) : users.isError ? (
        <ErrorMessage error={users.error} retry={() => users.refetch()} />
      ) : loaded.length === 0 ? (
        <EmptyState title="No end users yet">
          <p>
            Name the user a call is for with the <code>x-switchyard-user-id</code> header (or OpenAI's <code>user</code>{' '}
            field), or <code>userId</code> on the SDK's traces, and their requests, cost and errors add up here.
          </p>
        </EmptyState>
      ) : (
        <>
          <EndUsersTable
            users={loaded}
            sort={sort}
            onSort={(next) => setParams({ sort: next === DEFAULT_SORT ? null : next.slice(1) })}
          />
          <LoadMore query={users} shown={loaded.length} />
        </>
      )}
    </>
  );
}

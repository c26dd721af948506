import { useKeyLookup } from '../api/use-keys.js';
import { useTraces } from '../api/use-traces.js';
import { CodeBlock } from '../components/copy-button.js';
import { EmptyState, ErrorMessage, Loading } from '../components/data-state.js';
import { snippetsFor } from '../lib/snippets.js';
import { FILTERS } from '../lib/trace-filters.js';
import { useSearchParams } from '../router.js';
import { TraceFilters } from './requests/trace-filters.js';
import { formatSort, parseSort, TracesTable } from './requests/traces-table.js';

export default function RequestsPage() {
  const [params, setParams] = useSearchParams();
  const sort = parseSort(params.get('sort'));
  const keys = useKeyLookup();

  const traces = useTraces({ params, sort: formatSort(sort) });
  const loaded = traces.data?.pages.flatMap((page) => page.data) ?? [];
  const filtered = FILTERS.some((name) => params.get(name));

  return (
    <>
      <div className="page-header">
        <h1>Requests</h1>
        <button type="button" className="secondary" onClick={() => traces.refetch()} disabled={traces.isFetching}>
          {traces.isFetching && !traces.isFetchingNextPage ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      <TraceFilters params={params} keys={keys.data?.data ?? []} onApply={(changes) => setParams(changes)} />
      {traces.isPending ? (
        <Loading label="Loading requests…" />
      ) : traces.isError ? (
        <ErrorMessage error={traces.error} retry={() => traces.refetch()} />
      ) : loaded.length === 0 ? (
        filtered ? (
          <EmptyState title="No requests match these filters">
            <p>Widen the time range or clear a filter.</p>
          </EmptyState>
        ) : (
          <EmptyState title="No requests yet">
            <p>Every call through the gateway and every trace your app sends shows up here.</p>
            <CodeBlock label="curl" code={snippetsFor(window.location.origin).curl} />
          </EmptyState>
        )
      ) : (
        <>
          <TracesTable
            traces={loaded}
            sort={sort}
            onSort={(next) => {
              const value = formatSort(next);
              setParams({ sort: value === '-startTime' ? null : value });
            }}
          />
          <div className="pagination">
            <span className="muted small">{loaded.length} shown</span>
            {traces.hasNextPage && (
              <button
                type="button"
                className="secondary"
                onClick={() => traces.fetchNextPage()}
                disabled={traces.isFetchingNextPage}
              >
                {traces.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            )}
          </div>
        </>
      )}
    </>
  );
}

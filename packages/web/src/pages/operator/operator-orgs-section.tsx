import type { FormEvent } from 'react';
import { useOperatorOrgs } from '../../api/use-operator-orgs.js';
import { EmptyState, ErrorMessage, Loading } from '../../components/data-state.js';
import { useSearchParams } from '../../router.js';
import { OperatorOrgsTable } from './operator-orgs-table.js';

function OrgSearchForm({ search, onSearch }: { search: string; onSearch: (search: string) => void }) {
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSearch(String(new FormData(event.currentTarget).get('search') ?? '').trim());
  };
  // Keyed by the URL's search, so Back and Forward refill the box.
  return (
    <form className="row operator-search" aria-label="Search organizations" onSubmit={submit} key={search}>
      <label>
        Search organizations
        <input type="search" name="search" defaultValue={search} maxLength={100} placeholder="name or slug" />
      </label>
      <button type="submit">Search</button>
      {search && (
        <button type="button" className="secondary" onClick={() => onSearch('')}>
          Clear
        </button>
      )}
    </form>
  );
}

/** The orgs of the server, searchable by name or slug (kept in the URL), 50 at a time. */
export function OperatorOrgsSection() {
  const [params, setParams] = useSearchParams();
  const search = params.get('search') ?? '';
  const orgs = useOperatorOrgs(search);
  const loaded = orgs.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <section className="operator-section" aria-labelledby="operator-orgs-title">
      <div className="section-header">
        <h2 id="operator-orgs-title">Organizations</h2>
      </div>
      <OrgSearchForm search={search} onSearch={(value) => setParams({ search: value || null })} />
      {orgs.isPending ? (
        <Loading label="Loading organizations…" />
      ) : orgs.isError ? (
        <ErrorMessage error={orgs.error} retry={() => orgs.refetch()} />
      ) : loaded.length === 0 ? (
        <EmptyState title={search ? `No organization matches “${search}”` : 'No organizations yet'}>
          {search && <p>The search matches part of an organization's name or slug.</p>}
        </EmptyState>
      ) : (
        <>
          <OperatorOrgsTable orgs={loaded} />
          <div className="pagination">
            <span className="muted small">{loaded.length} shown</span>
            {orgs.hasNextPage && (
              <button
                type="button"
                className="secondary"
                onClick={() => orgs.fetchNextPage()}
                disabled={orgs.isFetchingNextPage}
              >
                {orgs.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}

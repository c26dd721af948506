/** The foot of a paged list: how many rows are shown, and a button for the next page while there is one. */
export function LoadMore({
  query,
  shown,
  noun = 'shown',
}: {
  query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
  shown: number;
  noun?: string;
}) {
  return (
    <div className="pagination">
      <span className="muted small">
        {shown} {noun}
      </span>
      {query.hasNextPage && (
        <button
          type="button"
          className="secondary"
          onClick={() => query.fetchNextPage()}
          disabled={query.isFetchingNextPage}
        >
          {query.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </div>
  );
}

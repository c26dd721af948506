import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { messageOf } from '../lib/use-action.js';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="muted loading" role="status" aria-live="polite">
      {label}
    </p>
  );
}

export function ErrorMessage({ error, retry }: { error: unknown; retry?: () => void }) {
  const message = messageOf(error);
  return (
    <div className="error-box" role="alert">
      <strong>Something went wrong.</strong> {message}
      {retry && (
        <button type="button" className="link-button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** A query's three states in one place: a loading line, an error that says what failed, or the data. */
export function QueryState<TData>({
  query,
  children,
  label,
}: {
  query: UseQueryResult<TData>;
  children: (data: TData) => ReactNode;
  label?: string;
}) {
  if (query.isPending) return <Loading label={label} />;
  if (query.isError) return <ErrorMessage error={query.error} retry={() => query.refetch()} />;
  return <>{children(query.data)}</>;
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <h3>{title}</h3>
      {children}
    </div>
  );
}

/** A failed action's message beside its form or button, announced to screen readers. */
export function ErrorText({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p className="error-text" role="alert">
      {message}
    </p>
  );
}

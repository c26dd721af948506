import type { ApiKey } from '@switchyard/shared';
import type { FormEvent } from 'react';

/** The filters of `GET /api/traces`, as they appear in the page's URL. */
export const FILTERS = [
  'range',
  'model',
  'provider',
  'status',
  'userId',
  'sessionId',
  'tag',
  'keyId',
  'name',
  'minCostUsd',
  'minLatencyMs',
] as const;
export type FilterName = (typeof FILTERS)[number];

const RANGE_MS: Record<string, number> = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

/** The query for the API: the relative range becomes `from`, evaluated now. */
export function apiQueryOf(params: URLSearchParams): Record<string, string | undefined> {
  const query: Record<string, string | undefined> = {};
  for (const name of FILTERS) {
    const value = params.get(name);
    if (!value) continue;
    if (name === 'range') {
      const span = RANGE_MS[value];
      if (span) query.from = new Date(Date.now() - span).toISOString();
    } else query[name] = value;
  }
  return query;
}

export function TraceFilters({
  params,
  keys,
  onApply,
}: {
  params: URLSearchParams;
  keys: ApiKey[];
  onApply: (changes: Record<string, string | null>) => void;
}) {
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    onApply(Object.fromEntries(FILTERS.map((name) => [name, String(form.get(name) ?? '').trim() || null])));
  };
  const reset = () => onApply(Object.fromEntries(FILTERS.map((name) => [name, null])));
  const value = (name: FilterName) => params.get(name) ?? '';
  // Keyed by the URL so Back/Forward and shared links refill the form.
  return (
    <form className="card filters" onSubmit={submit} key={params.toString()} aria-label="Filters">
      <div className="row">
        <label>
          Time
          <select name="range" defaultValue={value('range')}>
            <option value="">Any time</option>
            <option value="1h">Last hour</option>
            <option value="24h">Last 24 hours</option>
            <option value="7d">Last 7 days</option>
            <option value="30d">Last 30 days</option>
          </select>
        </label>
        <label>
          Status
          <select name="status" defaultValue={value('status')}>
            <option value="">Any</option>
            <option value="success">Success</option>
            <option value="error">Error</option>
          </select>
        </label>
        <label>
          Model
          <input name="model" defaultValue={value('model')} placeholder="openai/gpt-4o-mini" />
        </label>
        <label>
          Provider
          <input name="provider" defaultValue={value('provider')} placeholder="openai" />
        </label>
        <label>
          Key
          <select name="keyId" defaultValue={value('keyId')}>
            <option value="">Any key</option>
            {keys.map((key) => (
              <option key={key.id} value={key.id}>
                {key.name} ({key.prefix})
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="row">
        <label>
          Name
          <input name="name" defaultValue={value('name')} />
        </label>
        <label>
          User
          <input name="userId" defaultValue={value('userId')} />
        </label>
        <label>
          Session
          <input name="sessionId" defaultValue={value('sessionId')} />
        </label>
        <label>
          Tag
          <input name="tag" defaultValue={value('tag')} />
        </label>
        <label>
          Min cost (USD)
          <input name="minCostUsd" type="number" min="0" step="any" defaultValue={value('minCostUsd')} />
        </label>
        <label>
          Min latency (ms)
          <input name="minLatencyMs" type="number" min="0" step="1" defaultValue={value('minLatencyMs')} />
        </label>
      </div>
      <div className="actions">
        <button type="button" className="secondary" onClick={reset}>
          Clear
        </button>
        <button type="submit">Apply filters</button>
      </div>
    </form>
  );
}

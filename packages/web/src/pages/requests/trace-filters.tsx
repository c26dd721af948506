import type { ApiKey } from '@switchyard/shared';
import type { FormEvent } from 'react';
import { FILTERS, type FilterName } from '../../lib/trace-filters.js';

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

import { ROUTE_STRATEGIES, type Route, type RouteBody } from '@switchyard/shared';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useSaveRoute } from '../../api/use-routes.js';
import { FormFooter } from '../../components/form-footer.js';
import { bodyFromDraft, draftFromRoute, type RouteDraft } from './route-draft.js';
import { RouteTargetsFieldset } from './route-targets-fieldset.js';

const STRATEGY_LABELS: Record<RouteBody['strategy'], string> = {
  single: 'Single: one model',
  fallback: 'Fallback: in order, next on failure',
  loadbalance: 'Load balance: spread by weight',
};

/** Creates a route, or replaces `route` as a whole (the server has no partial update). */
export function RouteForm({
  route,
  modelSuggestions,
  onDone,
}: {
  route: Route | null;
  modelSuggestions: string[];
  onDone: () => void;
}) {
  const [draft, setDraft] = useState<RouteDraft>(() => draftFromRoute(route));
  const save = useSaveRoute();
  const aliasInput = useRef<HTMLInputElement>(null);
  // The form opens on a click: take the user to its first field.
  useEffect(() => aliasInput.current?.focus(), []);
  const change = (changes: Partial<RouteDraft>) => setDraft((current) => ({ ...current, ...changes }));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.mutate({ id: route?.id, body: bodyFromDraft(draft) }, { onSuccess: onDone });
  };

  return (
    <form className="stack" onSubmit={submit} aria-labelledby="route-form-title">
      <h3 id="route-form-title">{route ? `Edit route ${route.alias}` : 'New route'}</h3>
      <div className="row">
        <div className="field">
          <label>
            Alias
            <input
              value={draft.alias}
              onChange={(event) => change({ alias: event.target.value })}
              placeholder="chat"
              maxLength={100}
              required
              ref={aliasInput}
              spellCheck={false}
              autoCapitalize="off"
              aria-describedby="route-alias-hint"
            />
          </label>
          <p id="route-alias-hint" className="muted small">
            What clients send as <code>model</code>: letters, digits and . _ : - (no /).
          </p>
        </div>
        <label>
          Strategy
          <select
            value={draft.strategy}
            onChange={(event) => change({ strategy: event.target.value as RouteBody['strategy'] })}
          >
            {ROUTE_STRATEGIES.map((strategy) => (
              <option key={strategy} value={strategy}>
                {STRATEGY_LABELS[strategy]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <RouteTargetsFieldset
        strategy={draft.strategy}
        targets={draft.targets}
        onChange={(targets) => change({ targets })}
        modelSuggestions={modelSuggestions}
      />
      <fieldset className="row">
        <legend>Retries</legend>
        <label>
          Extra tries per target
          <input
            type="number"
            value={draft.retryAttempts}
            onChange={(event) => change({ retryAttempts: event.target.value })}
            min={0}
            max={5}
            required
          />
        </label>
        <label>
          First backoff (ms)
          <input
            type="number"
            value={draft.initialBackoffMs}
            onChange={(event) => change({ initialBackoffMs: event.target.value })}
            min={0}
            max={60000}
            required
          />
        </label>
        <label>
          Longest backoff (ms)
          <input
            type="number"
            value={draft.maxBackoffMs}
            onChange={(event) => change({ maxBackoffMs: event.target.value })}
            min={0}
            max={60000}
            required
          />
        </label>
        <div className="field route-fallback-statuses">
          <label>
            Move on after these statuses
            <input
              value={draft.fallbackOn}
              onChange={(event) => change({ fallbackOn: event.target.value })}
              pattern="[0-9,\s]*"
              title="HTTP statuses from 400 to 599, separated by commas"
              inputMode="numeric"
              aria-describedby="route-fallback-hint"
            />
          </label>
          <p id="route-fallback-hint" className="muted small">
            Comma-separated. Network errors, timeouts, 408, 409, 429 and 5xx always move on.
          </p>
        </div>
      </fieldset>
      <fieldset className="row">
        <legend>Cache</legend>
        <label className="inline">
          <input
            type="checkbox"
            checked={draft.cacheEnabled}
            onChange={(event) => change({ cacheEnabled: event.target.checked })}
          />
          Answer identical requests from the cache
        </label>
        <label>
          Keep answers for (seconds)
          <input
            type="number"
            value={draft.cacheTtlSeconds}
            onChange={(event) => change({ cacheTtlSeconds: event.target.value })}
            min={1}
            max={2592000}
            disabled={!draft.cacheEnabled}
            required
          />
        </label>
      </fieldset>
      <FormFooter
        error={save.error}
        saving={save.isPending}
        submitLabel={route ? 'Save route' : 'Create route'}
        onCancel={onDone}
      />
    </form>
  );
}

import type { RouteBody } from '@switchyard/shared';
import { newTargetDraft, type TargetDraft } from './route-draft.js';

const MAX_TARGETS = 10;
const SUGGESTIONS_ID = 'route-model-suggestions';

/** The ordered targets of a route: order is the fallback order, weight only matters when load balancing. */
export function RouteTargetsFieldset({
  strategy,
  targets,
  onChange,
  modelSuggestions,
}: {
  strategy: RouteBody['strategy'];
  targets: TargetDraft[];
  onChange: (targets: TargetDraft[]) => void;
  modelSuggestions: string[];
}) {
  const update = (id: number, changes: Partial<TargetDraft>) =>
    onChange(targets.map((target) => (target.id === id ? { ...target, ...changes } : target)));
  const move = (index: number, offset: number) => {
    const reordered = [...targets];
    const [moved] = reordered.splice(index, 1);
    if (moved) reordered.splice(index + offset, 0, moved);
    onChange(reordered);
  };
  const canAdd = strategy !== 'single' && targets.length < MAX_TARGETS;

  return (
    <fieldset className="stack route-targets">
      <legend>Targets</legend>
      <p className="muted small">
        {strategy === 'single' && 'A single route has exactly one target.'}
        {strategy === 'fallback' && 'Tried in this order: the next one answers when the one before fails.'}
        {strategy === 'loadbalance' && 'The first try is drawn by weight; the others follow as fallbacks.'}
      </p>
      <datalist id={SUGGESTIONS_ID}>
        {modelSuggestions.map((model) => (
          <option key={model} value={model} />
        ))}
      </datalist>
      <ol className="stack route-target-list">
        {targets.map((target, index) => (
          <li key={target.id} className="row">
            <label className="route-target-model">
              Model {index + 1}
              <input
                value={target.model}
                onChange={(event) => update(target.id, { model: event.target.value })}
                list={SUGGESTIONS_ID}
                placeholder="provider/model, e.g. mock/echo"
                required
                spellCheck={false}
                autoCapitalize="off"
              />
            </label>
            {strategy === 'loadbalance' && (
              <label className="route-target-number">
                Weight
                <input
                  type="number"
                  value={target.weight}
                  onChange={(event) => update(target.id, { weight: event.target.value })}
                  min={0.001}
                  max={1000}
                  step="any"
                  required
                />
              </label>
            )}
            <label className="route-target-number">
              Timeout (ms)
              <input
                type="number"
                value={target.timeoutMs}
                onChange={(event) => update(target.id, { timeoutMs: event.target.value })}
                min={100}
                max={600000}
                step={1}
                required
              />
            </label>
            <div className="route-target-buttons">
              <button
                type="button"
                className="secondary small"
                onClick={() => move(index, -1)}
                disabled={index === 0}
                aria-label={`Move model ${index + 1} up`}
              >
                ↑
              </button>
              <button
                type="button"
                className="secondary small"
                onClick={() => move(index, 1)}
                disabled={index === targets.length - 1}
                aria-label={`Move model ${index + 1} down`}
              >
                ↓
              </button>
              <button
                type="button"
                className="secondary small"
                onClick={() => onChange(targets.filter((other) => other.id !== target.id))}
                disabled={targets.length === 1}
                aria-label={`Remove model ${index + 1}`}
              >
                Remove
              </button>
            </div>
          </li>
        ))}
      </ol>
      {strategy === 'single' && targets.length > 1 && (
        <p className="error-text small">Remove all but one target, or choose fallback or load balance.</p>
      )}
      <div>
        <button
          type="button"
          className="secondary small"
          onClick={() => onChange([...targets, newTargetDraft()])}
          disabled={!canAdd}
        >
          Add target
        </button>
      </div>
    </fieldset>
  );
}

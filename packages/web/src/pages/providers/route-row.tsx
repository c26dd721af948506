import type { Route, RouteTarget } from '@switchyard/shared';
import { useDeleteRoute } from '../../api/use-routes.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { useGatewayTest } from './gateway-test.js';
import { GatewayTestResult } from './gateway-test-result.js';

const ROUTE_COLUMNS = 5;

function formatSeconds(seconds: number): string {
  if (seconds % 3_600 === 0) return `${seconds / 3_600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

function formatTimeout(milliseconds: number): string {
  return milliseconds % 1_000 === 0 ? formatSeconds(milliseconds / 1_000) : `${milliseconds} ms`;
}

function targetFacts(route: Route, target: RouteTarget): string {
  const timeout = `${formatTimeout(target.timeoutMs)} timeout`;
  return route.strategy === 'loadbalance' ? `weight ${target.weight} · ${timeout}` : timeout;
}

function settingsSummary(route: Route): string {
  const { attempts } = route.retry;
  const retries = attempts === 0 ? 'no retries' : `${attempts} ${attempts === 1 ? 'retry' : 'retries'} per target`;
  const cache = route.cache.enabled ? `cached ${formatSeconds(route.cache.ttlSeconds)}` : 'not cached';
  return `${retries} · ${cache}`;
}

/** One route, its controls, and (once tested) the test's outcome in a row of its own beneath it. */
export function RouteRow({
  route,
  canEdit,
  canTest,
  onEdit,
}: {
  route: Route;
  canEdit: boolean;
  canTest: boolean;
  onEdit: () => void;
}) {
  const test = useGatewayTest();
  const deleteRoute = useDeleteRoute();
  const hasControls = canEdit || canTest;

  return (
    <>
      <tr>
        <td>
          <code>{route.alias}</code>
        </td>
        <td>
          <span className="badge">{route.strategy}</span>
        </td>
        <td>
          <ol className="route-target-summary">
            {route.targets.map((target, index) => (
              // Targets have no id of their own; their place in the list is what they are.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              <li key={index}>
                <code>{target.model}</code>
                <span className="muted small"> {targetFacts(route, target)}</span>
              </li>
            ))}
          </ol>
        </td>
        <td className="muted small">{settingsSummary(route)}</td>
        {hasControls && (
          <td>
            <div className="row-actions">
              {canTest && (
                <button
                  type="button"
                  className="secondary small"
                  onClick={() => test.run(route.alias)}
                  disabled={test.outcome?.status === 'running'}
                  aria-label={`Test ${route.alias}`}
                >
                  {test.outcome?.status === 'running' ? 'Testing…' : 'Test'}
                </button>
              )}
              {canEdit && (
                <>
                  <button type="button" className="secondary small" onClick={onEdit} aria-label={`Edit ${route.alias}`}>
                    Edit
                  </button>
                  <ConfirmButton
                    label="Delete"
                    title={`Delete the route ${route.alias}?`}
                    message={`Calls with model "${route.alias}" fail from then on: every replica forgets the route within a second.`}
                    confirmLabel="Delete route"
                    onConfirm={() => deleteRoute.mutateAsync(route.id)}
                  />
                </>
              )}
            </div>
          </td>
        )}
      </tr>
      {test.outcome && (
        <tr className="gateway-test-row">
          <td colSpan={hasControls ? ROUTE_COLUMNS : ROUTE_COLUMNS - 1}>
            <GatewayTestResult outcome={test.outcome} />
          </td>
        </tr>
      )}
    </>
  );
}

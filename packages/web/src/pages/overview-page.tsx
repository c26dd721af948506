import type { LiveUpdate } from '@switchyard/shared';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useKeyLookup } from '../api/use-keys.js';
import { useLiveUpdates } from '../api/use-live-updates.js';
import { useMetrics, useMetricsChanged } from '../api/use-metrics.js';
import { useRecentTraces } from '../api/use-traces.js';
import { CodeBlock } from '../components/copy-button.js';
import { EmptyState, QueryState } from '../components/data-state.js';
import { formatProvider } from '../lib/format.js';
import { snippetsFor } from '../lib/snippets.js';
import { isRangeName } from '../lib/time-range.js';
import { Link, useSearchParams } from '../router.js';
import { BreakdownTable } from './overview/breakdown-table.js';
import {
  type ActivityRow,
  activityOfObservation,
  activityOfTrace,
  LiveActivity,
  mergeActivity,
} from './overview/live-activity.js';
import { OverviewCharts } from './overview/overview-charts.js';
import { RangePicker } from './overview/range-picker.js';
import { StatCards } from './overview/stat-cards.js';

const LIVE_ROWS = 20;
/** Live updates can come many times a second under load; the charts refetch at most this often. */
const REFRESH_MS = 1_500;

function useKeyNames() {
  const keys = useKeyLookup();
  return (id: string) => keys.data?.data.find((key) => key.id === id)?.name ?? id.slice(0, 8);
}

export default function OverviewPage() {
  const [params, setParams] = useSearchParams();
  const rangeParam = params.get('range');
  const range = isRangeName(rangeParam) ? rangeParam : '24h';
  const from = params.get('from');
  const to = params.get('to');
  const metricsChanged = useMetricsChanged();
  const [recent, setRecent] = useState<ActivityRow[]>([]);
  const latest = useRecentTraces(LIVE_ROWS);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const totals = useMetrics({ range, from, to });
  const byProvider = useMetrics({ range, from, to, groupBy: 'provider' });
  const byModel = useMetrics({ range, from, to, groupBy: 'model' });
  const byKey = useMetrics({ range, from, to, groupBy: 'key' });
  const keyName = useKeyNames();

  const onUpdate = useCallback(
    (update: LiveUpdate) => {
      setRecent((rows) =>
        [...update.observations.slice().reverse().map(activityOfObservation), ...rows].slice(0, LIVE_ROWS),
      );
      // A custom range that ended in the past does not move with new data.
      if (range === 'custom' && to) return;
      if (refreshTimer.current) return;
      refreshTimer.current = setTimeout(() => {
        refreshTimer.current = undefined;
        void metricsChanged();
      }, REFRESH_MS);
    },
    [metricsChanged, range, to],
  );
  const liveState = useLiveUpdates(onUpdate);
  const activity = useMemo(
    () => mergeActivity({ live: recent, loaded: (latest.data?.data ?? []).map(activityOfTrace), limit: LIVE_ROWS }),
    [recent, latest.data],
  );

  return (
    <>
      <div className="page-header">
        <h1>Overview</h1>
        <span className="live-indicator" data-state={liveState} data-testid="live-indicator">
          <span className="live-dot" aria-hidden="true" />
          {liveState === 'live' ? 'Live' : liveState === 'connecting' ? 'Connecting…' : 'Offline'}
        </span>
      </div>
      <RangePicker
        range={range}
        from={from}
        to={to}
        onChange={(change) =>
          setParams({ range: change.range === '24h' ? null : change.range, from: change.from, to: change.to })
        }
      />
      <QueryState query={totals} label="Loading metrics…">
        {({ range: resolved, metrics }) =>
          metrics.totals.requests === 0 && recent.length === 0 ? (
            <EmptyState title="No requests in this range yet">
              <p>
                Send one through the gateway with an API key (<Link to="/keys">create one</Link>); it appears here as
                soon as it is recorded. More ways in <Link to="/getting-started">Getting started</Link>.
              </p>
              <CodeBlock label="curl" code={snippetsFor(window.location.origin).curl} />
            </EmptyState>
          ) : (
            <>
              <h2 className="visually-hidden">Totals</h2>
              <StatCards totals={metrics.totals} />
              <OverviewCharts range={resolved} metrics={metrics} />
            </>
          )
        }
      </QueryState>
      <h2>Breakdowns</h2>
      <div className="breakdowns">
        <QueryState query={byProvider}>
          {({ metrics }) => <BreakdownTable title="By provider" points={metrics.points} labelOf={formatProvider} />}
        </QueryState>
        <QueryState query={byModel}>
          {({ metrics }) => <BreakdownTable title="By model" points={metrics.points} />}
        </QueryState>
        <QueryState query={byKey}>
          {({ metrics }) => <BreakdownTable title="By key" points={metrics.points} labelOf={keyName} />}
        </QueryState>
      </div>
      <h2>Live activity</h2>
      <LiveActivity rows={activity} loading={latest.isPending} />
    </>
  );
}

import type { KeyUsage, OrgLimits, UsageResponse } from '@switchyard/shared';
import { USAGE_REFRESH_MS, useUsage } from '../api/use-usage.js';
import { EmptyState, QueryState } from '../components/data-state.js';
import { UsageMeter } from '../components/usage-meter.js';
import { formatCount, formatPercent, formatShortTime, formatUsd } from '../lib/format.js';
import { Link } from '../router.js';

const resetTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const formatReset = (iso: string) => resetTime.format(new Date(iso));

const limitText = (limit: number | null, format: (value: number) => string) =>
  limit === null ? 'unlimited' : format(limit);

function PlanCard({ plan, limits }: { plan: UsageResponse['plan']; limits: OrgLimits }) {
  return (
    <section className="card" aria-labelledby="plan-title">
      <h2 id="plan-title">
        Plan <span className="badge">{plan}</span>
      </h2>
      <dl className="facts">
        <dt>Requests per minute</dt>
        <dd>{limitText(limits.requestsPerMinute, formatCount)}</dd>
        <dt>Tokens per minute</dt>
        <dd>{limitText(limits.tokensPerMinute, formatCount)}</dd>
        <dt>Monthly spend cap</dt>
        <dd>{limitText(limits.monthlySpendCapUsd, formatUsd)}</dd>
        <dt>Requests in flight</dt>
        <dd>{limitText(limits.maxConcurrentRequests, formatCount)}</dd>
        <dt>Telemetry events per minute</dt>
        <dd>{limitText(limits.ingestEventsPerMinute, formatCount)}</dd>
      </dl>
      <p className="muted small">
        In force now: the plan's limits with the server operator's overrides, lowered where your admins set the org's
        own in <Link to="/settings">Settings</Link>.
      </p>
    </section>
  );
}

/** "12 of 60 · 48 left", with a bar; "unlimited" when nothing limits it. */
function MinuteHeadroom(props: { label: string; used: number | null; limit: number | null }) {
  if (props.limit === null || props.used === null) return <span className="muted">unlimited</span>;
  const left = Math.max(0, props.limit - props.used);
  return (
    <div className="headroom">
      <span>
        {formatCount(props.used)} of {formatCount(props.limit)}{' '}
        <span className="muted">· {formatCount(left)} left</span>
      </span>
      <UsageMeter label={props.label} used={props.used} limit={props.limit} format={formatCount} />
    </div>
  );
}

function OrgSpendCard({ usage }: { usage: UsageResponse }) {
  const { org, limits } = usage;
  const cap = limits.monthlySpendCapUsd;
  return (
    <section className="card" aria-labelledby="org-spend-title">
      <h2 id="org-spend-title">This month</h2>
      <p className="usage-amount">
        <strong>{formatUsd(org.spendThisMonthUsd)}</strong>{' '}
        <span className="muted">{cap === null ? 'spent, no cap' : `of ${formatUsd(cap)} cap`}</span>
      </p>
      {cap !== null && (
        <UsageMeter label="Org spend this month" used={org.spendThisMonthUsd} limit={cap} format={formatUsd} />
      )}
      <p className="muted small">Resets {formatReset(org.periodEnd)}. Counts calls through the gateway.</p>
      <dl className="facts">
        <dt>Requests this minute</dt>
        <dd>
          <MinuteHeadroom
            label="Org requests this minute"
            used={org.requestsThisMinute}
            limit={limits.requestsPerMinute}
          />
        </dd>
        <dt>Tokens this minute</dt>
        <dd>
          <MinuteHeadroom label="Org tokens this minute" used={org.tokensThisMinute} limit={limits.tokensPerMinute} />
        </dd>
      </dl>
    </section>
  );
}

function KeyRow({ usageKey }: { usageKey: KeyUsage }) {
  const { budgetUsd, budgetPeriod } = usageKey;
  const expired = usageKey.expiresAt !== null && new Date(usageKey.expiresAt).getTime() <= Date.now();
  return (
    <tr>
      <th scope="row">
        {usageKey.name} {expired && <span className="badge error">expired</span>}
        <div className="mono muted">{usageKey.prefix}</div>
      </th>
      <td>{budgetUsd === null ? <span className="muted">none</span> : `${formatUsd(budgetUsd)} / ${budgetPeriod}`}</td>
      <td className="number">
        {formatUsd(usageKey.spendThisPeriodUsd)}
        <div className="muted small">{budgetPeriod === 'day' ? 'today' : 'this month'}</div>
      </td>
      <td className="usage-bar-cell">
        {budgetUsd === null ? (
          <span className="muted">—</span>
        ) : (
          <>
            <UsageMeter
              label={`${usageKey.name} budget used`}
              used={usageKey.spendThisPeriodUsd}
              limit={budgetUsd}
              format={formatUsd}
            />
            <span className="small muted">
              {usageKey.spendThisPeriodUsd >= budgetUsd
                ? 'Budget reached, calls refused'
                : formatPercent(usageKey.spendThisPeriodUsd, budgetUsd)}{' '}
              · resets {formatReset(usageKey.periodEnd)}
            </span>
          </>
        )}
      </td>
      <td>
        <MinuteHeadroom
          label={`${usageKey.name} requests this minute`}
          used={usageKey.requestsThisMinute}
          limit={usageKey.requestsPerMinute}
        />
      </td>
      <td>
        <MinuteHeadroom
          label={`${usageKey.name} tokens this minute`}
          used={usageKey.tokensThisMinute}
          limit={usageKey.tokensPerMinute}
        />
      </td>
    </tr>
  );
}

function KeysTable({ keys }: { keys: KeyUsage[] }) {
  if (keys.length === 0) {
    return (
      <EmptyState title="No API keys yet">
        <p>
          Budgets and per-minute limits are set per key. <Link to="/keys">Create an API key</Link> to start.
        </p>
      </EmptyState>
    );
  }
  return (
    <div className="table-wrap">
      <table className="usage-keys" aria-labelledby="usage-keys-title">
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Budget</th>
            <th scope="col" className="number">
              Spent this period
            </th>
            <th scope="col">Budget used</th>
            <th scope="col">Requests this minute</th>
            <th scope="col">Tokens this minute</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((usageKey) => (
            <KeyRow key={usageKey.id} usageKey={usageKey} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function UsagePage(_props: { params: Record<string, string> }) {
  const usage = useUsage();
  return (
    <>
      <div className="page-header">
        <h1>Usage &amp; limits</h1>
        {usage.data && (
          <span className="muted small">
            Updated {formatShortTime(new Date(usage.dataUpdatedAt).toISOString())} · refreshes every{' '}
            {USAGE_REFRESH_MS / 1_000} s
          </span>
        )}
      </div>
      <QueryState query={usage} label="Loading usage…">
        {(data) => (
          <>
            <div className="usage-cards">
              <PlanCard plan={data.plan} limits={data.limits} />
              <OrgSpendCard usage={data} />
            </div>
            <h2 id="usage-keys-title">API keys</h2>
            <p className="muted small">
              Per-minute limits of a key apply together with the org’s; the tighter one binds first.
            </p>
            <KeysTable keys={data.keys} />
          </>
        )}
      </QueryState>
    </>
  );
}

import type { AlertEvent, AlertMetric } from '@switchyard/shared';
import { formatAlertValue } from '@switchyard/shared';
import { useAlertEvents } from '../../api/use-alerts.js';
import { EmptyState, QueryState } from '../../components/data-state.js';
import { formatAgo, formatDateTime } from '../../lib/format.js';

const KIND_BADGES: Record<AlertEvent['kind'], string> = {
  firing: 'badge error',
  resolved: 'badge success',
  test: 'badge',
};

function Delivery({ event }: { event: AlertEvent }) {
  if (event.delivered === true) {
    return (
      <span className="alert-delivered" data-delivered="true">
        <span aria-hidden="true">✓ </span>delivered
      </span>
    );
  }
  return (
    <span className="alert-delivered" data-delivered={event.delivered === false ? 'false' : 'none'}>
      <span aria-hidden="true">{event.delivered === false ? '✗ ' : '– '}</span>
      {event.delivered === false ? 'not delivered' : 'not sent'}
      {event.deliveryError && <span className="muted small">: {event.deliveryError}</span>}
    </span>
  );
}

/** A rule's recent notifications (firing, resolved, test), newest first, and whether each arrived. */
export function AlertEvents({ ruleId, ruleName, metric }: { ruleId: string; ruleName: string; metric: AlertMetric }) {
  const events = useAlertEvents(ruleId);
  return (
    <section className="alert-events" aria-label={`Events of ${ruleName}`}>
      <QueryState query={events} label="Loading events…">
        {({ pages }) => {
          const list = pages.flatMap((page) => page.data);
          return list.length === 0 ? (
            <EmptyState title="No events yet">
              <p className="muted">Notifications appear here when the rule fires or resolves, and after each test.</p>
            </EmptyState>
          ) : (
            <>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Event</th>
                    <th scope="col">Value</th>
                    <th scope="col">Message</th>
                    <th scope="col">Delivery</th>
                    <th scope="col">Time</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((event) => (
                    <tr key={event.id} data-testid="alert-event">
                      <td>
                        <span className={KIND_BADGES[event.kind]}>{event.kind}</span>
                      </td>
                      <td>{formatAlertValue(metric, event.value)}</td>
                      <td className="alert-event-message">{event.message}</td>
                      <td className="alert-event-delivery">
                        <Delivery event={event} />
                      </td>
                      <td title={formatDateTime(event.createdAt)}>{formatAgo(event.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {events.hasNextPage && (
                <div className="pagination">
                  <button
                    type="button"
                    className="secondary small"
                    onClick={() => events.fetchNextPage()}
                    disabled={events.isFetchingNextPage}
                  >
                    {events.isFetchingNextPage ? 'Loading…' : 'Load more events'}
                  </button>
                </div>
              )}
            </>
          );
        }}
      </QueryState>
    </section>
  );
}

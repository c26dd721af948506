import { useOrg } from '../api/use-org.js';

/** On every page of a suspended org: why, and that reading still works while changes do not. */
export function SuspendedBanner() {
  const org = useOrg();
  const suspension = org.data?.suspended;
  if (!org.data || !suspension) return null;
  return (
    <section className="suspended-banner" aria-label="Organization suspended" data-testid="suspended-banner">
      <strong>
        {org.data.name} is suspended by the server's operator{suspension.reason ? `: ${suspension.reason}` : '.'}
      </strong>{' '}
      Its API keys are refused. Members can sign in and read everything here, but cannot change anything until the
      operator lifts the suspension.
    </section>
  );
}

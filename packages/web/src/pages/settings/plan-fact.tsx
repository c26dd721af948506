import type { Plan } from '@switchyard/shared';

/** The plan as a fact of the org: no org role changes it, only the server's operator. */
export function PlanFact({ plan }: { plan: Plan }) {
  return (
    <>
      <dt>Plan</dt>
      <dd>
        <span className="badge">{plan}</span> <span className="muted small">set by the server's operator</span>
      </dd>
    </>
  );
}

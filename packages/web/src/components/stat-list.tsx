/** One figure of a stats row: what it is, its formatted value, and the test id the browser suite reads. */
export type Stat = { label: string; value: string; testId: string };

/** A row of labelled figures (the overview's totals, a session's, an end user's). */
export function StatList({ stats }: { stats: Stat[] }) {
  return (
    <dl className="stats">
      {stats.map((stat) => (
        <div className="stat" key={stat.label} data-testid={stat.testId}>
          <dt>{stat.label}</dt>
          <dd>{stat.value}</dd>
        </div>
      ))}
    </dl>
  );
}

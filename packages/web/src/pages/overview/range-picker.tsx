import { type FormEvent, useState } from 'react';
import { RANGES, type RangeName } from '../../lib/time-range.js';

const LABELS: Record<RangeName, string> = { '1h': '1h', '24h': '24h', '7d': '7d', '30d': '30d', custom: 'Custom' };

/** `datetime-local` wants local time without a zone. */
function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

export function RangePicker({
  range,
  from,
  to,
  onChange,
}: {
  range: RangeName;
  from: string | null;
  to: string | null;
  onChange: (changes: { range: RangeName; from?: string | null; to?: string | null }) => void;
}) {
  const [customOpen, setCustomOpen] = useState(range === 'custom');
  const applyCustom = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const read = (name: string) => {
      const value = String(form.get(name) ?? '');
      return value ? new Date(value).toISOString() : null;
    };
    onChange({ range: 'custom', from: read('from'), to: read('to') });
  };
  return (
    <div className="stack">
      <fieldset className="segmented">
        <legend className="visually-hidden">Time range</legend>
        {RANGES.map((name) => (
          <button
            key={name}
            type="button"
            aria-pressed={range === name}
            onClick={() => {
              if (name === 'custom') setCustomOpen(true);
              else {
                setCustomOpen(false);
                onChange({ range: name, from: null, to: null });
              }
            }}
          >
            {LABELS[name]}
          </button>
        ))}
      </fieldset>
      {customOpen && (
        <form className="row" onSubmit={applyCustom}>
          <label>
            From
            <input type="datetime-local" name="from" defaultValue={toLocalInput(from)} required />
          </label>
          <label>
            To
            <input type="datetime-local" name="to" defaultValue={toLocalInput(to)} />
          </label>
          <button type="submit">Apply</button>
        </form>
      )}
    </div>
  );
}

import type { PriceOverrideBody } from '@switchyard/shared';
import { type FormEvent, useState } from 'react';
import { useSetServerPrice } from '../../api/use-server-prices.js';
import { ErrorText } from '../../components/data-state.js';

const EMPTY = { model: '', input: '', output: '', cachedInput: '' };

/** Sets one model's price (USD per million tokens); setting a model again replaces its price. */
export function ServerPriceForm() {
  const [draft, setDraft] = useState(EMPTY);
  const save = useSetServerPrice();
  const edit = (field: keyof typeof EMPTY, value: string) => {
    setDraft({ ...draft, [field]: value });
    save.reset();
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body: PriceOverrideBody = {
      model: draft.model.trim(),
      input: Number(draft.input),
      output: Number(draft.output),
      ...(draft.cachedInput.trim() === '' ? {} : { cachedInput: Number(draft.cachedInput) }),
    };
    save.mutate(body, { onSuccess: () => setDraft(EMPTY) });
  };

  const priceField = (field: 'input' | 'output' | 'cachedInput', label: string, required: boolean) => (
    <label>
      {label}
      <input
        name={field}
        type="number"
        min="0"
        step="any"
        inputMode="decimal"
        required={required}
        placeholder={required ? undefined : 'the input price'}
        value={draft[field]}
        onChange={(event) => edit(field, event.target.value)}
      />
    </label>
  );

  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="server-price-form-title">
      <h3 id="server-price-form-title">Set a price</h3>
      <div className="row">
        <label>
          Model
          <input
            name="model"
            required
            maxLength={200}
            placeholder="openai/gpt-4o-mini or vllm/*"
            spellCheck={false}
            autoCapitalize="off"
            value={draft.model}
            onChange={(event) => edit('model', event.target.value)}
          />
        </label>
        {priceField('input', 'Input (USD / 1M tokens)', true)}
        {priceField('output', 'Output (USD / 1M tokens)', true)}
        {priceField('cachedInput', 'Cached input (USD / 1M tokens)', false)}
      </div>
      <ErrorText message={save.error?.message} />
      <div className="actions">
        <span role="status" className="saved">
          {save.isSuccess ? 'Saved' : ''}
        </span>
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Set price'}
        </button>
      </div>
    </form>
  );
}

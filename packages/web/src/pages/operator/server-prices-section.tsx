import type { ListedPrice } from '@switchyard/shared';
import { useRemoveServerPrice, useServerPrices } from '../../api/use-server-prices.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { EmptyState, QueryState } from '../../components/data-state.js';
import { formatPricePerMillion } from '../../lib/format.js';
import { ServerPriceForm } from './server-price-form.js';

function PriceCells({ price }: { price: ListedPrice }) {
  return (
    <>
      <td className="mono">{price.model}</td>
      <td className="number">{formatPricePerMillion(price.input)}</td>
      <td className="number">{formatPricePerMillion(price.output)}</td>
      <td className="number">{formatPricePerMillion(price.cachedInput)}</td>
    </>
  );
}

function PriceHeader({ last }: { last: string }) {
  return (
    <thead>
      <tr>
        <th scope="col">Model</th>
        <th scope="col" className="number">
          Input
        </th>
        <th scope="col" className="number">
          Output
        </th>
        <th scope="col" className="number">
          Cached input
        </th>
        <th scope="col">{last}</th>
      </tr>
    </thead>
  );
}

function OperatorPrices({ prices }: { prices: ListedPrice[] }) {
  const remove = useRemoveServerPrice();
  if (prices.length === 0) {
    return (
      <EmptyState title="No server prices set">
        <p>The built-in prices below apply to every call through the server's providers.</p>
      </EmptyState>
    );
  }
  return (
    <div className="table-wrap">
      <table aria-label="Server prices">
        <PriceHeader last="Actions" />
        <tbody>
          {prices.map((price) => (
            <tr key={price.id ?? price.model} data-testid="server-price-row">
              <PriceCells price={price} />
              <td>
                {price.id && (
                  <ConfirmButton
                    label="Remove"
                    title={`Remove the price of ${price.model}?`}
                    message="Calls through the server's providers are costed at the built-in price again, or cost nothing if there is none."
                    confirmLabel="Remove price"
                    onConfirm={() => remove.mutateAsync(price.id as string)}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The prices of the server-wide providers: the operator's over the built-in table. */
export function ServerPricesSection() {
  const prices = useServerPrices();
  return (
    <section className="operator-section" aria-labelledby="server-prices-title">
      <div className="section-header">
        <h2 id="server-prices-title">Server prices</h2>
      </div>
      <p className="muted">
        Every org's calls through the server's own provider keys (<code>OPENAI_API_KEY</code> and the like) are costed,
        and counted against budgets and spend caps, at these prices in USD per million tokens. Built-in prices apply to
        any model not set here. A model with no price at all costs nothing and counts against no budget: set one before
        opening a new model to orgs with budgets. An org's own prices cost only its own provider credentials and
        telemetry.
      </p>
      <QueryState query={prices} label="Loading prices…">
        {(list) => {
          const builtIn = list.filter((price) => price.source === 'built-in');
          return (
            <>
              <OperatorPrices prices={list.filter((price) => price.source === 'server')} />
              <ServerPriceForm />
              <details className="built-in-prices">
                <summary>Built-in prices ({builtIn.length})</summary>
                <div className="table-wrap">
                  <table aria-label="Built-in prices">
                    <PriceHeader last="As of" />
                    <tbody>
                      {builtIn.map((price) => (
                        <tr key={price.model}>
                          <PriceCells price={price} />
                          <td>{price.asOf ?? '—'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </details>
            </>
          );
        }}
      </QueryState>
    </section>
  );
}

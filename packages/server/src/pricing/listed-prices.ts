import { type ListedPrice, MODEL_PRICES } from '@switchyard/shared';

/** The built-in table as listed: each pattern's source stands for the models it prices. */
export const BUILT_IN_PRICES: ListedPrice[] = MODEL_PRICES.map((price) => ({
  model: price.pattern.source,
  input: price.input,
  output: price.output,
  ...(price.cachedInput === undefined ? {} : { cachedInput: price.cachedInput }),
  source: 'built-in',
  asOf: price.asOf,
}));

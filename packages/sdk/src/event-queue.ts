/** A bounded FIFO: when full, the oldest entry makes room, because recent telemetry is worth more. */
export class EventQueue<TItem> {
  readonly #items: TItem[] = [];
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = Math.max(1, capacity);
  }

  get length(): number {
    return this.#items.length;
  }

  /** Adds an item; returns the one dropped to make room, if any. */
  push(item: TItem): { dropped: TItem } | undefined {
    this.#items.push(item);
    if (this.#items.length <= this.#capacity) return undefined;
    return { dropped: this.#items.shift() as TItem };
  }

  /** The oldest item, left in place. */
  peek(): TItem | undefined {
    return this.#items[0];
  }

  /** Removes and returns up to `count` items, oldest first. */
  take(count: number): TItem[] {
    return this.#items.splice(0, count);
  }
}

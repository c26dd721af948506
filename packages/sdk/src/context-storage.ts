/** The part of `AsyncLocalStorage` the SDK uses. */
export interface ContextStorage<TStore> {
  getStore(): TStore | undefined;
  run<TResult>(store: TStore, callback: () => TResult): TResult;
}

export type ContextStorageConstructor = new <TStore>() => ContextStorage<TStore>;

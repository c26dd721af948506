/**
 * Which trace and span the running code belongs to, carried across `await`s by AsyncLocalStorage.
 *
 * `#async-local-storage` is a package.json subpath import with two targets: under the `node`
 * condition (Node, and bundlers building for Node) it is `node:async_hooks`; under `default` (edge
 * and worker bundlers, which never pick `node`) it reads `globalThis.AsyncLocalStorage`, so no
 * `node:` import reaches a bundle that cannot load one. build.mjs resolves it once per build, which
 * is why dist holds an `index.node.*` and an `index.*` of each format.
 */
import { AsyncLocalStorage } from '#async-local-storage';
import type { ContextStorage } from './context-storage.js';
import { sharedState } from './shared-state.js';

export type TraceContext = {
  traceId: string;
  /** The innermost open span: the parent of whatever starts now. Undefined at the trace's top. */
  parentId: string | undefined;
  /** Decided once per trace, so a trace is recorded or dropped whole. */
  sampled: boolean;
};

function storage(): ContextStorage<TraceContext> | undefined {
  const state = sharedState();
  if (state.storage === undefined) state.storage = AsyncLocalStorage ? new AsyncLocalStorage<TraceContext>() : null;
  return (state.storage as ContextStorage<TraceContext> | null) ?? undefined;
}

export function currentContext(): TraceContext | undefined {
  return storage()?.getStore();
}

export function runInContext<TResult>(context: TraceContext, callback: () => TResult): TResult {
  const store = storage();
  return store ? store.run(context, callback) : callback();
}

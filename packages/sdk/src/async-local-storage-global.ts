import type { ContextStorageConstructor } from './context-storage.js';

type Runtime = {
  AsyncLocalStorage?: ContextStorageConstructor;
  process?: { getBuiltinModule?: (id: string) => { AsyncLocalStorage?: ContextStorageConstructor } | undefined };
};

const runtime = globalThis as Runtime;

/**
 * Every other runtime, with no import of `node:*` a bundler could trip on: Vercel's edge runtime and
 * Cloudflare Workers (with `nodejs_compat`) expose `AsyncLocalStorage` on `globalThis`; runtimes with
 * `process.getBuiltinModule` (Node ≥ 20.16 among them) hand it out there. Elsewhere it is undefined,
 * and spans still record, only without nesting.
 */
export const AsyncLocalStorage: ContextStorageConstructor | undefined =
  runtime.AsyncLocalStorage ?? safeGetBuiltin()?.AsyncLocalStorage;

function safeGetBuiltin() {
  try {
    return runtime.process?.getBuiltinModule?.('node:async_hooks');
  } catch {
    return undefined;
  }
}

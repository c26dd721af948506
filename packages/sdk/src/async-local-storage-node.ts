import { AsyncLocalStorage as NodeAsyncLocalStorage } from 'node:async_hooks';
import type { ContextStorageConstructor } from './context-storage.js';

/** Node (and any bundle built for the `node` condition): `node:async_hooks`, present in every version. */
export const AsyncLocalStorage: ContextStorageConstructor | undefined = NodeAsyncLocalStorage;

import type { SwitchyardClient } from './client.js';
import { currentClient } from './global-client.js';

/** Options of `wrapOpenAI()` and `wrapAnthropic()`. */
export type WrapOptions = {
  /** Record with this client. Default: the one made by the latest `init()`, looked up at each call. */
  client?: SwitchyardClient;
};

export function recorderFor(options: WrapOptions | undefined): () => SwitchyardClient | undefined {
  return () => options?.client ?? currentClient();
}

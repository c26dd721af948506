import { Agent, type Dispatcher } from 'undici';
import { createPublicOnlyAgent } from './private-network.js';

/** The app's connection pools for outgoing HTTP: one per kind of address it may call. */
export type OutboundAgents = {
  /** Upstreams the operator configured (server-wide provider base URLs): any address. */
  upstream: Dispatcher;
  /** Addresses org admins type (their providers' base URLs, webhooks): public ones only, unless allowed. */
  tenant: Dispatcher;
  close(): Promise<void>;
};

// One keep-alive connection pool per upstream origin, shared by every request.
const UPSTREAM_OPTIONS = {
  keepAliveTimeout: 30_000,
  // No cap on connections per upstream: long streams run concurrently, and a cap would queue them.
  connections: null,
  headersTimeout: 300_000,
  bodyTimeout: 300_000,
  // HTTP/1.1, as before undici 8 (which would otherwise negotiate HTTP/2 with TLS upstreams).
  allowH2: false,
};

export function createOutboundAgents(options: { allowPrivateUrls: boolean }): OutboundAgents {
  const upstream = new Agent(UPSTREAM_OPTIONS);
  const tenant = options.allowPrivateUrls ? upstream : createPublicOnlyAgent(UPSTREAM_OPTIONS);
  return {
    upstream,
    tenant,
    close: async () => {
      await upstream.close();
      if (tenant !== upstream) await tenant.close();
    },
  };
}

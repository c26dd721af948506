import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { createKey, createTestApp, type SessionClient, setPlan, signUp, type TestContext } from './test-app.js';

export type GatewayFixture = {
  context: TestContext;
  /** Where the app listens, for the SDKs. */
  serverUrl: string;
  /** The owner of the fixture's org, signed in. */
  owner: SessionClient;
  orgId: string;
  keyId: string;
  keySecret: string;
  /** The official openai client on a key with the gateway scope, without retries. */
  openai: OpenAI;
  /** The official Anthropic client, base URL = the server. */
  anthropic: Anthropic;
  close(): Promise<void>;
};

/**
 * An app listening on loopback with the given provider env, an org on the enterprise plan (no limits,
 * unless a test sets them), a gateway key and both official clients.
 */
export async function startGatewayFixture(env: Record<string, string> = {}): Promise<GatewayFixture> {
  const context = await createTestApp({ env });
  const serverUrl = await context.app.listen({ port: 0, host: '127.0.0.1' });
  const owner = await signUp(context.app);
  await setPlan(context.app, owner.orgId, 'enterprise');
  const { id: keyId, secret } = await createKey(owner.client, { scopes: ['gateway'] });
  return {
    context,
    serverUrl,
    owner: owner.client,
    orgId: owner.orgId,
    keyId,
    keySecret: secret,
    openai: new OpenAI({ baseURL: `${serverUrl}/v1`, apiKey: secret, maxRetries: 0 }),
    anthropic: new Anthropic({ baseURL: serverUrl, apiKey: secret, maxRetries: 0 }),
    close: () => context.close(),
  };
}

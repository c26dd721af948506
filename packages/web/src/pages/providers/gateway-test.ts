import type { MeResponse } from '@switchyard/shared';
import { useState } from 'react';
import { ApiError } from '../../api/client.js';
import { sendChat } from '../../api/gateway.js';
import { createPlaygroundKey, storedPlaygroundKey } from '../../api/playground-key.js';
import { useKeysChanged } from '../../api/use-keys.js';
import { useMe } from '../../api/use-session.js';
import { messageOf } from '../../lib/use-action.js';

export const TEST_PROMPT = 'Say hello';

type FinishedTest =
  | {
      status: 'ok';
      model: string;
      provider: string | null;
      attempts: string | null;
      latencyMs: number;
      reply: string;
      createdKey: boolean;
    }
  | { status: 'failed'; model: string; message: string; latencyMs: number | null; createdKey: boolean };

export type GatewayTestOutcome = { status: 'running'; model: string } | FinishedTest;

async function callOnce(options: { orgId: string; model: string }) {
  const body = { model: options.model, messages: [{ role: 'user', content: TEST_PROMPT }], max_tokens: 16 };
  const started = performance.now();
  const answer = await sendChat({ orgId: options.orgId, body });
  return {
    provider: answer.provider,
    attempts: answer.attempts,
    latencyMs: performance.now() - started,
    reply: answer.content,
  };
}

/**
 * One tiny, non-streaming chat through the real gateway with this browser's Playground key,
 * created first if there is none. A key revoked meanwhile is replaced once.
 */
export async function testModel(options: { me: MeResponse; model: string }): Promise<FinishedTest> {
  const { me, model } = options;
  const orgId = me.org.id;
  let createdKey = false;
  let started: number | null = null;
  try {
    if (!storedPlaygroundKey(orgId)) {
      await createPlaygroundKey({ orgId, email: me.user.email });
      createdKey = true;
    }
    started = performance.now();
    try {
      return { status: 'ok', model, createdKey, ...(await callOnce({ orgId, model })) };
    } catch (error) {
      const revoked = error instanceof ApiError && error.status === 401 && !storedPlaygroundKey(orgId);
      if (!revoked || createdKey) throw error;
      await createPlaygroundKey({ orgId, email: me.user.email });
      createdKey = true;
      started = performance.now();
      return { status: 'ok', model, createdKey, ...(await callOnce({ orgId, model })) };
    }
  } catch (error) {
    const message = messageOf(error);
    const latencyMs = started === null ? null : performance.now() - started;
    return { status: 'failed', model, message, latencyMs, createdKey };
  }
}

/** Runs gateway tests for one row and keeps the last outcome to show beside it. */
export function useGatewayTest() {
  const { data: me } = useMe();
  const keysChanged = useKeysChanged();
  const [outcome, setOutcome] = useState<GatewayTestOutcome | null>(null);

  const run = async (model: string) => {
    if (!me) return;
    setOutcome({ status: 'running', model });
    const result = await testModel({ me, model });
    // The new Playground key belongs in the API keys list straight away.
    if (result.createdKey) void keysChanged();
    setOutcome(result);
  };

  return { outcome, run };
}

import { useRef, useState } from 'react';
import type { ChatUsage } from '../../api/chat-stream.js';
import { sendChat } from '../../api/gateway.js';
import { messageOf } from '../../lib/use-action.js';
import type { Turn } from './conversation.js';

export type ChatSettings = {
  model: string;
  system: string;
  temperature: number | null;
  maxTokens: number | null;
  stream: boolean;
};

const tokensOf = (usage: ChatUsage | null) =>
  usage ? `${usage.prompt_tokens} in · ${usage.completion_tokens} out` : null;

/** The conversation and the call that extends it, streamed or not, through the gateway. */
export function useChat(orgId: string) {
  const [turns, setTurns] = useState<Turn[]>([]);
  const [busy, setBusy] = useState(false);
  const controller = useRef<AbortController | null>(null);

  const updateLast = (change: (turn: Turn) => Turn) =>
    setTurns((current) => [...current.slice(0, -1), change(current[current.length - 1] as Turn)]);

  const send = async (text: string, settings: ChatSettings) => {
    const history = [
      ...turns.filter((turn) => !turn.call?.error),
      { id: crypto.randomUUID(), role: 'user' as const, content: text },
    ];
    const traceId = crypto.randomUUID();
    setTurns([...history, { id: traceId, role: 'assistant', content: '' }]);
    setBusy(true);
    controller.current = new AbortController();
    const started = performance.now();
    let firstToken: number | null = null;
    const messages = [
      ...(settings.system.trim() ? [{ role: 'system', content: settings.system }] : []),
      ...history.map((turn) => ({ role: turn.role, content: turn.content })),
    ];
    try {
      const answer = await sendChat({
        orgId,
        headers: { 'x-switchyard-trace-id': traceId, 'x-switchyard-tags': 'playground' },
        signal: controller.current.signal,
        body: {
          model: settings.model,
          messages,
          stream: settings.stream,
          ...(settings.stream ? { stream_options: { include_usage: true } } : {}),
          ...(settings.temperature !== null ? { temperature: settings.temperature } : {}),
          ...(settings.maxTokens !== null ? { max_tokens: settings.maxTokens } : {}),
        },
        onText: (delta) => {
          firstToken ??= performance.now() - started;
          updateLast((turn) => ({ ...turn, content: turn.content + delta }));
        },
      });
      const call = { traceId, provider: answer.provider, cache: answer.cache };
      updateLast((turn) => ({
        ...turn,
        content: answer.content,
        call: { ...call, latencyMs: performance.now() - started, ttftMs: firstToken, tokens: tokensOf(answer.usage) },
      }));
    } catch (error) {
      const aborted = controller.current?.signal.aborted;
      updateLast((turn) => ({
        ...turn,
        call: {
          traceId,
          provider: null,
          cache: null,
          latencyMs: performance.now() - started,
          ttftMs: firstToken,
          tokens: null,
          error: aborted ? 'Stopped.' : messageOf(error),
        },
      }));
    } finally {
      setBusy(false);
      controller.current = null;
    }
  };

  return {
    turns,
    busy,
    send,
    stop: () => controller.current?.abort(),
    clear: () => setTurns([]),
  };
}

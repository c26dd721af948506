import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isPlainChatRequest } from './chat-request-check.js';
import { chatCompletionRequestSchema } from './gateway.js';

const base = { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] };

/** Bodies the official clients send, each of which the fast path must take. */
const typical: Record<string, unknown>[] = [
  base,
  { ...base, stream: true, stream_options: { include_usage: true } },
  {
    model: 'anthropic/claude-sonnet-4',
    messages: [
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this image?' },
          { type: 'image_url', image_url: { url: 'data:,' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"ok":true}' },
    ],
    tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
    tool_choice: 'auto',
    temperature: 0.2,
    top_p: 1,
    max_tokens: 256,
    max_completion_tokens: null,
    n: 1,
    stop: ['\n\n'],
    response_format: { type: 'json_object' },
    user: 'end-user-7',
    seed: 42,
    metadata: { any: 'thing' },
  },
];

/** One field at a time set to a value the schema may or may not take. */
const variants: Array<[string, unknown]> = [
  ['model', ''],
  ['model', ' openai/gpt-4o-mini '],
  ['model', 'x'.repeat(201)],
  ['model', 42],
  ['messages', []],
  ['messages', 'hello'],
  ['messages', [{ role: 'robot', content: 'hi' }]],
  ['messages', [{ content: 'hi' }]],
  ['messages', [{ role: 'user', content: 42 }]],
  ['messages', [{ role: 'user', content: [{ text: 'no type' }] }]],
  ['messages', [{ role: 'user', content: null, name: 7 }]],
  ['messages', [{ role: 'tool', content: 'x', tool_call_id: 1 }]],
  ['messages', [{ role: 'assistant', tool_calls: [{ id: 'a' }] }]],
  ['messages', [{ role: 'assistant', tool_calls: {} }]],
  ['messages', [null]],
  ['stream', 'yes'],
  ['stream', false],
  ['stream_options', null],
  ['stream_options', { include_usage: 'yes' }],
  ['stream_options', []],
  ['n', 0],
  ['n', 129],
  ['n', 1.5],
  ['max_tokens', 0],
  ['max_tokens', -1],
  ['max_tokens', 2.5],
  ['max_tokens', 2 ** 60],
  ['max_tokens', null],
  ['max_completion_tokens', '100'],
  ['temperature', 2.5],
  ['temperature', -0.1],
  ['temperature', null],
  ['temperature', '0.5'],
  ['top_p', 1.01],
  ['top_p', 0],
  ['stop', 'END'],
  ['stop', ['a', 'b', 'c', 'd', 'e']],
  ['stop', [1]],
  ['stop', null],
  ['tools', [{ function: {} }]],
  ['tools', {}],
  ['response_format', { type: 1 }],
  ['response_format', null],
  ['user', 7],
  ['unknown_parameter', { kept: true }],
];

/** What the schema says: accepted and returned as it came, or not. */
function schemaKeepsAsIs(body: unknown): boolean {
  const parsed = chatCompletionRequestSchema.safeParse(body);
  return parsed.success && isDeepStrictEqual(parsed.data, body);
}

describe('isPlainChatRequest', () => {
  it('takes the bodies the official clients send', () => {
    for (const body of typical) {
      expect(isPlainChatRequest(body), JSON.stringify(body)).toBe(true);
      expect(schemaKeepsAsIs(body)).toBe(true);
    }
  });

  it('agrees with the schema on every field, valid or not', () => {
    for (const [field, value] of variants) {
      const body = { ...typical[2], [field]: value };
      expect(isPlainChatRequest(body), `${field} = ${JSON.stringify(value)}`).toBe(schemaKeepsAsIs(body));
    }
  });

  it('leaves what is not an object to the schema', () => {
    for (const body of [null, 'text', 42, [base], undefined]) expect(isPlainChatRequest(body)).toBe(false);
  });
});

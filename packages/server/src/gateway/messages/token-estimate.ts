import { imageInputTokensOf } from '@switchyard/shared';
import { IMAGE_INPUT_TOKENS } from '../limits/input-token-bound.js';
import type { JsonObject } from '../providers/provider.js';

/** The tokenizer the estimate counts with, as named in the `x-switchyard-tokenizer` header. */
export const ESTIMATE_TOKENIZER = 'o200k_base';

// As OpenAI counts chat input: a few tokens frame each message, and a few more prime the reply.
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_TOOL = 8;
const REPLY_PRIMING_TOKENS = 3;

type Count = (text: string) => number;

/**
 * Counts a Messages body's input tokens for providers that cannot count them for us: the text of
 * the system prompt, the messages (tool calls and results too) and the tool definitions, counted
 * with gpt-tokenizer's o200k_base (GPT-4o's own; other models' tokenizers differ by some percent),
 * and each image as the allowance budgets hold for the model. Loaded on first use.
 */
export async function estimateInputTokens(options: { body: JsonObject; model: string }): Promise<number> {
  const { countTokens } = await import('gpt-tokenizer/encoding/o200k_base');
  // Special tokens in the text are counted as the text they are, as providers treat user input.
  const count: Count = (text) => (text ? countTokens(text, { disallowedSpecial: new Set() }) : 0);
  const imageTokens = imageInputTokensOf(options.model) ?? IMAGE_INPUT_TOKENS;
  const { system, messages, tools } = options.body;
  let tokens = contentTokens({ content: system, count, imageTokens }) + REPLY_PRIMING_TOKENS;
  for (const message of Array.isArray(messages) ? messages : []) {
    const content = (message as { content?: unknown }).content;
    tokens += TOKENS_PER_MESSAGE + contentTokens({ content, count, imageTokens });
  }
  for (const tool of Array.isArray(tools) ? tools : []) {
    const { name, description, input_schema: inputSchema, ...rest } = tool as JsonObject;
    tokens += TOKENS_PER_TOOL + count(textOf(name)) + count(textOf(description));
    // A custom tool's schema; a provider's own tool (web search, computer use) is its settings.
    tokens += count(JSON.stringify(inputSchema ?? rest));
  }
  return tokens;
}

const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');

function contentTokens(options: { content: unknown; count: Count; imageTokens: number }): number {
  const { content, count } = options;
  if (typeof content === 'string') return count(content);
  if (!Array.isArray(content)) return 0;
  let tokens = 0;
  for (const block of content as JsonObject[]) {
    switch (block?.type) {
      case 'text':
        tokens += count(textOf(block.text));
        break;
      case 'image':
        tokens += options.imageTokens;
        break;
      case 'thinking':
        tokens += count(textOf(block.thinking));
        break;
      case 'tool_use':
      case 'server_tool_use':
        tokens += count(textOf(block.name)) + count(JSON.stringify(block.input ?? {}));
        break;
      case 'tool_result':
        tokens += contentTokens({ ...options, content: block.content });
        break;
      case 'redacted_thinking':
        break;
      default:
        // Documents, search results and the rest: their JSON, which is about what their text counts.
        tokens += count(JSON.stringify(block));
    }
  }
  return tokens;
}

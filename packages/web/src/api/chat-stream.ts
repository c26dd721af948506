import { type ChatCompletionChunk, chatCompletionChunkSchema } from '@switchyard/shared';
import { ApiError } from './client.js';

export type ChatUsage = NonNullable<ChatCompletionChunk['usage']>;

/** Reads an OpenAI chat-completion event stream, handing each text delta to `onText`. */
export async function readChatStream(options: {
  body: ReadableStream<Uint8Array>;
  onText: (text: string) => void;
}): Promise<{ usage: ChatUsage | null }> {
  const reader = options.body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  let usage: ChatUsage | null = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    let end = buffered.indexOf('\n\n');
    while (end !== -1) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      end = buffered.indexOf('\n\n');
      for (const line of block.split('\n')) {
        if (!line.startsWith('data:')) continue;
        const data = line.slice(5).trim();
        if (data === '[DONE]') return { usage };
        const parsed = chatCompletionChunkSchema.safeParse(JSON.parse(data));
        if (!parsed.success) {
          const message = "The gateway's stream was not understood";
          throw new ApiError({ status: 200, code: 'invalid_response', message, cause: parsed.error });
        }
        const chunk = parsed.data;
        if (chunk.error) throw new Error(chunk.error.message ?? 'The stream ended with an error');
        const text = chunk.choices?.[0]?.delta?.content;
        if (text) options.onText(text);
        if (chunk.usage) usage = chunk.usage;
      }
    }
  }
  return { usage };
}

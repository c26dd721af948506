/** One server-sent event: its `event:` name (if any) and its joined `data:` lines. */
export type SseEvent = { event: string | undefined; data: string };

/**
 * Parses a byte stream of server-sent events as they arrive, without buffering the whole body.
 * Handles events split across chunks, CRLF line ends, comments and multi-line data.
 */
export async function* parseSse(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event: string | undefined;
  let data: string[] = [];
  const flush = function* () {
    if (data.length) yield { event, data: data.join('\n') };
    event = undefined;
    data = [];
  };
  for await (const chunk of body) {
    buffer += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let newline = buffer.search(/\r?\n|\r/);
    while (newline !== -1) {
      const line = buffer.slice(0, newline);
      const separatorLength = buffer.startsWith('\r\n', newline) ? 2 : 1;
      buffer = buffer.slice(newline + separatorLength);
      if (line === '') yield* flush();
      else if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      else if (line.startsWith('event:')) event = line.slice(6).trim();
      // Comments (":") and fields we do not use (id:, retry:) are skipped.
      newline = buffer.search(/\r?\n|\r/);
    }
  }
  buffer += decoder.decode();
  if (buffer.startsWith('data:')) data.push(buffer.slice(buffer.startsWith('data: ') ? 6 : 5));
  yield* flush();
}

export function formatSse(data: string, event?: string): string {
  return `${event ? `event: ${event}\n` : ''}data: ${data}\n\n`;
}

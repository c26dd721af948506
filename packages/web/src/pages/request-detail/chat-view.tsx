import { toChatMessages } from '../../lib/chat-messages.js';

/** Recorded input or output as chat messages (tool calls shown), or as JSON when it is not a chat. */
export function ChatView({ value, speaker }: { value: unknown; speaker: 'user' | 'assistant' }) {
  if (value === null || value === undefined) return <p className="muted small">Not recorded.</p>;
  const messages = toChatMessages(value, speaker);
  if (!messages) return <pre className="card">{JSON.stringify(value, null, 2)}</pre>;
  return (
    <div className="messages">
      {messages.map((message, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a recorded transcript never reorders
        <div className={`message ${message.role}`} key={`${index}-${message.role}`}>
          <div className="role">{message.role}</div>
          {message.text && <pre>{message.text}</pre>}
          {message.toolCalls.map((call, callIndex) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a recorded transcript never reorders
            <div className="tool-call" key={`${callIndex}-${call.name}`}>
              <div className="small">
                Tool call: <strong className="mono">{call.name}</strong>
              </div>
              <pre className="mono">{call.arguments}</pre>
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}

import { type FormEvent, type KeyboardEvent, useState } from 'react';
import { createPlaygroundKey, storedPlaygroundKey } from '../api/playground-key.js';
import { useKeysChanged } from '../api/use-keys.js';
import { useGatewayModels } from '../api/use-models.js';
import { useCan, useMe } from '../api/use-session.js';
import { useTracesChanged } from '../api/use-traces.js';
import { ErrorMessage, Loading } from '../components/data-state.js';
import { useAction } from '../lib/use-action.js';
import { Link } from '../router.js';
import { Conversation } from './playground/conversation.js';
import { type ChatSettings, useChat } from './playground/use-chat.js';

function KeySetup({ orgId, email, onCreated }: { orgId: string; email: string; onCreated: () => void }) {
  const create = useAction(async () => {
    await createPlaygroundKey({ orgId, email });
    onCreated();
  });
  return (
    <section className="notice stack">
      <p>
        The Playground calls the gateway like your app does, with an API key. It creates a key named{' '}
        <strong>Playground ({email})</strong> with the <code>gateway</code> scope, kept in this browser; you can revoke
        it on the <Link to="/keys">API keys</Link> page.
      </p>
      {create.error && <p className="error-text">{create.error}</p>}
      <div>
        <button type="button" onClick={() => create.run()} disabled={create.busy}>
          {create.busy ? 'Creating…' : 'Create a playground key'}
        </button>
      </div>
    </section>
  );
}

function numberOrNull(value: FormDataEntryValue | null): number | null {
  return value === null || value === '' ? null : Number(value);
}

export default function PlaygroundPage() {
  const { data: me } = useMe();
  const canUse = useCan('member');
  const keysChanged = useKeysChanged();
  const tracesChanged = useTracesChanged();
  const orgId = me?.org.id ?? '';
  const [, setKeyVersion] = useState(0);
  const keyPresent = Boolean(orgId && storedPlaygroundKey(orgId));
  const models = useGatewayModels(orgId, keyPresent);
  const chat = useChat(orgId);
  const [draft, setDraft] = useState('');

  if (!me) return null;
  if (!canUse) {
    return (
      <>
        <h1>Playground</h1>
        <p className="muted">The Playground sends requests with an API key, which needs the member role.</p>
      </>
    );
  }

  const submit = (event?: FormEvent<HTMLFormElement>) => {
    event?.preventDefault();
    const form = document.getElementById('playground-settings') as HTMLFormElement;
    const values = new FormData(form);
    const settings: ChatSettings = {
      model: String(values.get('model') ?? ''),
      system: String(values.get('system') ?? ''),
      temperature: numberOrNull(values.get('temperature')),
      maxTokens: numberOrNull(values.get('maxTokens')),
      stream: values.get('stream') === 'on',
    };
    if (!draft.trim() || !settings.model || chat.busy) return;
    void chat.send(draft, settings).then(() => tracesChanged());
    setDraft('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit();
  };

  return (
    <>
      <div className="page-header">
        <h1>Playground</h1>
        <button type="button" className="secondary" onClick={chat.clear} disabled={chat.busy}>
          New chat
        </button>
      </div>
      {!keyPresent ? (
        <KeySetup
          orgId={orgId}
          email={me.user.email}
          onCreated={() => {
            setKeyVersion((version) => version + 1);
            void keysChanged();
          }}
        />
      ) : models.isPending ? (
        <Loading label="Loading models…" />
      ) : models.isError ? (
        <ErrorMessage error={models.error} retry={() => models.refetch()} />
      ) : (
        <div className="playground">
          <form
            id="playground-settings"
            className="card stack"
            aria-label="Settings"
            onSubmit={(event) => event.preventDefault()}
          >
            <label>
              Model
              <select name="model" defaultValue={models.data.includes('mock/echo') ? 'mock/echo' : models.data[0]}>
                {models.data.map((model) => (
                  <option key={model} value={model}>
                    {model}
                  </option>
                ))}
              </select>
            </label>
            <label>
              System prompt
              <textarea name="system" rows={4} placeholder="You are a helpful assistant." />
            </label>
            <div className="row">
              <label>
                Temperature
                <input name="temperature" type="number" min="0" max="2" step="0.1" placeholder="default" />
              </label>
              <label>
                Max tokens
                <input name="maxTokens" type="number" min="1" step="1" placeholder="default" />
              </label>
            </div>
            <label className="inline">
              <input type="checkbox" name="stream" defaultChecked /> Stream the answer
            </label>
          </form>
          <section className="stack">
            <Conversation turns={chat.turns} />
            <form className="stack" onSubmit={submit} aria-label="Send a message">
              <label>
                Message
                <textarea
                  name="message"
                  rows={3}
                  value={draft}
                  onChange={(event) => setDraft(event.target.value)}
                  onKeyDown={onKeyDown}
                  placeholder="Ask something…"
                />
              </label>
              <div className="actions">
                {chat.busy && (
                  <button type="button" className="secondary" onClick={chat.stop}>
                    Stop
                  </button>
                )}
                <button type="submit" disabled={chat.busy || !draft.trim()}>
                  {chat.busy ? 'Sending…' : 'Send'}
                </button>
              </div>
            </form>
          </section>
        </div>
      )}
    </>
  );
}

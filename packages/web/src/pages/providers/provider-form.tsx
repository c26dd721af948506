import { PROVIDER_KINDS, type ProviderCredential, type ProviderCredentialBody } from '@switchyard/shared';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useSaveProviderCredential } from '../../api/use-providers.js';
import { FormFooter } from '../../components/form-footer.js';
import { PROVIDER_KIND_DETAILS } from './provider-kinds.js';

type ProviderKind = ProviderCredentialBody['kind'];

/**
 * Adds a provider, or replaces `provider`. The key is write-only: the field always starts empty;
 * left empty on replace, the stored key stays (the server keeps it when `apiKey` is absent).
 */
export function ProviderForm({ provider, onDone }: { provider: ProviderCredential | null; onDone: () => void }) {
  const [name, setName] = useState(provider?.name ?? '');
  const [kind, setKind] = useState<ProviderKind>(provider?.kind ?? 'openai');
  const [baseUrl, setBaseUrl] = useState(provider?.baseUrl ?? '');
  const [apiKey, setApiKey] = useState('');
  const [removeKey, setRemoveKey] = useState(false);
  const save = useSaveProviderCredential();
  const nameInput = useRef<HTMLInputElement>(null);
  // The form opens on a click: take the user to its first field.
  useEffect(() => nameInput.current?.focus(), []);
  const { defaultBaseUrl } = PROVIDER_KIND_DETAILS[kind];

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body: ProviderCredentialBody = {
      name: name.trim(),
      kind,
      baseUrl: baseUrl.trim() || undefined,
      // Absent keeps the stored key; null removes it.
      apiKey: apiKey || (removeKey ? null : undefined),
    };
    save.mutate({ id: provider?.id, body }, { onSuccess: onDone });
  };

  return (
    <form className="stack" onSubmit={submit} aria-labelledby="provider-form-title">
      <h3 id="provider-form-title">{provider ? `Replace provider ${provider.name}` : 'Add a provider'}</h3>
      <div className="row">
        <div className="field">
          <label>
            Name
            <input
              value={name}
              onChange={(event) => setName(event.target.value)}
              placeholder="together"
              maxLength={40}
              required
              ref={nameInput}
              spellCheck={false}
              autoCapitalize="off"
              aria-describedby="provider-name-hint"
            />
          </label>
          <p id="provider-name-hint" className="muted small">
            The model prefix: <code>{name.trim() || 'name'}/model</code>. Naming one <code>openai</code> (or{' '}
            <code>anthropic</code>…) overrides the server’s own for this organization.
          </p>
        </div>
        <label>
          Kind
          <select value={kind} onChange={(event) => setKind(event.target.value as ProviderKind)}>
            {PROVIDER_KINDS.map((option) => (
              <option key={option} value={option}>
                {PROVIDER_KIND_DETAILS[option].label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="field">
        <label>
          Base URL{defaultBaseUrl ? ' (optional)' : ''}
          <input
            type="url"
            value={baseUrl}
            onChange={(event) => setBaseUrl(event.target.value)}
            placeholder={defaultBaseUrl ?? 'https://api.together.xyz/v1'}
            required={!defaultBaseUrl}
            spellCheck={false}
            aria-describedby="provider-base-url-hint"
          />
        </label>
        <p id="provider-base-url-hint" className="muted small">
          {defaultBaseUrl
            ? `Empty calls ${defaultBaseUrl}; set it for a proxy or a regional endpoint.`
            : 'Any server that speaks OpenAI’s API: Together, vLLM, Ollama, llama.cpp… One on this server’s own network (localhost, 10.x, 192.168.x) needs ALLOW_PRIVATE_URLS=true on the server.'}
        </p>
      </div>
      <div className="field">
        <label>
          {provider ? 'New API key' : 'API key'}
          <input
            type="password"
            value={apiKey}
            onChange={(event) => setApiKey(event.target.value)}
            maxLength={1000}
            autoComplete="new-password"
            spellCheck={false}
            aria-describedby="provider-key-hint"
          />
        </label>
        <p id="provider-key-hint" className="muted small">
          {provider?.keyHint
            ? `Left empty, the stored key (${provider.keyHint}) stays.`
            : 'Stored encrypted and never shown again. Optional for servers that need no key.'}
        </p>
        {provider?.keyHint && !apiKey && (
          <label className="inline">
            <input type="checkbox" checked={removeKey} onChange={(event) => setRemoveKey(event.target.checked)} />
            Remove the stored key
          </label>
        )}
      </div>
      <FormFooter
        error={save.error}
        saving={save.isPending}
        submitLabel={provider ? 'Replace provider' : 'Add provider'}
        onCancel={onDone}
      />
    </form>
  );
}

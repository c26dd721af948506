import type { ProviderCredential } from '@switchyard/shared';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useDeleteProviderCredential } from '../../api/use-providers.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { formatAgo, formatDateTime } from '../../lib/format.js';
import { useGatewayTest } from './gateway-test.js';
import { GatewayTestResult } from './gateway-test-result.js';
import { PROVIDER_KIND_DETAILS } from './provider-kinds.js';

const PROVIDER_COLUMNS = 6;

/** A provider has no model of its own to test, so its test asks which model to call, prefilled. */
function ProviderTestForm({ provider }: { provider: ProviderCredential }) {
  const [model, setModel] = useState(`${provider.name}/${PROVIDER_KIND_DETAILS[provider.kind].testModel}`);
  const test = useGatewayTest();
  const modelInput = useRef<HTMLInputElement>(null);
  useEffect(() => modelInput.current?.focus(), []);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void test.run(model.trim());
  };
  return (
    <>
      <form className="row provider-test-form" onSubmit={submit}>
        <label>
          Model to test
          <input
            value={model}
            onChange={(event) => setModel(event.target.value)}
            required
            ref={modelInput}
            spellCheck={false}
            autoCapitalize="off"
          />
        </label>
        <button type="submit" disabled={test.outcome?.status === 'running'}>
          {test.outcome?.status === 'running' ? 'Testing…' : 'Send test'}
        </button>
      </form>
      <GatewayTestResult outcome={test.outcome} />
    </>
  );
}

export function ProviderRow({
  provider,
  usedByRoutes,
  canEdit,
  canTest,
  onReplace,
}: {
  provider: ProviderCredential;
  usedByRoutes: string[];
  canEdit: boolean;
  canTest: boolean;
  onReplace: () => void;
}) {
  const [testing, setTesting] = useState(false);
  const deleteProvider = useDeleteProviderCredential();
  const hasControls = canEdit || canTest;
  const routesNote = usedByRoutes.length > 0 ? ` Routes that use it: ${usedByRoutes.join(', ')}.` : '';

  return (
    <>
      <tr>
        <td>
          <code>{provider.name}/…</code>
        </td>
        <td>{PROVIDER_KIND_DETAILS[provider.kind].label}</td>
        <td className="mono small">{provider.baseUrl ?? <span className="muted">default</span>}</td>
        <td className="mono small">{provider.keyHint ?? <span className="muted">none</span>}</td>
        <td title={formatDateTime(provider.updatedAt)}>{formatAgo(provider.updatedAt)}</td>
        {hasControls && (
          <td>
            <div className="row-actions">
              {canTest && (
                <button
                  type="button"
                  className="secondary small"
                  aria-expanded={testing}
                  aria-label={`Test ${provider.name}`}
                  onClick={() => setTesting(!testing)}
                >
                  Test
                </button>
              )}
              {canEdit && (
                <>
                  <button
                    type="button"
                    className="secondary small"
                    onClick={onReplace}
                    aria-label={`Replace ${provider.name}`}
                  >
                    Replace
                  </button>
                  <ConfirmButton
                    label="Delete"
                    title={`Delete the provider ${provider.name}?`}
                    message={`Its key is erased. Calls to ${provider.name}/… then use the server’s own provider of that name, if there is one, or fail.${routesNote}`}
                    confirmLabel="Delete provider"
                    onConfirm={() => deleteProvider.mutateAsync(provider.id)}
                  />
                </>
              )}
            </div>
          </td>
        )}
      </tr>
      {testing && (
        <tr className="gateway-test-row">
          <td colSpan={PROVIDER_COLUMNS}>
            <ProviderTestForm provider={provider} />
          </td>
        </tr>
      )}
    </>
  );
}

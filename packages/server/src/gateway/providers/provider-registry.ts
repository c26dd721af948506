import { parseModelRef } from '@switchyard/shared';
import type { Dispatcher } from 'undici';
import type { Config } from '../../config.js';
import { HttpError } from '../../http/http-error.js';
import { createAnthropicProvider } from './anthropic.js';
import { createGeminiProvider } from './gemini.js';
import { createMockProvider, MOCK_PROVIDER } from './mock.js';
import { createOpenAiCompatibleProvider } from './openai-compatible.js';
import type { Provider } from './provider.js';

/** Where each provider kind is reached when no base URL is configured. */
export const DEFAULT_BASE_URLS = {
  openai: 'https://api.openai.com/v1',
  groq: 'https://api.groq.com/openai/v1',
  anthropic: 'https://api.anthropic.com',
  gemini: 'https://generativelanguage.googleapis.com',
} as const;

/** The providers this server knows by name, whether or not a key is configured for them. */
export const SERVER_PROVIDER_NAMES: readonly string[] = [MOCK_PROVIDER, ...Object.keys(DEFAULT_BASE_URLS)];

/** The providers this server reaches with its own (env) credentials. `mock` is always there. */
export function providersFromConfig(
  config: Pick<Config, 'providerKeys' | 'providerBaseUrls'>,
  dispatcher: Dispatcher,
): Provider[] {
  const providers: Provider[] = [createMockProvider()];
  for (const name of ['openai', 'groq'] as const) {
    const apiKey = config.providerKeys[name];
    const baseUrl = config.providerBaseUrls[name];
    // A base URL alone is enough: local OpenAI-compatible servers (Ollama, vLLM) take no key.
    if (!apiKey && !baseUrl) continue;
    providers.push(
      createOpenAiCompatibleProvider({ name, apiKey, baseUrl: baseUrl ?? DEFAULT_BASE_URLS[name], dispatcher }),
    );
  }
  if (config.providerKeys.anthropic || config.providerBaseUrls.anthropic) {
    providers.push(
      createAnthropicProvider({
        apiKey: config.providerKeys.anthropic,
        baseUrl: config.providerBaseUrls.anthropic ?? DEFAULT_BASE_URLS.anthropic,
        dispatcher,
      }),
    );
  }
  if (config.providerKeys.gemini || config.providerBaseUrls.gemini) {
    providers.push(
      createGeminiProvider({
        apiKey: config.providerKeys.gemini,
        baseUrl: config.providerBaseUrls.gemini ?? DEFAULT_BASE_URLS.gemini,
        dispatcher,
      }),
    );
  }
  return providers;
}

/** Turns a `provider/model` name into the provider to call and the model name it knows. */
export class ProviderRegistry {
  readonly #providers: Map<string, Provider>;
  /** Providers the server has but this view keeps from its org: refused by name, saying why. */
  readonly #withheld: ReadonlySet<string>;
  #withoutServerKeys: ProviderRegistry | undefined;

  constructor(providers: Provider[], options: { withheld?: readonly string[] } = {}) {
    this.#providers = new Map(providers.map((provider) => [provider.name, provider]));
    this.#withheld = new Set(options.withheld);
  }

  /**
   * What an org reaches of these providers: all of them when it may use the server-wide keys
   * (SHARED_PROVIDERS=all, or the operator's mark), else only `mock`, which has no key to spend.
   */
  forOrg(serverProviders: boolean): ProviderRegistry {
    if (serverProviders) return this;
    this.#withoutServerKeys ??= new ProviderRegistry(
      [...this.#providers.values()].filter((provider) => provider.name === MOCK_PROVIDER),
      { withheld: [...this.#providers.keys()].filter((name) => name !== MOCK_PROVIDER) },
    );
    return this.#withoutServerKeys;
  }

  resolve(model: string): { provider: Provider; upstreamModel: string } {
    const ref = parseModelRef(model);
    const providerName = 'provider' in ref ? ref.provider : '';
    const upstreamModel = 'provider' in ref ? ref.model : ref.alias;
    const provider = this.#providers.get(providerName);
    if (!provider && this.#withheld.has(providerName)) {
      throw new HttpError(404, {
        code: 'model_not_found',
        param: 'model',
        message: `model: provider "${providerName}" is not configured for this org: the server's own ${providerName} key serves only the orgs its operator chose (SHARED_PROVIDERS); an admin of the org can add the org's own ${providerName} key under Providers (POST /api/providers)`,
      });
    }
    if (!provider || !upstreamModel) {
      const known = [...this.#providers.keys()].join(', ');
      throw new HttpError(404, {
        code: 'model_not_found',
        param: 'model',
        message: providerName
          ? `model: provider "${providerName}" is not configured on this server (configured: ${known})`
          : `model: "${model}" must be "provider/model", e.g. "mock/echo" (configured providers: ${known})`,
      });
    }
    return { provider, upstreamModel };
  }

  /** `provider/model` of every model the providers list. */
  models(): Array<{ id: string; ownedBy: string }> {
    return [...this.#providers.values()].flatMap((provider) =>
      provider.listModels().map((model) => ({ id: `${provider.name}/${model}`, ownedBy: provider.name })),
    );
  }
}

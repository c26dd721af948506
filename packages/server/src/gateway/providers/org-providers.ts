import { type ProviderCredential, type ProviderCredentialBody, parseModelRef } from '@switchyard/shared';
import { and, asc, eq } from 'drizzle-orm';
import type { Dispatcher } from 'undici';
import type { Clock } from '../../clock.js';
import { SecretBox } from '../../crypto/secret-box.js';
import type { Database } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { providerCredentials } from '../../db/schema.js';
import { HttpError } from '../../http/http-error.js';
import type { Kv } from '../../kv/kv.js';
import { OrgCache } from '../../kv/org-cache.js';
import { createAnthropicProvider } from './anthropic.js';
import { createGeminiProvider } from './gemini.js';
import { createOpenAiCompatibleProvider } from './openai-compatible.js';
import type { Provider } from './provider.js';
import { DEFAULT_BASE_URLS, type ProviderRegistry } from './provider-registry.js';

type CredentialRow = typeof providerCredentials.$inferSelect;

export const PROVIDERS_CHANGED_CHANNEL = 'providers:changed';

/** What routing needs: `provider/model` → the provider to call and the model it knows. */
export type ProviderResolver = {
  resolve(model: string): { provider: Provider; upstreamModel: string };
  /** Whether `provider/model` goes through the org's own credentials rather than the server's. */
  ownsModel(model: string): boolean;
};

function toPublic(row: CredentialRow): ProviderCredential {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    baseUrl: row.baseUrl,
    keyHint: row.keyHint,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Providers an org brings with its own credentials, in front of the server-wide ones: an org's
 * `openai` uses the org's key. Keys are stored sealed and opened only to build the provider.
 */
export class OrgProviderStore {
  readonly #db: Database;
  readonly #clock: Clock;
  readonly #box: SecretBox;
  readonly #dispatcher: Dispatcher;
  readonly #serverWide: ProviderRegistry;
  readonly #cache: OrgCache<Map<string, Provider>>;

  constructor(options: {
    db: Database;
    kv: Kv;
    clock: Clock;
    secretKey: string;
    dispatcher: Dispatcher;
    serverWide: ProviderRegistry;
  }) {
    this.#db = options.db;
    this.#clock = options.clock;
    this.#box = new SecretBox(options.secretKey, 'provider-credentials');
    this.#dispatcher = options.dispatcher;
    this.#serverWide = options.serverWide;
    this.#cache = new OrgCache({
      kv: options.kv,
      clock: options.clock,
      channel: PROVIDERS_CHANGED_CHANNEL,
      load: async (orgId) => {
        const rows = await this.#db.select().from(providerCredentials).where(eq(providerCredentials.orgId, orgId));
        return new Map(rows.map((row) => [row.name, this.#build(row)]));
      },
    });
  }

  start(): Promise<void> {
    return this.#cache.start();
  }

  stop(): Promise<void> {
    return this.#cache.stop();
  }

  /**
   * The org's providers over the server's, for one call; the server's only as far as the org may use
   * their keys (`serverProviders`, the caller's principal says).
   */
  async resolverFor(org: { orgId: string; serverProviders: boolean }): Promise<ProviderResolver> {
    const own = await this.#cache.get(org.orgId);
    const serverWide = this.#serverWide.forOrg(org.serverProviders);
    const ownProvider = (model: string) => {
      const ref = parseModelRef(model);
      if (!('provider' in ref) || !ref.provider || !ref.model) return undefined;
      const provider = own.get(ref.provider);
      return provider && { provider, upstreamModel: ref.model };
    };
    return {
      ownsModel: (model) => ownProvider(model) !== undefined,
      resolve(model) {
        const owned = ownProvider(model);
        if (owned) return owned;
        try {
          return serverWide.resolve(model);
        } catch (error) {
          if (!(error instanceof HttpError) || own.size === 0) throw error;
          throw new HttpError(404, {
            code: 'model_not_found',
            param: 'model',
            message: `${error.message}; this org also has: ${[...own.keys()].join(', ')}`,
          });
        }
      },
    };
  }

  async list(orgId: string): Promise<ProviderCredential[]> {
    const rows = await this.#db
      .select()
      .from(providerCredentials)
      .where(eq(providerCredentials.orgId, orgId))
      .orderBy(asc(providerCredentials.name));
    return rows.map(toPublic);
  }

  /** Undefined when the org already has a provider of that name. */
  async create(orgId: string, body: ProviderCredentialBody): Promise<ProviderCredential | undefined> {
    const [row] = await this.#db
      .insert(providerCredentials)
      .values({ orgId, ...this.#columns(body) })
      .onConflictDoNothing({ target: [providerCredentials.orgId, providerCredentials.name] })
      .returning();
    if (row) await this.#changed(orgId);
    return row ? toPublic(row) : undefined;
  }

  async replace(
    orgId: string,
    id: string,
    body: ProviderCredentialBody,
  ): Promise<ProviderCredential | 'name_taken' | undefined> {
    let row: CredentialRow | undefined;
    try {
      [row] = await this.#db
        .update(providerCredentials)
        .set({ ...this.#columns(body, { keepKeyWhenAbsent: true }), updatedAt: new Date(this.#clock.now()) })
        .where(and(eq(providerCredentials.orgId, orgId), eq(providerCredentials.id, id)))
        .returning();
    } catch (error) {
      if (isUniqueViolation(error)) return 'name_taken';
      throw error;
    }
    if (row) await this.#changed(orgId);
    return row ? toPublic(row) : undefined;
  }

  async delete(orgId: string, id: string): Promise<boolean> {
    const rows = await this.#db
      .delete(providerCredentials)
      .where(and(eq(providerCredentials.orgId, orgId), eq(providerCredentials.id, id)))
      .returning({ id: providerCredentials.id });
    if (rows.length) await this.#changed(orgId);
    return rows.length > 0;
  }

  /** With `keepKeyWhenAbsent`, a body without `apiKey` leaves the stored key as it is (a replace). */
  #columns(body: ProviderCredentialBody, options: { keepKeyWhenAbsent?: boolean } = {}) {
    const settings = { name: body.name, kind: body.kind, baseUrl: body.baseUrl ?? null };
    if (body.apiKey === undefined && options.keepKeyWhenAbsent) return settings;
    return {
      ...settings,
      encryptedKey: body.apiKey ? this.#box.seal(body.apiKey) : null,
      keyHint: body.apiKey ? `…${body.apiKey.slice(-4)}` : null,
    };
  }

  #build(row: CredentialRow): Provider {
    const apiKey = row.encryptedKey ? this.#box.open(row.encryptedKey) : undefined;
    if (row.kind === 'gemini') {
      return createGeminiProvider({
        name: row.name,
        apiKey,
        baseUrl: row.baseUrl ?? DEFAULT_BASE_URLS.gemini,
        dispatcher: this.#dispatcher,
      });
    }
    if (row.kind === 'anthropic') {
      return createAnthropicProvider({
        name: row.name,
        apiKey,
        baseUrl: row.baseUrl ?? DEFAULT_BASE_URLS.anthropic,
        dispatcher: this.#dispatcher,
      });
    }
    return createOpenAiCompatibleProvider({
      name: row.name,
      apiKey,
      baseUrl: row.baseUrl ?? DEFAULT_BASE_URLS.openai,
      dispatcher: this.#dispatcher,
    });
  }

  #changed(orgId: string): Promise<void> {
    return this.#cache.invalidate(orgId);
  }
}

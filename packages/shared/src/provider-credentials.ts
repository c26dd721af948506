import { z } from 'zod';
import { PROVIDER_KINDS } from './provider-kinds.js';

/** An org's own credentials for a provider; the key is write-only. */
export const providerCredentialBodySchema = z
  .object({
    /** The model prefix clients use: `openai` (overrides the server's), `together`, `my-vllm`, … */
    name: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be lower-case letters, digits, - or _ (it becomes the model prefix)'),
    kind: z.enum(PROVIDER_KINDS),
    /** Required for `openai-compatible`; defaults to the provider's own API otherwise. */
    baseUrl: z
      .string()
      .trim()
      .regex(/^https?:\/\//, 'must start with http:// or https://')
      .max(500)
      .optional(),
    /** Write-only. When replacing: absent keeps the stored key, `null` removes it. */
    apiKey: z.string().min(1).max(1000).nullable().optional(),
  })
  .refine((body) => body.kind !== 'openai-compatible' || body.baseUrl, {
    path: ['baseUrl'],
    error: 'is required for an openai-compatible provider',
  });
export type ProviderCredentialBody = z.infer<typeof providerCredentialBodySchema>;

export const providerCredentialSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(PROVIDER_KINDS),
  baseUrl: z.string().nullable(),
  /** The last characters of the key, to recognise it; null when none is stored. */
  keyHint: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ProviderCredential = z.infer<typeof providerCredentialSchema>;

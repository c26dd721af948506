import { z } from 'zod';

/** A provider's answer, documented loosely: we pass it on as the provider wrote it. */
export const providerAnswerSchema = z.looseObject({ object: z.string() });

/** Route option: send provider answers with JSON.stringify, skipping schema work on the hot path. */
export const passthroughSerializer = () => (data: unknown) => JSON.stringify(data);
export type ProviderAnswer = z.infer<typeof providerAnswerSchema>;

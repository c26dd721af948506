import { z } from 'zod';

/** `GET /v1/models`, in OpenAI's list shape. */
export const modelListSchema = z.object({
  object: z.literal('list'),
  data: z.array(z.object({ id: z.string(), object: z.literal('model'), created: z.number(), owned_by: z.string() })),
});
export type ModelList = z.infer<typeof modelListSchema>;

import { z } from 'zod';

/** `GET /v1/models`, in OpenAI's list shape. */
export const modelListSchema = z.object({
  object: z.literal('list'),
  data: z.array(z.object({ id: z.string(), object: z.literal('model'), created: z.number(), owned_by: z.string() })),
});
export type ModelList = z.infer<typeof modelListSchema>;

/** `GET /api/models`: what the org can send as `model`, for the dashboard (session or admin key). */
export const orgModelListSchema = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      /** `route`: one of the org's aliases; `model`: a model of a provider configured on the server. */
      kind: z.enum(['route', 'model']),
    }),
  ),
});
export type OrgModelList = z.infer<typeof orgModelListSchema>;

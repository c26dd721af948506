import { z } from 'zod';

export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

/** A page of a list; `nextCursor` is null on the last page. */
export function pageSchema<TItem extends z.ZodType>(item: TItem) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() });
}

/** A whole list, unpaged: `{ data }`. */
export function listSchema<TItem extends z.ZodType>(item: TItem) {
  return z.object({ data: z.array(item) });
}

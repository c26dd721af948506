import type { FastifySchema, FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';

/**
 * The route's zod validation with a hand-written fast path in front for the body: a body `isPlain`
 * vouches for (one the schema would accept and return unchanged) is taken as it is; any other goes to
 * zod, which names what is wrong. Zod still describes the body for /docs.
 */
export function withFastPath<TSchema extends FastifySchema>(
  isPlain: (body: unknown) => boolean,
): FastifySchemaCompiler<TSchema> {
  return (route) => {
    // The route's body is a zod schema; fastify types it as the route's whole schema object.
    const validate = validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0]);
    if (route.httpPart !== 'body') return validate;
    return (data) => (isPlain(data) ? { value: data } : validate(data));
  };
}

import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { createErrorHandler } from './error-handler.js';
import type { ZodApp } from './zod-app.js';

/**
 * One domain of the server, as its front door builds it: the plugin that serves its routes in its
 * error shape, and how its background work stops.
 */
export type Domain = {
  readonly plugin: FastifyPluginAsync;
  /** Called when the app closes, domains in the reverse of their order, so a domain outlives its users. */
  stop(): Promise<void>;
};

/** A plugin whose routes are typed by their zod schemas and whose errors `errorHandler` answers. */
export function routesOf(
  errorHandler: ReturnType<typeof createErrorHandler>,
  register: (app: ZodApp) => void | Promise<void>,
): FastifyPluginAsync {
  return async (fastify: FastifyInstance) => {
    fastify.setErrorHandler(errorHandler);
    await register(fastify.withTypeProvider<ZodTypeProvider>());
  };
}

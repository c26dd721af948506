import { nestsDeeperThan } from '@switchyard/shared';
import type { FastifyInstance } from 'fastify';
import { badRequest } from './http-error.js';

/**
 * The deepest JSON any request may nest. JSON.parse takes any depth, but JSON.stringify (sending a
 * request upstream, measuring an ingest event) and recursive code overflow the stack a few thousand
 * levels down, which would be a 500; no real prompt, tool schema or event comes near this.
 */
export const MAX_REQUEST_DEPTH = 512;

/** Refuses, before validation, a parsed JSON body nested deeper than MAX_REQUEST_DEPTH. */
export function registerJsonDepthGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const { body } = request;
    // Bytes (OTLP protobuf) are not JSON: walking them would visit every byte.
    if (body === null || typeof body !== 'object' || ArrayBuffer.isView(body)) return;
    if (nestsDeeperThan(body, MAX_REQUEST_DEPTH))
      throw badRequest(`The JSON body is nested deeper than ${MAX_REQUEST_DEPTH} levels`);
  });
}

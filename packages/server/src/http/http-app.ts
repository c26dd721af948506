import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import { createErrorHandler } from './error-handler.js';
import { registerJsonDepthGuard } from './json-depth-guard.js';
import { registerSecurityHeaders } from './security-headers.js';

export type HttpAppOptions = {
  config: Pick<Config, 'logLevel' | 'bodyLimitBytes' | 'requestTimeoutMs' | 'trustProxy' | 'publicUrl' | 'corsOrigins'>;
  /** Where JSON log lines go (tests capture them); stdout by default. */
  logStream?: NodeJS.WritableStream;
};

const REQUEST_ID_HEADER = 'x-switchyard-request-id';
const CLIENT_REQUEST_ID = /^[\w.:-]{1,64}$/;

// Never log what authenticates someone, wherever a serializer might put it.
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers.cookie',
  '*.password',
  '*.secret',
  '*.apiKey',
];

/**
 * The HTTP server every domain is registered on, with what applies to all of them: logging with a
 * request id, body and time limits, zod validation, security headers, CORS, cookies, and draining.
 */
export async function createHttpApp(options: HttpAppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    bodyLimit: config.bodyLimitBytes,
    // A request must arrive whole within this time: a client trickling its body cannot hold a socket.
    requestTimeout: config.requestTimeoutMs,
    http: {
      headersTimeout: config.requestTimeoutMs,
      // How often Node looks for requests past their time (its default, 30 s, would double the bound).
      connectionsCheckingInterval: Math.min(5_000, config.requestTimeoutMs),
    },
    trustProxy: config.trustProxy,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    requestIdHeader: false,
    genReqId: (request) => {
      const fromClient = request.headers[REQUEST_ID_HEADER];
      return typeof fromClient === 'string' && CLIENT_REQUEST_ID.test(fromClient) ? fromClient : randomUUID();
    },
    forceCloseConnections: 'idle',
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Domains set their own; this one answers what happens outside them.
  app.setErrorHandler(createErrorHandler('api'));
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  // While shutting down, answer in-flight requests with `Connection: close`: a keep-alive socket that
  // goes idle after close() began would otherwise hold the process open until its timeout.
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (draining) reply.header('connection', 'close');
  });
  await app.register(fastifyCookie);
  registerSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        'img-src': ["'self'", 'data:'],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        // Self-hosted servers are often reached over plain http on a LAN address; upgrading their own
        // assets to https there would break the dashboard.
        upgradeInsecureRequests: config.publicUrl?.startsWith('https://') ? [] : null,
      },
    },
  });
  await app.register(fastifyCors, {
    origin: config.corsOrigins.length ? config.corsOrigins : false,
    credentials: true,
    exposedHeaders: [REQUEST_ID_HEADER, 'x-switchyard-provider', 'x-switchyard-cache', 'x-switchyard-attempts'],
  });
  registerJsonDepthGuard(app);
  return app;
}

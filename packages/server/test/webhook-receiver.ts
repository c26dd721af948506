import { createServer } from 'node:http';
import { listenOnLoopback } from '@switchyard/testing';
import type { AlertWebhookBody } from '../src/ops/alerts/alert-message.js';

/**
 * A real HTTP server on loopback that takes webhook POSTs, as Slack would, and keeps every body.
 * A path starting `/status-<code>` answers that status (with a Slack-like reason); any other, 200.
 */
export type WebhookReceiver = {
  origin: string;
  received: Array<{ path: string; contentType: string | undefined; body: WebhookBody }>;
  /** The bodies posted under one path. */
  bodiesAt(path: string): WebhookBody[];
  close(): Promise<void>;
};

/** What the server posts: the receiver hands back the body as the alert notifier typed it. */
export type WebhookBody = AlertWebhookBody;

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: WebhookReceiver['received'] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const path = request.url ?? '/';
    received.push({
      path,
      contentType: request.headers['content-type'],
      body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookBody,
    });
    const status = Number(path.match(/^\/status-(\d{3})/)?.[1] ?? 200);
    response.writeHead(status, { 'content-type': 'text/plain' });
    response.end(status === 200 ? 'ok' : 'no_service');
  });
  const listening = await listenOnLoopback(server);
  return {
    origin: listening.origin,
    received,
    bodiesAt: (path) => received.filter((entry) => entry.path === path).map((entry) => entry.body),
    close: listening.close,
  };
}

import { once } from 'node:events';
import { createServer } from 'node:net';

/** A loopback port nobody listens on right now (the kernel picks it; we close it at once). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

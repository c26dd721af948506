// Samples what a Node process allocates (garbage included) through its inspector: the server is
// started with --inspect=HOST:PORT, and this speaks the DevTools protocol to it over a WebSocket.
import { locate } from './cpu-profile.mjs';

/** Connects to the inspector at `inspectorUrl` (http://host:port) and returns `{ start, stop, close }`. */
export async function allocationSampler(inspectorUrl) {
  const [target] = await (await fetch(`${inspectorUrl}/json/list`)).json();
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', reject, { once: true });
  });
  let nextId = 1;
  const pending = new Map();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(event.data);
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.error) waiting.reject(new Error(message.error.message));
    else waiting.resolve(message.result);
  });
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  return {
    start: () =>
      send('HeapProfiler.startSampling', {
        samplingInterval: 16_384,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      }),
    /** Stops sampling; returns the bytes allocated per function (self), largest first. */
    stop: async () => {
      const { profile } = await send('HeapProfiler.stopSampling');
      const bytes = new Map();
      const maps = new Map();
      let total = 0;
      const visit = (node) => {
        const { group, place } = locate(node.callFrame, maps);
        const key = `${node.callFrame.functionName || '(anonymous)'} ${group}${place ? ` ${place}` : ''}`;
        bytes.set(key, (bytes.get(key) ?? 0) + node.selfSize);
        total += node.selfSize;
        for (const child of node.children) visit(child);
      };
      visit(profile.head);
      return { total, byFunction: [...bytes.entries()].sort((a, b) => b[1] - a[1]) };
    },
    close: () => socket.close(),
  };
}

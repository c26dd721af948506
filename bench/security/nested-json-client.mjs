// Sends `--clients` streams of deeply nested JSON to a gateway route without a key, for `--seconds`,
// from its own process (so the prober's timings do not carry this process's work); prints the count.
//   node bench/security/nested-json-client.mjs --url=http://127.0.0.1:9112/v1/chat/completions --clients=4 --seconds=15
const arg = (name, fallback) => process.argv.find((value) => value.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const url = arg('url');
const clients = Number(arg('clients', 4));
const seconds = Number(arg('seconds', 15));
const depth = Number(arg('depth', 600_000));

const body = Buffer.from(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
const end = Date.now() + seconds * 1000;
let sent = 0;
const client = async () => {
  while (Date.now() < end) {
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
      .then((response) => response.arrayBuffer())
      .catch(() => {});
    sent++;
  }
};
await Promise.all(Array.from({ length: clients }, client));
process.stdout.write(`${JSON.stringify({ sent, bytes: body.length })}\n`);

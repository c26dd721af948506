// What the limits let through, measured from outside: budget overshoot under concurrency, requests
// per minute around a minute boundary, and what admission adds to a call.
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, fetch } from 'undici';

const dispatcher = new Agent({ connections: 128, keepAliveTimeout: 30_000 });

async function chat({ url, secret, body }) {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    dispatcher,
  });
  await response.arrayBuffer();
  return response.status;
}

/**
 * Spends a key's budget from `concurrency` clients at once, spread over the replicas: each client
 * calls until it is refused; rounds repeat until one admits nothing. Returns the counts, and the
 * spend the database recorded once every call is written.
 */
export async function overshoot({ urls, db, secret, keyId, concurrency, body }) {
  let admitted = 0;
  let refused = 0;
  let call = 0;
  for (let round = 0; round < 20; round++) {
    const before = admitted;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (;;) {
          const status = await chat({ url: urls[call++ % urls.length], secret, body });
          if (status !== 200) {
            if (status !== 402) throw new Error(`unexpected status ${status}`);
            refused += 1;
            return;
          }
          admitted += 1;
        }
      }),
    );
    if (admitted === before) break;
  }
  // Every call is recorded, refusals too; the batch writers flush within a second or two.
  for (let wait = 0; wait < 100; wait++) {
    const { rows } = await db.query(
      `select count(*)::int as calls, count(*) filter (where status = 'success')::int as ok,
              coalesce(sum(cost_usd), 0)::float8 as spend
       from observations where api_key_id = $1`,
      [keyId],
    );
    if (rows[0].calls >= admitted + refused) return { admitted, refused, spendUsd: rows[0].spend };
    await sleep(200);
  }
  throw new Error('the calls were not all recorded');
}

/**
 * Sends `perSide` requests at once at :59.5 and `perSide` more at :00.0 (the second burst leaves on
 * time, whether or not the first has been answered); returns how many of each passed.
 */
export async function minuteBoundary({ urls, secret, perSide }) {
  const nextAt = (second) => {
    const now = Date.now();
    const due = now - (now % 60_000) + second * 1_000;
    // At least two seconds ahead, so that both bursts are scheduled before either leaves.
    return due - now > 2_000 ? due : due + 60_000;
  };
  const first = nextAt(59.5);
  const burstAt = async (at) => {
    await sleep(at - Date.now());
    return Promise.all(
      Array.from({ length: perSide }, (_, index) =>
        chat({
          url: urls[index % urls.length],
          secret,
          body: { model: 'mock/echo', messages: [{ role: 'user', content: 'Hi' }] },
        }),
      ),
    );
  };
  const [before, after] = await Promise.all([burstAt(first), burstAt(first + 500)]);
  const passed = (statuses) => statuses.filter((status) => status === 200).length;
  return { before: passed(before), after: passed(after) };
}

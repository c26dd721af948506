import { type LookupAddress, type LookupAllOptions, type LookupOneOptions, lookup } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { badRequest } from './http-error.js';

/**
 * URLs an org admin types (a provider's base URL, an alert's webhook) are fetched by the server, from
 * inside its network. Unless the operator sets ALLOW_PRIVATE_URLS=true, such URLs may not reach
 * loopback, private, link-local (cloud metadata) or other non-public addresses: checked when a URL is
 * saved, and again at every connection, after DNS, so a name that later resolves inside is refused too.
 */
export const ALLOW_PRIVATE_URLS_HINT = 'the server operator can allow such addresses with ALLOW_PRIVATE_URLS=true';

const nonPublic = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  nonPublic.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 127],
  ['64:ff9b:1::', 48],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  nonPublic.addSubnet(network, prefix, 'ipv6');
}

const MAPPED_DOTTED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;
const MAPPED_HEX = /^::ffff:([\da-f]{1,4}):([\da-f]{1,4})$/i;

/** The IPv4 address inside an IPv4-mapped IPv6 one (`::ffff:127.0.0.1`, or `::ffff:7f00:1` as URLs write it). */
function mappedIpv4(address: string): string | undefined {
  const dotted = MAPPED_DOTTED.exec(address)?.[1];
  if (dotted) return dotted;
  const hex = MAPPED_HEX.exec(address);
  if (!hex) return undefined;
  const high = Number.parseInt(hex[1] ?? '0', 16);
  const low = Number.parseInt(hex[2] ?? '0', 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** True for an IP address a tenant's URL may not reach (loopback, private, link-local, multicast, …). */
export function isNonPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const mapped = mappedIpv4(bare);
  if (mapped) return nonPublic.check(mapped, 'ipv4');
  const family = isIP(bare);
  if (family === 0) return false;
  return nonPublic.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Why `url` may not be saved, or undefined when it may. Only what the URL itself says is judged here
 * (an IP literal, `localhost`); names are judged when they resolve.
 */
export function nonPublicUrlReason(url: string): string | undefined {
  let hostname: string;
  try {
    hostname = new URL(url).hostname.toLowerCase();
  } catch {
    return undefined; // the schema names a malformed URL
  }
  hostname = hostname.replace(/\.$/, '');
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    return `points at ${hostname}, this server itself; ${ALLOW_PRIVATE_URLS_HINT}`;
  }
  if (isNonPublicAddress(hostname)) {
    return `points at ${hostname}, a private or local network address; ${ALLOW_PRIVATE_URLS_HINT}`;
  }
  return undefined;
}

/** A 400 naming `field` when `url` is set, private addresses are not allowed, and it points at one. */
export function refuseNonPublicUrl(url: string | null | undefined, field: string, allowPrivateUrls: boolean): void {
  if (!url || allowPrivateUrls) return;
  const reason = nonPublicUrlReason(url);
  if (reason) throw badRequest(`body.${field}: ${reason}`, field);
}

export class NonPublicAddressError extends Error {
  readonly code = 'ENONPUBLIC';
  constructor(hostname: string, address: string) {
    super(
      `refused to connect to ${hostname}: it resolves to ${address}, a private or local address; ${ALLOW_PRIVATE_URLS_HINT}`,
    );
    this.name = 'NonPublicAddressError';
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup, failing when any address the name resolves to is not public. */
function publicOnlyLookup(hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback) {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const refused = addresses.find((entry) => isNonPublicAddress(entry.address));
    if (refused) return callback(new NonPublicAddressError(hostname, refused.address), []);
    if ((options as LookupAllOptions).all) return callback(null, addresses);
    const [first] = addresses;
    if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
}

/**
 * An undici Agent (same options as `new Agent`) whose connections can only reach public addresses:
 * IP literals are checked before connecting, names after DNS.
 */
export function createPublicOnlyAgent(options: Agent.Options): Agent {
  // HTTP/1.1 unless asked (undici 8's connector offers HTTP/2 by default), as the Agent's own connector.
  const connect = buildConnector({ lookup: publicOnlyLookup as never, allowH2: options.allowH2 ?? false });
  return new Agent({
    ...options,
    connect: (connectOptions, callback) => {
      // A name is not an address here (false): its addresses are judged by the lookup.
      if (isNonPublicAddress(connectOptions.hostname)) {
        callback(new NonPublicAddressError(connectOptions.hostname, connectOptions.hostname), null);
        return;
      }
      connect(connectOptions, callback);
    },
  });
}

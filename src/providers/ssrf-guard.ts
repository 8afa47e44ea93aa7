// The SSRF guard: a tenant types a base URL or an Azure endpoint, and Mosaic's server calls it. Unless the
// operator allows private upstreams, only https to public addresses is called. The address is checked when
// the connection is made (a lookup inside the connector), so a DNS answer that changes between validation
// and the call (DNS rebinding) cannot reach loopback, the cloud metadata service or the private network.
import dns from 'node:dns';
import net from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch, type Dispatcher } from 'undici';
import { ProviderError } from './provider-error.ts';

export interface GuardOptions {
  /** MOSAIC_ALLOW_PRIVATE_UPSTREAMS=1: http: and loopback/private addresses are allowed. */
  allowPrivate: boolean;
}

export interface GuardedFetchOptions extends GuardOptions {
  /** Time allowed to open the TCP (and TLS) connection. */
  connectTimeoutMs?: number;
  /** The resolver (tests inject one to play a DNS-rebinding answer); defaults to the system's. */
  resolve?: (hostname: string) => Promise<dns.LookupAddress[]>;
}

const systemResolve = (hostname: string): Promise<dns.LookupAddress[]> => dns.promises.lookup(hostname, { all: true });

const NOT_PUBLIC = new net.BlockList();
for (const [net4, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC.addSubnet(net4, prefix, 'ipv4');
}
for (const [net6, prefix] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001:db8::', 32],
  ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) {
  NOT_PUBLIC.addSubnet(net6, prefix, 'ipv6');
}

/** True for an address on the public internet; IPv4-mapped IPv6 (::ffff:127.0.0.1) is judged as IPv4. */
export function isPublicAddress(address: string): boolean {
  const ip = stripBrackets(address);
  const family = net.isIP(ip);
  if (family === 0) return false;
  return !NOT_PUBLIC.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function isLocalhostName(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost');
}

function notAllowed(host: string, why: string): ProviderError {
  return new ProviderError({ code: 'upstream_not_allowed', message: `Mosaic does not call ${host}: ${why}.` });
}

/** Scheme and credentials: what any URL must pass, at save time and at call time. */
function checkUrlShape(url: string | URL, options: GuardOptions): URL {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    throw new ProviderError({ code: 'bad_endpoint', message: 'The address is not a valid URL.', hint: 'Enter a full URL that starts with https://.' });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ProviderError({ code: 'bad_endpoint', message: `The address uses ${parsed.protocol}, not https:.`, hint: 'Enter a full URL that starts with https://.' });
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new ProviderError({
      code: 'bad_endpoint',
      message: 'The address contains a user name or password.',
      hint: 'Remove the credentials from the URL: the API key field is the place for the key.',
    });
  }
  if (!options.allowPrivate && parsed.protocol === 'http:') throw notAllowed(parsed.host, 'plain http: is not allowed, only https:');
  return parsed;
}

/** Save-time validation of a base URL or endpoint; throws ProviderError, returns the parsed URL. */
export function assertUrlAllowed(url: string | URL, options: GuardOptions): URL {
  const parsed = checkUrlShape(url, options);
  if (options.allowPrivate) return parsed;
  const host = stripBrackets(parsed.hostname);
  if (isLocalhostName(host)) throw notAllowed(parsed.host, 'it is a loopback name');
  if (net.isIP(host) !== 0 && !isPublicAddress(host)) {
    throw notAllowed(parsed.host, 'it is a loopback, private, link-local or reserved address');
  }
  return parsed;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** A net.connect lookup that refuses any answer holding a non-public address (all answers must pass). */
function createGuardedLookup(resolve: (hostname: string) => Promise<dns.LookupAddress[]>) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    resolve(hostname).then(
      (all) => {
        const addresses = all.filter((a) => options.family === undefined || options.family === 0 || a.family === options.family);
        const bad = addresses.find((a) => !isPublicAddress(a.address));
        if (bad !== undefined) {
          const reason = `it resolves to ${bad.address}, a loopback, private, link-local or reserved address`;
          return callback(notAllowed(hostname, reason) as unknown as NodeJS.ErrnoException, []);
        }
        const first = addresses[0];
        if (first === undefined) return callback(Object.assign(new Error(`No address for ${hostname}.`), { code: 'ENOTFOUND' }), []);
        if (options.all) return callback(null, addresses);
        callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, []),
    );
  };
}

/**
 * One request through the guard on undici's lowest level: the handler gets the status, headers and each
 * body chunk as callbacks (no WHATWG Request/Response, no Readable, no promise per chunk), and the body is
 * written in one go. Throws ProviderError at once for a URL the guard refuses by its shape.
 */
export type GuardedDispatch = (
  url: string,
  options: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
  handler: Dispatcher.DispatchHandler,
) => void;

/** The guard's two ways out, sharing one connection pool: fetch (the AI SDK, webhooks) and dispatch (wire-client.ts). */
export interface GuardedUpstream {
  fetch: typeof fetch;
  dispatch: GuardedDispatch;
}

/** Refuses non-public upstreams (unless allowPrivate) at connection time; redirects are never followed. */
export function createGuardedUpstream(options: GuardedFetchOptions): GuardedUpstream {
  const base = buildConnector({
    timeout: options.connectTimeoutMs ?? 10_000,
    ...(options.allowPrivate ? {} : { lookup: createGuardedLookup(options.resolve ?? systemResolve) as unknown as net.LookupFunction }),
  });
  const connect: buildConnector.connector = (connectOptions, callback) => {
    const host = stripBrackets(connectOptions.hostname);
    if (!options.allowPrivate && net.isIP(host) !== 0 && !isPublicAddress(host)) {
      callback(notAllowed(connectOptions.hostname, 'it is a loopback, private, link-local or reserved address'), null);
      return;
    }
    base(connectOptions, callback);
  };
  const dispatcher = new Agent({ connect });
  const guarded = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : input;
    // Names are judged by the connector's lookup, at connection time; literal addresses by the connector too.
    checkUrlShape(String(url), options);
    // Provider APIs do not redirect; following one could lead past the scheme check.
    try {
      const response = await undiciFetch(url as string, {
        ...(init as object),
        redirect: 'manual',
        dispatcher,
      } as Parameters<typeof undiciFetch>[1]);
      return response as unknown as Response;
    } catch (error) {
      // fetch wraps the connector's refusal in TypeError('fetch failed'); callers get the refusal itself.
      const refusal = (error as { cause?: unknown })?.cause;
      throw refusal instanceof ProviderError ? refusal : error;
    }
  };
  // dispatch() never follows redirects (that is an interceptor's job, and none is installed).
  const dispatch: GuardedDispatch = (url, init, handler) => {
    const parsed = checkUrlShape(url, options);
    dispatcher.dispatch({ origin: parsed.origin, path: parsed.pathname + parsed.search, ...init }, handler);
  };
  return { fetch: guarded as typeof fetch, dispatch };
}

/** The guard's fetch alone. */
export function createGuardedFetch(options: GuardedFetchOptions): typeof fetch {
  return createGuardedUpstream(options).fetch;
}

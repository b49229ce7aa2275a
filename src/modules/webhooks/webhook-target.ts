import { isIPv4, isIPv6 } from 'node:net';

/**
 * Which addresses a webhook may never be sent to (SPEC §5, §5.1). Private and loopback targets are
 * allowed on purpose — receivers sit on government intranets — but link-local addresses and the cloud
 * metadata services are not: a webhook pointed there would POST from inside the service's own network
 * to the one endpoint that hands out its credentials. Pure: no DNS, no sockets.
 *
 * Checked twice: on the URL when a webhook is created or changed (an address written in any of the
 * forms a URL parser accepts: `0xa9fea9fe`, `2852039166`, `0251.0376.0251.0376`, `[::ffff:a9fe:a9fe]`
 * — the WHATWG parser turns them all into the canonical address this sees), and on every address a
 * host name resolves to at delivery (see target-lookup), so a name pointing there is not called either.
 */

type Rule = { v4?: [number, number]; v6?: [bigint, number]; why: string };

const LINK_LOCAL = 'a link-local address';
const METADATA = 'a cloud metadata address';
const UNSPECIFIED = 'the unspecified address';

const v4 = (address: string, bits: number, why: string): Rule => ({
  v4: [ipv4ToNumber(address)!, bits],
  why,
});
const v6 = (address: string, bits: number, why: string): Rule => ({
  v6: [ipv6ToBigInt(address)!, bits],
  why,
});

const RULES: Rule[] = [
  v4('0.0.0.0', 8, UNSPECIFIED), // "this network": 0.0.0.0 reaches the local host
  v4('169.254.0.0', 16, LINK_LOCAL), // 169.254.169.254 is the metadata service of most clouds
  v4('100.100.100.200', 32, METADATA), // Alibaba Cloud's metadata service
  v6('::', 128, UNSPECIFIED),
  v6('fe80::', 10, LINK_LOCAL),
  v6('fd00:ec2::254', 128, METADATA), // AWS's metadata service over IPv6
];

/** An IPv6 address that carries an IPv4 one in its last 32 bits, by the prefix that says so. */
const EMBEDDING: [bigint, number][] = [
  [ipv6ToBigInt('::ffff:0:0')!, 96], // IPv4-mapped
  [ipv6ToBigInt('::')!, 96], // IPv4-compatible (deprecated; ::1 and :: are matched first)
  [ipv6ToBigInt('64:ff9b::')!, 96], // NAT64
];

function ipv4ToNumber(address: string): number | null {
  if (!isIPv4(address)) return null;
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function ipv6ToBigInt(address: string): bigint | null {
  if (!isIPv6(address)) return null;
  let text = address.toLowerCase();
  // a dotted IPv4 tail (::ffff:169.254.169.254) is two groups
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = ipv4ToNumber(dotted[1])!;
    text = text.slice(0, -dotted[1].length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
}

const inV4 = (n: number, [base, bits]: [number, number]) =>
  bits === 0 || n >>> (32 - bits) === base >>> (32 - bits);
const inV6 = (n: bigint, [base, bits]: [bigint, number]) =>
  n >> BigInt(128 - bits) === base >> BigInt(128 - bits);

/** Why an IP address (canonical text, no brackets) may not be a webhook target, or null. */
export function forbiddenAddress(address: string): string | null {
  const four = ipv4ToNumber(address);
  if (four !== null) return RULES.find((r) => r.v4 && inV4(four, r.v4))?.why ?? null;
  const six = ipv6ToBigInt(address);
  if (six === null) return null;
  const direct = RULES.find((r) => r.v6 && inV6(six, r.v6));
  if (direct) return direct.why;
  if (six === 1n) return null; // ::1, loopback
  if (EMBEDDING.some((e) => inV6(six, e))) {
    const n = Number(six & 0xffffffffn);
    return forbiddenAddress([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.'));
  }
  return null;
}

/**
 * Why a URL's host (as `new URL()` gives it: IPv6 in brackets) may not be a webhook target, or null.
 * A name is not resolved here (intranet names need not resolve where the API runs): delivery checks
 * every address it resolves to.
 */
export function forbiddenHost(hostname: string): string | null {
  const address = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return forbiddenAddress(address);
}

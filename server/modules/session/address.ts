import { isIPv4, isIPv6 } from 'node:net';

/**
 * The address sign-in failures are counted by (the per-address throttle): an IPv4 address as it
 * is; an IPv6 address by its /64, the block one subscriber or host is given, which they can
 * otherwise walk through one address per guess. An IPv4 address written as IPv6 (`::ffff:a.b.c.d`,
 * what a dual-stack socket reports) is that IPv4 address. Null for anything else.
 */
export function throttleAddress(ip: string | null | undefined): string | null {
  if (!ip) return null;
  const bare = ip.replace(/%.*$/, ''); // a zone index (fe80::1%eth0) names the interface, not the host
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return null;
  const groups = expand(bare);
  const mapped = /^(?:0+:){5}ffff:/i.test(groups.join(':'));
  if (mapped) {
    const [hi, lo] = [Number.parseInt(groups[6]!, 16), Number.parseInt(groups[7]!, 16)];
    return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
  }
  return `${groups.slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, lower-case hex without leading zeros. */
function expand(ip: string): string[] {
  let text = ip.toLowerCase();
  // A trailing dotted quad (::ffff:1.2.3.4) is two groups.
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((group) => Number.parseInt(group, 16).toString(16));
}

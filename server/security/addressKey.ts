import ipaddr from 'ipaddr.js';

/**
 * The key every per-address limit counts under. An IPv4 address is itself (an IPv4-mapped IPv6
 * address such as `::ffff:203.0.113.9` is the IPv4 address it maps); an IPv6 address counts on
 * its /64, because one subscriber is routinely given a whole /64 and could otherwise take a new
 * address for every try. Anything that does not parse is counted as given, so it still counts.
 */
export function addressKey(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((p) => p.toString(16)).join(':')}::/64`;
}

// IpAddress / NotIpAddress: policy CIDRs are compiled into numeric ranges once (IPv4 as uint32
// numbers, IPv6 as bigints); a request address is parsed by hand, without allocation for IPv4.
// AWS: "If you specify an IP address without the associated routing prefix, IAM uses the default
// prefix value of /32" (reference_policies_elements_condition_operators.html#Conditions_IPAddress).
//
// IPv4 and IPv6 are separate spaces, except that an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is
// the IPv4 address it carries: a dual-stack listener reports IPv4 clients that way.

export interface IpRanges {
  v4: { lo: number; hi: number }[];
  v6: { lo: bigint; hi: bigint }[];
}

const MAPPED_PREFIX = 0xffffn << 32n; // ::ffff:0:0/96
const V6_ALL = (1n << 128n) - 1n;

/** A policy value as a range, or undefined when it is not an address or CIDR (it matches nothing). */
export function parseCidr(value: string): IpRanges | undefined {
  const slash = value.indexOf('/');
  const end = slash < 0 ? value.length : slash;
  const v4 = parseIPv4(value, 0, end);
  let bits: number | undefined;
  if (v4 >= 0) {
    bits = slash < 0 ? 32 : parsePrefix(value, slash + 1, 32);
    if (bits === undefined) return undefined;
    return { v4: [v4Range(v4, bits)], v6: [] };
  }
  const v6 = parseIPv6(value, 0, end);
  if (v6 === undefined) return undefined;
  bits = slash < 0 ? 128 : parsePrefix(value, slash + 1, 128);
  if (bits === undefined) return undefined;
  const hostMask = bits === 128 ? 0n : V6_ALL >> BigInt(bits);
  const lo = v6 & ~hostMask & V6_ALL;
  const hi = lo | hostMask;
  // a range written in mapped form (::ffff:10.0.0.0/104) is an IPv4 range
  if (bits >= 96 && lo >> 32n === 0xffffn) return { v4: [v4Range(Number(lo & 0xffffffffn), bits - 96)], v6: [] };
  return { v4: [], v6: [{ lo, hi }] };
}

function v4Range(address: number, bits: number): { lo: number; hi: number } {
  // JavaScript shifts count mod 32, so /0 and /32 are spelled out
  const hostMask = bits === 0 ? 0xffffffff : bits === 32 ? 0 : 0xffffffff >>> bits;
  const lo = (address & ~hostMask) >>> 0;
  return { lo, hi: (lo | hostMask) >>> 0 };
}

function parsePrefix(s: string, start: number, max: number): number | undefined {
  if (start >= s.length || s.length - start > 3) return undefined;
  let n = 0;
  for (let i = start; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  return n <= max ? n : undefined;
}

/** Is the request address in any of the ranges? Not an address → false. */
export function ipInRanges(ranges: IpRanges, address: string): boolean {
  let v4 = parseIPv4(address, 0, address.length);
  if (v4 < 0) {
    const v6 = parseIPv6(address, 0, address.length);
    if (v6 === undefined) return false;
    if (v6 >> 32n === 0xffffn) {
      v4 = Number(v6 & 0xffffffffn);
    } else {
      for (const r of ranges.v6) if (v6 >= r.lo && v6 <= r.hi) return true;
      return false;
    }
  }
  for (const r of ranges.v4) if (v4 >= r.lo && v4 <= r.hi) return true;
  return false;
}

/** Dotted-quad IPv4 in s[start, end) as an unsigned number, or -1. */
export function parseIPv4(s: string, start: number, end: number): number {
  let result = 0;
  let octets = 0;
  let i = start;
  while (octets < 4) {
    let value = 0;
    let digits = 0;
    while (i < end) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      value = value * 10 + d;
      digits++;
      i++;
    }
    if (digits === 0 || digits > 3 || value > 255) return -1;
    result = result * 256 + value;
    octets++;
    if (octets < 4) {
      if (i >= end || s.charCodeAt(i) !== 46 /* . */) return -1;
      i++;
    }
  }
  return i === end ? result : -1;
}

/** IPv6 (with `::` and an optional dotted IPv4 tail) in s[start, end) as a bigint, or undefined. */
export function parseIPv6(s: string, start: number, end: number): bigint | undefined {
  const groups: number[] = [];
  let gap = -1; // index in groups where `::` stands
  let i = start;
  if (s.startsWith('::', i)) {
    gap = 0;
    i += 2;
    if (i === end) return 0n;
  }
  while (i < end) {
    // an IPv4 tail takes the last two groups
    const dot = s.indexOf('.', i);
    const colon = s.indexOf(':', i);
    if (dot >= 0 && dot < end && (colon < 0 || colon >= end || dot < colon)) {
      const v4 = parseIPv4(s, i, end);
      if (v4 < 0) return undefined;
      groups.push(v4 >>> 16, v4 & 0xffff);
      i = end;
      break;
    }
    let value = 0;
    let digits = 0;
    while (i < end && digits <= 4) {
      const h = hexValue(s.charCodeAt(i));
      if (h < 0) break;
      value = value * 16 + h;
      digits++;
      i++;
    }
    if (digits === 0 || digits > 4) return undefined;
    groups.push(value);
    if (i === end) break;
    if (s.charCodeAt(i) !== 58 /* : */) return undefined;
    i++;
    if (i < end && s.charCodeAt(i) === 58) {
      if (gap >= 0) return undefined;
      gap = groups.length;
      i++;
      if (i === end) break;
    } else if (i === end) {
      return undefined; // trailing single colon
    }
  }
  if (gap < 0 ? groups.length !== 8 : groups.length > 7) return undefined;
  let result = 0n;
  const missing = 8 - groups.length;
  for (let g = 0; g < groups.length; g++) {
    if (g === gap) result <<= BigInt(16 * missing);
    result = (result << 16n) | BigInt(groups[g]);
  }
  if (gap === groups.length) result <<= BigInt(16 * missing);
  return result;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

// A request's source address: the socket's, or, when the socket is a trusted proxy's, the client
// that proxy names in X-Forwarded-For. The header is read from the right (each proxy appends the
// address it received from), skipping trusted proxies: anything left of the first untrusted hop
// was written by the client itself and proves nothing. Without trusted proxies (the default) the
// header is never read.
import { ipInRanges, parseCidr, type IpRanges } from '../policy/condition-ip.ts';

/** Hops read from the right of X-Forwarded-For at most. */
const MAX_HOPS = 16;

export class SourceAddresses {
  readonly #trusted: IpRanges | undefined;

  /** `trusted`: addresses and CIDRs of the proxies in front of Gatehouse. */
  constructor(trusted: readonly string[]) {
    if (trusted.length === 0) return;
    const ranges: IpRanges = { v4: [], v6: [] };
    for (const spec of trusted) {
      const r = parseCidr(spec.trim());
      if (r === undefined) throw new Error(`not an IP address or CIDR: ${spec}`);
      ranges.v4.push(...r.v4);
      ranges.v6.push(...r.v6);
    }
    this.#trusted = ranges;
  }

  of(socketAddress: string | undefined, forwardedFor: string | string[] | undefined): string {
    const socket = plain(socketAddress ?? '0.0.0.0');
    const trusted = this.#trusted;
    if (trusted === undefined || forwardedFor === undefined || !ipInRanges(trusted, socket)) return socket;
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
    let client = socket;
    for (let i = hops.length - 1, n = 0; i >= 0 && n < MAX_HOPS; i--, n++) {
      const hop = plain(hops[i]!.trim());
      if (parseCidr(hop) === undefined || hop.includes('/')) break; // not an address: stop at what is known
      client = hop;
      if (!ipInRanges(trusted, hop)) break;
    }
    return client;
  }
}

/** IPv4-mapped IPv6 addresses written as IPv4, as AWS reports them. */
function plain(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

// Failed sign-ins, counted per (identity, source address) and per source address, so that an
// attacker can slow and lock only themselves, never the identity they attack:
// - after `slowdownThreshold` failures of one identity from one source, that source must wait
//   before its next attempt for that identity (the wait doubles with each further failure);
// - after `lockoutThreshold` failures of the pair, the source's attempts for that identity are
//   refused without checking a password until `lockoutSeconds` after the last one: at most that
//   many passwords are tried per identity and source in that period;
// - a source that fails `sourceLockoutThreshold` times, over any identities (spraying), is
//   refused for every identity;
// - the same identity from a source that has not failed signs in as usual, during an attack.
// Identities are counted by the name tried, whether or not it exists, so a refusal tells nothing
// about which names are real. A failure is forgotten `lockoutSeconds` after the pair's (or the
// source's) last one. Counts live in this node's memory, bounded. An identity attacked from many
// sources is the alert engine's to see (the brute-force rule over ConsoleLogin events).
import type { Clock } from '../model/clock.ts';
import type { SigninConfig } from './signin-config.ts';

interface Failures {
  count: number;
  /** ms of the last failure */
  last: number;
}

export interface Blocked {
  code: 'SignInThrottled' | 'SignInLocked';
  retryAfterSeconds: number;
}

/** At most this many pairs and addresses are remembered; the least recently failed go first. */
const MAX_RECORDS = 100_000;

export class SigninGuard {
  /** "source\0identity" → failures */
  readonly #pairs = new Map<string, Failures>();
  readonly #sources = new Map<string, Failures>();

  constructor(
    private readonly config: Pick<SigninConfig, 'slowdownThreshold' | 'slowdownSeconds' | 'lockoutThreshold' | 'sourceLockoutThreshold' | 'lockoutSeconds'>,
    private readonly clock: Clock,
  ) {}

  /** Whether an attempt for `identity` from `source` may go ahead now; if not, why and for how long. */
  check(identity: string, source: string): Blocked | undefined {
    const now = this.clock.now().getTime();
    const lockMs = this.config.lockoutSeconds * 1000;
    const src = this.#current(this.#sources, source, now);
    if (src !== undefined && src.count >= this.config.sourceLockoutThreshold) {
      return { code: 'SignInLocked', retryAfterSeconds: seconds(src.last + lockMs - now) };
    }
    const pair = this.#current(this.#pairs, pairKey(identity, source), now);
    if (pair === undefined) return undefined;
    if (pair.count >= this.config.lockoutThreshold) return { code: 'SignInLocked', retryAfterSeconds: seconds(pair.last + lockMs - now) };
    if (pair.count >= this.config.slowdownThreshold) {
      const waitMs = Math.min(lockMs, this.config.slowdownSeconds * 1000 * 2 ** (pair.count - this.config.slowdownThreshold));
      if (now < pair.last + waitMs) return { code: 'SignInThrottled', retryAfterSeconds: seconds(pair.last + waitMs - now) };
    }
    return undefined;
  }

  fail(identity: string, source: string): void {
    const now = this.clock.now().getTime();
    this.#bump(this.#pairs, pairKey(identity, source), now);
    this.#bump(this.#sources, source, now);
  }

  /**
   * A successful sign-in clears the pair's count (not the address's: one good account must not
   * hide spraying from that address).
   */
  succeed(identity: string, source: string): void {
    this.#pairs.delete(pairKey(identity, source));
  }

  /** Forgets every count (test mode's reset). */
  clear(): void {
    this.#pairs.clear();
    this.#sources.clear();
  }

  /** The pair's remembered failures (for tests and diagnostics). */
  failures(identity: string, source: string): number {
    return this.#current(this.#pairs, pairKey(identity, source), this.clock.now().getTime())?.count ?? 0;
  }

  #current(map: Map<string, Failures>, key: string, now: number): Failures | undefined {
    const r = map.get(key);
    if (r === undefined) return undefined;
    if (now - r.last >= this.config.lockoutSeconds * 1000) {
      map.delete(key);
      return undefined;
    }
    return r;
  }

  #bump(map: Map<string, Failures>, key: string, now: number): void {
    const count = (this.#current(map, key, now)?.count ?? 0) + 1;
    map.delete(key); // re-inserted last: Map order is least recently failed first
    map.set(key, { count, last: now });
    if (map.size > MAX_RECORDS) map.delete(map.keys().next().value!);
  }
}

function pairKey(identity: string, source: string): string {
  return `${source}\u0000${identity}`;
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

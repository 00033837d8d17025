// Failed sign-ins, counted per identity and per source address. After `slowdownThreshold`
// failures an identity must wait before its next attempt (the wait doubles with each further
// failure); after `lockoutThreshold` it is locked out for `lockoutSeconds`; a source address is
// locked out after `sourceLockoutThreshold`. Identities are counted by the name tried, whether or
// not it exists, so a locked-out answer tells nothing about which names are real. A failure is
// forgotten `lockoutSeconds` after the last one. Counts live in this node's memory, bounded.
import type { Clock } from '../model/clock.ts';
import type { SigninConfig } from './signin-config.ts';

interface Record {
  failures: number;
  /** ms of the last failure */
  last: number;
}

export interface Blocked {
  code: 'SignInThrottled' | 'SignInLocked';
  retryAfterSeconds: number;
}

/** At most this many identities and addresses are remembered; the least recently failed go first. */
const MAX_RECORDS = 100_000;

export class SigninGuard {
  readonly #identities = new Map<string, Record>();
  readonly #sources = new Map<string, Record>();

  constructor(
    private readonly config: Pick<SigninConfig, 'slowdownThreshold' | 'slowdownSeconds' | 'lockoutThreshold' | 'sourceLockoutThreshold' | 'lockoutSeconds'>,
    private readonly clock: Clock,
  ) {}

  /** Whether an attempt for `identity` from `source` may go ahead now; if not, why and for how long. */
  check(identity: string, source: string): Blocked | undefined {
    const now = this.clock.now().getTime();
    const lockMs = this.config.lockoutSeconds * 1000;
    const src = this.#current(this.#sources, source, now);
    if (src !== undefined && src.failures >= this.config.sourceLockoutThreshold) {
      return { code: 'SignInLocked', retryAfterSeconds: seconds(src.last + lockMs - now) };
    }
    const id = this.#current(this.#identities, identity, now);
    if (id === undefined) return undefined;
    if (id.failures >= this.config.lockoutThreshold) return { code: 'SignInLocked', retryAfterSeconds: seconds(id.last + lockMs - now) };
    if (id.failures >= this.config.slowdownThreshold) {
      const waitMs = Math.min(lockMs, this.config.slowdownSeconds * 1000 * 2 ** (id.failures - this.config.slowdownThreshold));
      if (now < id.last + waitMs) return { code: 'SignInThrottled', retryAfterSeconds: seconds(id.last + waitMs - now) };
    }
    return undefined;
  }

  fail(identity: string, source: string): void {
    const now = this.clock.now().getTime();
    this.#bump(this.#identities, identity, now);
    this.#bump(this.#sources, source, now);
  }

  /** A successful sign-in clears the identity's count (not the address's: one good account must not hide spraying). */
  succeed(identity: string): void {
    this.#identities.delete(identity);
  }

  /** Forgets every count (test mode's reset). */
  clear(): void {
    this.#identities.clear();
    this.#sources.clear();
  }

  /** The identity's remembered failures (for tests and diagnostics). */
  failures(identity: string): number {
    return this.#current(this.#identities, identity, this.clock.now().getTime())?.failures ?? 0;
  }

  #current(map: Map<string, Record>, key: string, now: number): Record | undefined {
    const r = map.get(key);
    if (r === undefined) return undefined;
    if (now - r.last >= this.config.lockoutSeconds * 1000) {
      map.delete(key);
      return undefined;
    }
    return r;
  }

  #bump(map: Map<string, Record>, key: string, now: number): void {
    const failures = (this.#current(map, key, now)?.failures ?? 0) + 1;
    map.delete(key); // re-inserted last: Map order is least recently failed first
    map.set(key, { failures, last: now });
    if (map.size > MAX_RECORDS) map.delete(map.keys().next().value!);
  }
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

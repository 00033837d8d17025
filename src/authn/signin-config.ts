// What console sign-in (POST /signin) is configured with; server/config.ts reads it from flags and
// the environment.

/** POST /signin: failures are counted per (identity, source address) and per source address (signin-guard.ts). */
export interface SigninConfig {
  /** Failures of one identity from one source after which that source must wait, doubling each time. */
  slowdownThreshold: number;
  /** The first wait, in seconds. */
  slowdownSeconds: number;
  /** Failures of one identity from one source that lock that source out for that identity. */
  lockoutThreshold: number;
  /** Failures from one source address, over any identities, that lock the address out. */
  sourceLockoutThreshold: number;
  /** How long a lockout lasts, and how long a failure is remembered. */
  lockoutSeconds: number;
  /** How long console session credentials last. */
  sessionSeconds: number;
}

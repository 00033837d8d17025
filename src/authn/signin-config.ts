// What console sign-in (POST /signin) is configured with; server/config.ts reads it from flags and
// the environment.

/** POST /signin: failures are counted per identity and per source address. */
export interface SigninConfig {
  /** Failures per identity after which each further attempt must wait, doubling each time. */
  slowdownThreshold: number;
  /** The first wait, in seconds. */
  slowdownSeconds: number;
  /** Failures per identity that lock it out. */
  lockoutThreshold: number;
  /** Failures per source address that lock the address out. */
  sourceLockoutThreshold: number;
  /** How long a lockout lasts, and how long a failure is remembered. */
  lockoutSeconds: number;
  /** How long console session credentials last. */
  sessionSeconds: number;
}

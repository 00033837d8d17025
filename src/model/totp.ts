// Time-based one-time passwords (RFC 6238) as virtual MFA devices use them: HMAC-SHA1, six
// digits, 30-second steps. The arithmetic comes from a maintained library (otpauth); what is ours
// is the policy: which steps a code may come from, and that a step, once used, never counts again.
import { HOTP, Secret } from 'otpauth';
import { BASE32_ALPHABET } from './ids.ts';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps either side of now a code may come from (RFC 6238 §5.2 recommends at most one). */
export const TOTP_WINDOW = 1;
/** AWS's seeds are 64 base32 characters: 40 random bytes. */
export const SEED_BYTES = 40;

/** A new seed, base32 (RFC 4648, no padding), from `random`. */
export function newTotpSeed(random: (n: number) => Uint8Array): string {
  const bytes = random(SEED_BYTES);
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const b of bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** The time step `time` falls in. */
export function totpStep(time: Date): number {
  return Math.floor(time.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code of one time step. */
export function totpCodeAt(seed: string, step: number): string {
  return HOTP.generate({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: TOTP_DIGITS, counter: step });
}

/** The code a device shows at `time` (what an authenticator app computes). */
export function totpCode(seed: string, time: Date): string {
  return totpCodeAt(seed, totpStep(time));
}

export interface TotpCheck {
  /** The device's clock offset in steps, learnt at enable or resync time. */
  driftSteps?: number;
  /** The last step accepted from this device: that step and those before it never count again. */
  lastUsedStep?: number;
  /** Steps either side of now to accept (TOTP_WINDOW unless resynchronizing). */
  window?: number;
}

/**
 * The step `code` belongs to, when it is a code of one of the steps within the window around now
 * (shifted by the device's drift) that is later than the last step used; else undefined.
 */
export function matchTotp(seed: string, code: string, now: Date, check: TotpCheck = {}): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const secret = Secret.fromBase32(seed);
  const centre = totpStep(now) + (check.driftSteps ?? 0);
  const window = check.window ?? TOTP_WINDOW;
  const floor = check.lastUsedStep ?? -Infinity;
  for (let delta = 0; delta <= window; delta++) {
    for (const step of delta === 0 ? [centre] : [centre - delta, centre + delta]) {
      if (step <= floor) continue;
      const expected = HOTP.generate({ secret, algorithm: 'SHA1', digits: TOTP_DIGITS, counter: step });
      if (constantTimeEqual(expected, code)) return step;
    }
  }
  return undefined;
}

/**
 * The first step of two consecutive codes (`code1` then `code2`) within `window` steps of now,
 * later than the last step used; else undefined. Enabling and resynchronizing a device use this.
 */
export function matchConsecutiveTotp(seed: string, code1: string, code2: string, now: Date, check: TotpCheck = {}): number | undefined {
  if (!/^\d{6}$/.test(code1) || !/^\d{6}$/.test(code2)) return undefined;
  const secret = Secret.fromBase32(seed);
  const centre = totpStep(now) + (check.driftSteps ?? 0);
  const window = check.window ?? TOTP_WINDOW;
  const floor = check.lastUsedStep ?? -Infinity;
  // code2 is the later code: both steps lie in [centre - window, centre + window].
  for (let step = centre - window; step + 1 <= centre + window; step++) {
    if (step <= floor) continue;
    const first = HOTP.generate({ secret, algorithm: 'SHA1', digits: TOTP_DIGITS, counter: step });
    if (!constantTimeEqual(first, code1)) continue;
    const second = HOTP.generate({ secret, algorithm: 'SHA1', digits: TOTP_DIGITS, counter: step + 1 });
    if (constantTimeEqual(second, code2)) return step;
  }
  return undefined;
}

/** The key URI authenticator apps read from a QR code (Google Authenticator's otpauth format). */
export function otpauthUri(deviceName: string, accountName: string, seed: string): string {
  return `otpauth://totp/${encodeURIComponent(deviceName)}@${encodeURIComponent(accountName)}?secret=${seed}`;
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

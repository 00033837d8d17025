// `gatehouse mfa code --seed-file FILE [--offset N] [--count N]`: the codes an authenticator app
// would show for a virtual MFA device, for a shell without one (Debian's `oathtool --totp -b`
// does the same). FILE is the Base32 seed that `aws iam create-virtual-mfa-device
// --bootstrap-method Base32StringSeed --outfile FILE` writes.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { totpCodeAt, totpStep } from '../model/totp.ts';
import { UsageError } from './usage-error.ts';

export const MFA_USAGE = `Usage: gatehouse mfa code --seed-file FILE [--offset N] [--count N]

Prints the six-digit TOTP code (RFC 6238, 30-second steps) that an authenticator app shows now
for the virtual MFA device whose Base32 seed is in FILE, as written by
  aws iam create-virtual-mfa-device --bootstrap-method Base32StringSeed --outfile FILE
(Debian's oathtool computes the same: oathtool --totp -b "$(cat FILE)").

Options:
  --seed-file FILE   the device's Base32 seed
  --offset N         start N steps from now: --offset=-1 is the previous code, 1 the next (0)
  --count N          print N consecutive codes, one a line (1); EnableMFADevice and
                     ResyncMFADevice take two: --offset=-1 --count 2
`;

export const MFA_OPTIONS = { 'seed-file': { type: 'string' }, offset: { type: 'string' }, count: { type: 'string' } } as const;

function smallInteger(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got ${raw}`);
  return n;
}

export function runMfa(argv: string[], io: { out: (text: string) => void; now?: () => Date }): void {
  const [sub, ...rest] = argv;
  if (sub !== 'code') throw new UsageError(sub === undefined ? 'mfa needs a command: code' : `unknown mfa command ${sub}: the one there is, is code`);
  const { values } = parseArgs({ args: rest, options: MFA_OPTIONS, strict: true, allowPositionals: false });
  if (values['seed-file'] === undefined) throw new UsageError('mfa code needs --seed-file FILE');
  const seed = readFileSync(values['seed-file'], 'utf8').trim().replace(/=+$/, '').toUpperCase();
  if (!/^[A-Z2-7]{16,}$/.test(seed)) throw new Error(`${values['seed-file']} does not hold a Base32 seed`);
  const offset = smallInteger('offset', values.offset, 0, -10, 10);
  const n = smallInteger('count', values.count, 1, 1, 10);
  const step = totpStep((io.now ?? (() => new Date()))()) + offset;
  for (let i = 0; i < n; i++) io.out(`${totpCodeAt(seed, step + i)}\n`);
}

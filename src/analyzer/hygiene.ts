// The account's credential hygiene, as findings: each names the identity, the rule it breaks, the
// evidence and the fix. The rules follow the CIS AWS Foundations Benchmark's IAM section and AWS's
// IAM best practices: MFA for every console user, active keys rotated within 90 days, credentials
// unused for 45 days disabled (new ones get 45 days' grace), one active key per user, a root user
// with MFA, no access keys and no recent use, a password policy at least as strong as CIS's
// (length 14, reuse prevention 24), and permissions granted through groups rather than to users.
import { accessKeysOf, ROOT_OWNER_ID } from '../iam/access-keys.ts';
import { loginProfileOf, passwordLastChanged } from '../iam/login-profiles.ts';
import { passwordPolicyOf } from '../iam/password-policy.ts';
import type { EntityOf, StateReader } from '../iam/state.ts';
import { iamArn } from '../model/arn.ts';
import { accountPartition } from '../iam/partition.ts';

export type HygieneRule =
  | 'console-user-without-mfa'
  | 'access-key-not-rotated'
  | 'unused-access-key'
  | 'unused-password'
  | 'multiple-active-access-keys'
  | 'root-access-key'
  | 'root-without-mfa'
  | 'root-recently-used'
  | 'weak-password-policy'
  | 'policy-attached-to-user';

export interface Finding {
  rule: HygieneRule;
  /** The user's name, `<root_account>`, or `account` for account-wide findings. */
  identity: string;
  arn: string;
  evidence: string;
  fix: string;
}

export interface HygieneOptions {
  /** Active keys older than this are due for rotation (CIS: 90). */
  keyRotationDays: number;
  /** Credentials unused (or never used) this long should be disabled (CIS: 45); younger ones are spared. */
  unusedDays: number;
  /** Root use within this many days is reported. */
  rootRecentDays: number;
  minimumPasswordLength: number;
  passwordReusePrevention: number;
}

export const CIS_HYGIENE: HygieneOptions = {
  keyRotationDays: 90,
  unusedDays: 45,
  rootRecentDays: 30,
  minimumPasswordLength: 14,
  passwordReusePrevention: 24,
};

const DAY_MS = 86_400_000;

function daysBetween(from: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(from)) / DAY_MS);
}

const day = (iso: string) => iso.slice(0, 10);

function hasMfa(state: StateReader, accountId: string, ownerId: string): boolean {
  return state.list('mfaDevice', accountId).some((d) => d.data.userId === ownerId);
}

function keyFindings(state: StateReader, accountId: string, user: EntityOf<'user'>, now: Date, o: HygieneOptions): Finding[] {
  const out: Finding[] = [];
  const who = { identity: user.data.userName, arn: user.data.arn };
  const active = accessKeysOf(state, accountId, user.id).filter((k) => k.data.status === 'Active');
  for (const key of active) {
    const id = key.id;
    const age = daysBetween(key.data.createDate, now);
    if (age > o.keyRotationDays) {
      out.push({
        rule: 'access-key-not-rotated',
        ...who,
        evidence: `Active access key ${id} was created ${day(key.data.createDate)}, ${age} days ago (limit ${o.keyRotationDays}).`,
        fix: `Create a new key, move its users to it, then deactivate and delete ${id} (aws iam update-access-key --user-name ${user.data.userName} --access-key-id ${id} --status Inactive).`,
      });
    }
    const last = key.data.lastUsed?.date;
    const idle = daysBetween(last ?? key.data.createDate, now);
    if (idle >= o.unusedDays) {
      out.push({
        rule: 'unused-access-key',
        ...who,
        evidence: last
          ? `Active access key ${id} was last used ${day(last)}, ${idle} days ago (limit ${o.unusedDays}).`
          : `Active access key ${id} has never been used since it was created ${day(key.data.createDate)}, ${idle} days ago (limit ${o.unusedDays}).`,
        fix: `Deactivate access key ${id}, and delete it if nothing breaks.`,
      });
    }
  }
  if (active.length > 1) {
    out.push({
      rule: 'multiple-active-access-keys',
      ...who,
      evidence: `${active.length} active access keys: ${active.map((k) => k.id).join(', ')}.`,
      fix: 'Keep one active access key per user; a second only while rotating.',
    });
  }
  return out;
}

function userFindings(state: StateReader, accountId: string, user: EntityOf<'user'>, now: Date, o: HygieneOptions): Finding[] {
  const out: Finding[] = [];
  const who = { identity: user.data.userName, arn: user.data.arn };
  const profile = loginProfileOf(state, accountId, user.id)?.data;
  if (profile !== undefined && !hasMfa(state, accountId, user.id)) {
    out.push({
      rule: 'console-user-without-mfa',
      ...who,
      evidence: 'The user has a console password and no MFA device.',
      fix: `Enable an MFA device for ${user.data.userName} (aws iam create-virtual-mfa-device, then enable-mfa-device), or delete the login profile if console access is not needed.`,
    });
  }
  if (profile !== undefined) {
    const last = user.data.passwordLastUsed;
    const since = last ?? passwordLastChanged(profile);
    const idle = daysBetween(since, now);
    if (idle >= o.unusedDays) {
      out.push({
        rule: 'unused-password',
        ...who,
        evidence: last
          ? `The console password was last used ${day(last)}, ${idle} days ago (limit ${o.unusedDays}).`
          : `The console password has never been used since it was set ${day(since)}, ${idle} days ago (limit ${o.unusedDays}).`,
        fix: `Delete the login profile (aws iam delete-login-profile --user-name ${user.data.userName}).`,
      });
    }
  }
  out.push(...keyFindings(state, accountId, user, now, o));
  const attached = user.data.attachedPolicyArns;
  const inline = Object.keys(user.data.inlinePolicies);
  if (attached.length > 0 || inline.length > 0) {
    const parts = [];
    if (attached.length > 0) parts.push(`attached managed policies ${attached.join(', ')}`);
    if (inline.length > 0) parts.push(`inline policies ${inline.join(', ')}`);
    out.push({
      rule: 'policy-attached-to-user',
      ...who,
      evidence: `The user has ${parts.join(' and ')}.`,
      fix: 'Grant these permissions through a group the user belongs to, then detach or delete them from the user.',
    });
  }
  return out;
}

function rootFindings(state: StateReader, accountId: string, now: Date, o: HygieneOptions): Finding[] {
  const out: Finding[] = [];
  const who = { identity: '<root_account>', arn: iamArn.root(accountId, accountPartition(state, accountId)) };
  const keys = accessKeysOf(state, accountId, ROOT_OWNER_ID);
  if (keys.length > 0) {
    out.push({
      rule: 'root-access-key',
      ...who,
      evidence: `The root user has access keys: ${keys.map((k) => `${k.id} (${k.data.status})`).join(', ')}.`,
      fix: 'Delete the root user\'s access keys (signed in as root: aws iam delete-access-key --access-key-id …); use IAM users or roles instead.',
    });
  }
  if (!hasMfa(state, accountId, ROOT_OWNER_ID)) {
    out.push({
      rule: 'root-without-mfa',
      ...who,
      evidence: 'The root user has no MFA device.',
      fix: 'Sign in as the root user and enable an MFA device for it.',
    });
  }
  const uses: string[] = [];
  const signIn = loginProfileOf(state, accountId, ROOT_OWNER_ID)?.data.passwordLastUsed;
  if (signIn !== undefined && daysBetween(signIn, now) < o.rootRecentDays) uses.push(`signed in with its password ${signIn}`);
  for (const k of keys) {
    const used = k.data.lastUsed;
    if (used !== undefined && daysBetween(used.date, now) < o.rootRecentDays) uses.push(`used access key ${k.id} for ${used.serviceName} in ${used.region} ${used.date}`);
  }
  if (uses.length > 0) {
    out.push({
      rule: 'root-recently-used',
      ...who,
      evidence: `Within the last ${o.rootRecentDays} days the root user ${uses.join('; ')}.`,
      fix: 'Use IAM users or roles for daily work; keep the root user for the few tasks that need it.',
    });
  }
  return out;
}

function passwordPolicyFinding(state: StateReader, accountId: string, o: HygieneOptions): Finding | undefined {
  const policy = passwordPolicyOf(state, accountId);
  const weak: string[] = [];
  if (policy === undefined) {
    weak.push("no password policy (AWS's default: length 8, no reuse prevention)");
  } else {
    if (policy.minimumPasswordLength < o.minimumPasswordLength) weak.push(`minimum length ${policy.minimumPasswordLength} < ${o.minimumPasswordLength}`);
    const reuse = policy.passwordReusePrevention ?? 0;
    if (reuse < o.passwordReusePrevention) weak.push(`reuse prevention ${reuse === 0 ? 'off' : reuse} < ${o.passwordReusePrevention}`);
  }
  if (weak.length === 0) return undefined;
  return {
    rule: 'weak-password-policy',
    identity: 'account',
    arn: iamArn.root(accountId, accountPartition(state, accountId)),
    evidence: `The account password policy is weaker than CIS's: ${weak.join('; ')}.`,
    fix: `aws iam update-account-password-policy --minimum-password-length ${o.minimumPasswordLength} --password-reuse-prevention ${o.passwordReusePrevention} --require-symbols --require-numbers --require-uppercase-characters --require-lowercase-characters --allow-users-to-change-password`,
  };
}

/** Every finding for the account: root first, then the account's password policy, then users by name. */
export function hygieneFindings(state: StateReader, accountId: string, now: Date, options: HygieneOptions = CIS_HYGIENE): Finding[] {
  const findings = rootFindings(state, accountId, now, options);
  const policy = passwordPolicyFinding(state, accountId, options);
  if (policy !== undefined) findings.push(policy);
  for (const user of state.list('user', accountId)) findings.push(...userFindings(state, accountId, user, now, options));
  return findings;
}

/** The report as text for people: one block per finding, grouped by identity. */
export function formatHygieneReport(accountId: string, findings: readonly Finding[], now: Date): string {
  const lines = [`Gatehouse hygiene report for account ${accountId} (${now.toISOString()})`, ''];
  if (findings.length === 0) {
    lines.push('No findings.');
    return `${lines.join('\n')}\n`;
  }
  let current: string | undefined;
  for (const f of findings) {
    if (f.identity !== current) {
      current = f.identity;
      lines.push(`${f.identity} (${f.arn})`);
    }
    lines.push(`  [${f.rule}] ${f.evidence}`, `    fix: ${f.fix}`);
  }
  lines.push('', `${findings.length} finding${findings.length === 1 ? '' : 's'}.`);
  return `${lines.join('\n')}\n`;
}

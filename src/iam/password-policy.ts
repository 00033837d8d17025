// The account password policy: what UpdateAccountPasswordPolicy stores, the rules every password
// set or changed must meet (PasswordPolicyViolation naming each failed rule), expiry, and AWS's
// default rules for accounts without a policy (IAM user guide, "Set an account password policy
// for IAM users": at least 8 characters, at least three of the four character types, not the
// account's name or email). The root user's password always follows the default rules.
import { noSuchEntity, passwordPolicyViolation } from '../model/errors.ts';
import type { Account, PasswordPolicy } from './entities.ts';
import type { Draft, StateReader } from './state.ts';

/** The symbols AWS's RequireSymbols counts (PasswordPolicy.RequireSymbols). */
export const PASSWORD_SYMBOLS = "!@#$%^&*()_+-=[]{}|'";
/** How many previous passwords are ever remembered: PasswordReusePrevention's maximum. */
export const MAX_REMEMBERED_PASSWORDS = 24;
const DAY_MS = 86_400_000;

export interface PasswordPolicyInput {
  MinimumPasswordLength?: number;
  RequireSymbols?: boolean;
  RequireNumbers?: boolean;
  RequireUppercaseCharacters?: boolean;
  RequireLowercaseCharacters?: boolean;
  AllowUsersToChangePassword?: boolean;
  MaxPasswordAge?: number;
  PasswordReusePrevention?: number;
  HardExpiry?: boolean;
}

/**
 * UpdateAccountPasswordPolicy replaces the whole policy: a parameter left out takes its default
 * (length 6, no character rules, users may not change passwords, no expiry, no reuse rule).
 */
export function passwordPolicyFrom(input: PasswordPolicyInput): PasswordPolicy {
  const policy: PasswordPolicy = {
    minimumPasswordLength: input.MinimumPasswordLength ?? 6,
    requireSymbols: input.RequireSymbols ?? false,
    requireNumbers: input.RequireNumbers ?? false,
    requireUppercaseCharacters: input.RequireUppercaseCharacters ?? false,
    requireLowercaseCharacters: input.RequireLowercaseCharacters ?? false,
    allowUsersToChangePassword: input.AllowUsersToChangePassword ?? false,
    hardExpiry: input.HardExpiry ?? false,
  };
  if (input.MaxPasswordAge !== undefined && input.MaxPasswordAge > 0) policy.maxPasswordAge = input.MaxPasswordAge;
  if (input.PasswordReusePrevention !== undefined && input.PasswordReusePrevention > 0) policy.passwordReusePrevention = input.PasswordReusePrevention;
  return policy;
}

/** The PasswordPolicy shape of GetAccountPasswordPolicy. */
export function passwordPolicyOutput(p: PasswordPolicy): Record<string, unknown> {
  return {
    MinimumPasswordLength: p.minimumPasswordLength,
    RequireSymbols: p.requireSymbols,
    RequireNumbers: p.requireNumbers,
    RequireUppercaseCharacters: p.requireUppercaseCharacters,
    RequireLowercaseCharacters: p.requireLowercaseCharacters,
    AllowUsersToChangePassword: p.allowUsersToChangePassword,
    ExpirePasswords: (p.maxPasswordAge ?? 0) > 0,
    MaxPasswordAge: p.maxPasswordAge,
    PasswordReusePrevention: p.passwordReusePrevention,
    HardExpiry: p.hardExpiry ?? false,
  };
}

export function passwordPolicyOf(state: StateReader, accountId: string): PasswordPolicy | undefined {
  return state.get('account', accountId)?.data.passwordPolicy;
}

export function noSuchPasswordPolicy(accountId: string): Error {
  return noSuchEntity(`The Password Policy with domain name ${accountId} cannot be found.`);
}

export function updateAccountPasswordPolicy(tx: Draft, accountId: string, policy: PasswordPolicy, now: string): void {
  const current: Account = tx.get('account', accountId)?.data ?? { accountId, createDate: now };
  tx.put({ kind: 'account', id: accountId, accountId, data: { ...current, passwordPolicy: policy } });
}

export function deleteAccountPasswordPolicy(tx: Draft, accountId: string): void {
  const entity = tx.get('account', accountId);
  if (entity?.data.passwordPolicy === undefined) throw noSuchEntity('The account policy with name PasswordPolicy cannot be found.');
  const { passwordPolicy: _removed, ...rest } = entity.data;
  tx.put({ ...entity, data: rest });
}

const hasUpper = (s: string) => /[A-Z]/.test(s);
const hasLower = (s: string) => /[a-z]/.test(s);
const hasNumber = (s: string) => /[0-9]/.test(s);
const hasSymbol = (s: string) => [...s].some((c) => PASSWORD_SYMBOLS.includes(c));

const RULE = {
  upper: 'Password should have at least one uppercase letter',
  lower: 'Password should have at least one lowercase letter',
  number: 'Password should have at least one number',
  symbol: 'Password should have at least one symbol',
};

/** Names that must not be the password (AWS's default rule: "not identical to your account name or email"). */
export interface PasswordOwnerNames {
  userName?: string;
  accountId: string;
  accountAlias?: string;
  email?: string;
}

/**
 * The rules a new password breaks, as AWS words them (empty when it is acceptable). `policy`
 * undefined means the account has none (or the password is the root user's): AWS's default rules.
 */
export function passwordViolations(password: string, policy: PasswordPolicy | undefined, names: PasswordOwnerNames): string[] {
  const failures: string[] = [];
  if (policy === undefined) {
    if (password.length < 8) failures.push('Password should have a minimum length of 8');
    const missing = [
      hasUpper(password) ? undefined : RULE.upper,
      hasLower(password) ? undefined : RULE.lower,
      hasNumber(password) ? undefined : RULE.number,
      hasSymbol(password) ? undefined : RULE.symbol,
    ].filter((m): m is string => m !== undefined);
    // Three of the four character types.
    if (missing.length > 1) {
      failures.push(`Password should meet ${missing.length - 1} more of the following requirements: ${missing.join(', ')}`);
    }
    const lowered = password.toLowerCase();
    const same = [names.userName, names.accountId, names.accountAlias, names.email].some((n) => n !== undefined && n.toLowerCase() === lowered);
    if (same) failures.push('Password should not be identical to your account name or email address');
    return failures;
  }
  if (password.length < policy.minimumPasswordLength) failures.push(`Password should have a minimum length of ${policy.minimumPasswordLength}`);
  if (policy.requireUppercaseCharacters && !hasUpper(password)) failures.push(RULE.upper);
  if (policy.requireLowercaseCharacters && !hasLower(password)) failures.push(RULE.lower);
  if (policy.requireNumbers && !hasNumber(password)) failures.push(RULE.number);
  if (policy.requireSymbols && !hasSymbol(password)) failures.push(RULE.symbol);
  return failures;
}

/** Throws PasswordPolicyViolation naming every rule the password breaks. */
export function checkPassword(password: string, policy: PasswordPolicy | undefined, names: PasswordOwnerNames): void {
  const failures = passwordViolations(password, policy, names);
  if (failures.length > 0) throw passwordPolicyViolation(failures.join(', '));
}

/** How many of the latest passwords (the current one first) a new password may not repeat. */
export function reuseWindow(policy: PasswordPolicy | undefined): number {
  return policy?.passwordReusePrevention ?? 0;
}

export function reusedPasswordViolation(window: number): Error {
  return passwordPolicyViolation(
    window === 1 ? 'Password should not be the same as the current password' : `Password should not be one of the previous ${window} passwords`,
  );
}

/** When a password set at `changed` must be replaced, if the policy makes passwords expire. */
export function passwordExpiresAt(policy: PasswordPolicy | undefined, changed: string): Date | undefined {
  const days = policy?.maxPasswordAge;
  if (days === undefined || days <= 0) return undefined;
  return new Date(Date.parse(changed) + days * DAY_MS);
}

export function isPasswordExpired(policy: PasswordPolicy | undefined, changed: string, now: Date): boolean {
  const at = passwordExpiresAt(policy, changed);
  return at !== undefined && now.getTime() >= at.getTime();
}

// The built-in rules: what CIS's CloudTrail monitoring recommendations and the usual
// account-takeover signs look for. Each can be turned off or tuned in the alerts file.
import type { CloudTrailEvent } from '../event.ts';
import { grantsEverything, groupIsAdmin, isAdminPolicyArn, outsidePrincipals } from './policy-facts.ts';
import type { AlertRule, BurstSettings, Finding, Severity } from './types.ts';

const ok = (e: CloudTrailEvent) => e.errorCode === undefined && e.errorMessage === undefined;
const who = (e: CloudTrailEvent) => e.userIdentity.arn ?? e.userIdentity.userName ?? e.userIdentity.principalId ?? 'an unknown caller';
const param = (e: CloudTrailEvent, name: string) => e.requestParameters?.[name] as string | undefined;
const account = (e: CloudTrailEvent) => e.recipientAccountId ?? e.userIdentity.accountId ?? '';

function rule(id: string, severity: Severity, description: string, evaluate: AlertRule['evaluate']): AlertRule {
  return { id, severity, description, evaluate };
}

/** CIS "policy changes" metric filter: the calls that change what policies grant. */
export const POLICY_CHANGE_EVENTS = new Set([
  'DeleteGroupPolicy',
  'DeleteRolePolicy',
  'DeleteUserPolicy',
  'PutGroupPolicy',
  'PutRolePolicy',
  'PutUserPolicy',
  'CreatePolicy',
  'DeletePolicy',
  'CreatePolicyVersion',
  'DeletePolicyVersion',
  'SetDefaultPolicyVersion',
  'AttachRolePolicy',
  'DetachRolePolicy',
  'AttachUserPolicy',
  'DetachUserPolicy',
  'AttachGroupPolicy',
  'DetachGroupPolicy',
]);

const ATTACH: Record<string, string> = { AttachUserPolicy: 'user', AttachRolePolicy: 'role', AttachGroupPolicy: 'group' };
const PUT: Record<string, string> = { PutUserPolicy: 'user', PutRolePolicy: 'role', PutGroupPolicy: 'group' };
const TARGET_PARAM: Record<string, string> = { user: 'userName', role: 'roleName', group: 'groupName' };

export interface BuiltinSettings {
  failedSignins: BurstSettings;
  /** threshold: distinct source addresses failing for one identity. */
  bruteForce: BurstSettings;
  accessDenied: BurstSettings;
}

export const DEFAULT_BUILTIN_SETTINGS: BuiltinSettings = {
  failedSignins: { threshold: 5, windowSeconds: 300 },
  // The sign-in guard limits each source per identity (signin-guard.ts): many sources are how an
  // identity is attacked past it. 900 s is the guard's default memory of a failure.
  bruteForce: { threshold: 5, windowSeconds: 900 },
  accessDenied: { threshold: 10, windowSeconds: 300 },
};

interface PasswordPolicyParams {
  minimumPasswordLength?: number;
  requireSymbols?: boolean;
  requireNumbers?: boolean;
  requireUppercaseCharacters?: boolean;
  requireLowercaseCharacters?: boolean;
  maxPasswordAge?: number;
  passwordReusePrevention?: number;
  hardExpiry?: boolean;
}

/** What got weaker from `before` to `after` (AWS's defaults for what a call leaves out). */
function weakenings(before: PasswordPolicyParams, after: PasswordPolicyParams): string[] {
  const out: string[] = [];
  const len = (p: PasswordPolicyParams) => p.minimumPasswordLength ?? 6;
  if (len(after) < len(before)) out.push(`minimum length ${len(before)} → ${len(after)}`);
  for (const k of ['requireSymbols', 'requireNumbers', 'requireUppercaseCharacters', 'requireLowercaseCharacters', 'hardExpiry'] as const) {
    if (before[k] === true && after[k] !== true) out.push(`${k} turned off`);
  }
  const age = (p: PasswordPolicyParams) => p.maxPasswordAge ?? Infinity;
  if (age(after) > age(before)) out.push(`maximum age ${before.maxPasswordAge} → ${after.maxPasswordAge ?? 'none'}`);
  const reuse = (p: PasswordPolicyParams) => p.passwordReusePrevention ?? 0;
  if (reuse(after) < reuse(before)) out.push(`reuse prevention ${reuse(before)} → ${reuse(after)}`);
  return out;
}

export function builtinRules(settings: BuiltinSettings = DEFAULT_BUILTIN_SETTINGS): AlertRule[] {
  return [
    rule('root-activity', 'high', 'The root user signed in or made a call', (e) => {
      if (e.userIdentity.type !== 'Root' || e.userIdentity.accountId === undefined) return undefined;
      if (e.eventName === 'ConsoleLogin') {
        const result = (e.responseElements as { ConsoleLogin?: string } | null)?.ConsoleLogin ?? 'Failure';
        return { summary: `Root user console sign-in (${result}) from ${e.sourceIPAddress}` };
      }
      return { summary: `Root user called ${e.eventSource.split('.')[0]}:${e.eventName} from ${e.sourceIPAddress}${e.errorCode ? ` (${e.errorCode})` : ''}` };
    }),

    rule('new-administrator', 'critical', 'A principal was given administrator access', (e, _id, ctx) => {
      if (!ok(e)) return undefined;
      const acct = account(e);
      const kind = ATTACH[e.eventName];
      if (kind !== undefined && isAdminPolicyArn(ctx.state, param(e, 'policyArn'))) {
        const target = param(e, TARGET_PARAM[kind]!);
        return { summary: `${who(e)} attached administrator policy ${param(e, 'policyArn')} to ${kind} ${target}`, details: { [kind]: target } };
      }
      const putKind = PUT[e.eventName];
      if (putKind !== undefined && grantsEverything(param(e, 'policyDocument'))) {
        const target = param(e, TARGET_PARAM[putKind]!);
        return { summary: `${who(e)} put inline policy ${param(e, 'policyName')} granting *:* on ${putKind} ${target}`, details: { [putKind]: target } };
      }
      if (e.eventName === 'AddUserToGroup' && groupIsAdmin(ctx.state, acct, param(e, 'groupName') ?? '')) {
        return { summary: `${who(e)} added user ${param(e, 'userName')} to administrator group ${param(e, 'groupName')}`, details: { user: param(e, 'userName') } };
      }
      if (e.eventName === 'CreatePolicyVersion' && e.requestParameters?.setAsDefault === true && grantsEverything(param(e, 'policyDocument'))) {
        return { summary: `${who(e)} made policy ${param(e, 'policyArn')} grant *:*` };
      }
      return undefined;
    }),

    rule('credentials-for-another-user', 'medium', 'An access key or a password was created for another user', (e) => {
      if (!ok(e) || (e.eventName !== 'CreateAccessKey' && e.eventName !== 'CreateLoginProfile')) return undefined;
      const target = param(e, 'userName');
      if (target === undefined || (e.userIdentity.type === 'IAMUser' && e.userIdentity.userName?.toLowerCase() === target.toLowerCase())) return undefined;
      const what = e.eventName === 'CreateAccessKey' ? 'an access key' : 'a console password';
      return { summary: `${who(e)} created ${what} for user ${target}`, details: { user: target } };
    }),

    rule('mfa-deactivated', 'high', 'An MFA device was deactivated or deleted', (e) => {
      if (!ok(e) || (e.eventName !== 'DeactivateMFADevice' && e.eventName !== 'DeleteVirtualMFADevice')) return undefined;
      const user = param(e, 'userName');
      return { summary: `${who(e)} ${e.eventName === 'DeactivateMFADevice' ? 'deactivated' : 'deleted'} MFA device ${param(e, 'serialNumber')}${user ? ` of ${user}` : ''}` };
    }),

    rule('trust-policy-widened', 'high', "A role's trust policy lets in another account or anyone", (e) => {
      if (!ok(e)) return undefined;
      const doc = e.eventName === 'UpdateAssumeRolePolicy' ? param(e, 'policyDocument') : e.eventName === 'CreateRole' ? param(e, 'assumeRolePolicyDocument') : undefined;
      if (doc === undefined) return undefined;
      const outside = outsidePrincipals(doc, account(e));
      if (outside.length === 0) return undefined;
      return { summary: `${who(e)} let ${outside.join(', ')} assume role ${param(e, 'roleName')}`, details: { principals: outside } };
    }),

    rule('password-policy-weakened', 'medium', 'The account password policy was weakened or deleted', async (e, id, ctx) => {
      if (!ok(e)) return undefined;
      if (e.eventName === 'DeleteAccountPasswordPolicy') return { summary: `${who(e)} deleted the account password policy` };
      if (e.eventName !== 'UpdateAccountPasswordPolicy') return undefined;
      const before = (await ctx.previous('UpdateAccountPasswordPolicy', account(e), id))?.requestParameters as PasswordPolicyParams | undefined;
      if (before === undefined) return undefined;
      const weaker = weakenings(before, (e.requestParameters ?? {}) as PasswordPolicyParams);
      return weaker.length === 0 ? undefined : { summary: `${who(e)} weakened the password policy: ${weaker.join(', ')}`, details: { changes: weaker } };
    }),

    rule('policy-change', 'low', 'An IAM policy was created, changed, attached or detached (CIS)', (e) => {
      if (!ok(e) || !POLICY_CHANGE_EVENTS.has(e.eventName)) return undefined;
      const subject = param(e, 'policyArn') ?? param(e, 'policyName') ?? '';
      return { summary: `${who(e)} called ${e.eventName}${subject ? ` on ${subject}` : ''}` };
    }),

    rule('failed-signins', 'high', `Failed console sign-ins from one address or for one user within a window`, (e, _id, ctx) => {
      if (e.eventName !== 'ConsoleLogin' || (e.responseElements as { ConsoleLogin?: string } | null)?.ConsoleLogin !== 'Failure') return undefined;
      const { threshold, windowSeconds } = settings.failedSignins;
      const byAddress = ctx.count('failed-signins/address', e.sourceIPAddress, e.eventTime, windowSeconds);
      const user = e.userIdentity.arn ?? (e.userIdentity.userName !== undefined && e.userIdentity.accountId ? `${e.userIdentity.accountId}/${e.userIdentity.userName}` : undefined);
      const byUser = user !== undefined ? ctx.count('failed-signins/user', user, e.eventTime, windowSeconds) : 0;
      if (byAddress === threshold) return { summary: `${threshold} failed sign-ins from ${e.sourceIPAddress} within ${windowSeconds} s`, details: { address: e.sourceIPAddress } };
      if (byUser === threshold) return { summary: `${threshold} failed sign-ins for ${user} within ${windowSeconds} s`, details: { user } };
      return undefined;
    }),

    rule('signin-brute-force', 'high', 'Failed console sign-ins for one identity from many source addresses within a window', (e, _id, ctx) => {
      if (e.eventName !== 'ConsoleLogin' || (e.responseElements as { ConsoleLogin?: string } | null)?.ConsoleLogin !== 'Failure') return undefined;
      // Only an identity that exists is named (a name matching nobody is HIDDEN in the record).
      const identity = e.userIdentity.arn;
      if (identity === undefined) return undefined;
      const { threshold, windowSeconds } = settings.bruteForce;
      if (ctx.distinct('signin-brute-force', identity, e.sourceIPAddress, e.eventTime, windowSeconds) !== threshold) return undefined;
      return { summary: `Failed sign-ins for ${identity} from ${threshold} source addresses within ${windowSeconds} s`, details: { identity, addresses: threshold } };
    }),

    rule('new-signin-address', 'medium', 'A user signed in from an address never seen for them', async (e, _id, ctx) => {
      if (e.eventName !== 'ConsoleLogin' || (e.responseElements as { ConsoleLogin?: string } | null)?.ConsoleLogin !== 'Success') return undefined;
      const principal = e.userIdentity.arn;
      if (principal === undefined) return undefined;
      if ((await ctx.signinAddress(principal, e.sourceIPAddress, e.eventTime)) !== 'new') return undefined;
      return { summary: `${principal} signed in from a new address, ${e.sourceIPAddress}`, details: { address: e.sourceIPAddress } };
    }),

    rule('access-denied-burst', 'medium', 'Many AccessDenied answers for one principal within a window', (e, _id, ctx) => {
      if (e.errorCode === undefined || !/AccessDenied/.test(e.errorCode)) return undefined;
      const principal = e.userIdentity.arn;
      if (principal === undefined) return undefined;
      const { threshold, windowSeconds } = settings.accessDenied;
      const n = ctx.count('access-denied-burst', principal, e.eventTime, windowSeconds);
      if (n !== threshold) return undefined;
      return { summary: `${threshold} AccessDenied answers for ${principal} within ${windowSeconds} s (last: ${e.eventName})`, details: { principal } } satisfies Finding;
    }),
  ];
}

/** Every event a built-in rule can fire on mentions one of these (engine prefilter). */
export const BUILTIN_PREFILTER = new RegExp(
  `"type":"Root"|AccessDenied|"eventName":"(?:${[
    'ConsoleLogin',
    'AddUserToGroup',
    'CreateAccessKey',
    'CreateLoginProfile',
    'DeactivateMFADevice',
    'DeleteVirtualMFADevice',
    'UpdateAssumeRolePolicy',
    'CreateRole',
    'UpdateAccountPasswordPolicy',
    'DeleteAccountPasswordPolicy',
    ...POLICY_CHANGE_EVENTS,
  ].join('|')})"`,
);

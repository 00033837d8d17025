// Console sign-in: POST /signin with a JSON body
//   IAM user: { "account": "<account id or alias>", "userName": "...", "password": "...", "mfaCode"?: "123456", "newPassword"?: "..." }
//   root:     { "email": "...", "password": "...", "mfaCode"?: "...", "newPassword"?: "..." }   ("account" optional)
// On success: 200 { "Credentials": { AccessKeyId, SecretAccessKey, SessionToken, Expiration },
//   "Principal": { Arn, Type, AccountId, UserName? }, "MFAAuthenticated": bool } — a console session
// as STS credentials (a GetSessionToken-style session of the user or root), with
// aws:MultiFactorAuthPresent when an MFA code was given; the password's last use is recorded.
// Errors: { "Error": { "Code", "Message" } }. An unknown account, user or email and a wrong password
// all answer SignInFailed (401) after the same amount of work. Failures are counted per identity and
// source address (signin-guard.ts): SignInThrottled / SignInLocked (429, Retry-After). Only once the
// password is right: MFACodeRequired (401), InvalidMFACode (401, counted), PasswordChangeRequired
// (403: expired or PasswordResetRequired; send newPassword in the same request), PasswordExpired
// (403: HardExpiry, an administrator must reset it), PasswordPolicyViolation (400).
import { findAccountId } from '../iam/account.ts';
import { ROOT_OWNER_ID } from '../iam/access-keys.ts';
import {
  loginProfileOf,
  ownerNames,
  passwordLastChanged,
  preparePassword,
  recordPasswordUse,
  rootProfileByEmail,
  setPassword,
  type LoginProfileEntity,
  type PreparedPassword,
} from '../iam/login-profiles.ts';
import { mfaDevicesOf, verifyMfaCode } from '../iam/mfa-devices.ts';
import { isPasswordExpired, passwordPolicyOf } from '../iam/password-policy.ts';
import type { PasswordHasher } from '../iam/passwords.ts';
import type { EntityOf, IamState } from '../iam/state.ts';
import type { Authorizer } from '../authz/authorizer.ts';
import { requestContext } from '../authz/context.ts';
import { iamArn } from '../model/arn.ts';
import type { Clock } from '../model/clock.ts';
import { isAwsErrorLike } from '../model/errors.ts';
import type { IdSource } from '../model/ids.ts';
import type { SigninConfig } from './signin-config.ts';
import type { SecretBox } from '../store/data-key.ts';
import { credentialsOutput, issueSession } from '../sts/sessions.ts';
import type { Caller } from '../iam/caller.ts';
import type { SigninGuard } from './signin-guard.ts';

export interface SigninDeps {
  state: IamState;
  clock: Clock;
  ids: IdSource;
  secrets: SecretBox;
  hasher: PasswordHasher;
  authorizer: Authorizer;
  guard: SigninGuard;
  config: Pick<SigninConfig, 'sessionSeconds'>;
  region: string;
}

export interface SigninAnswer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
  /** For the request log line: never a password. */
  log: { principal?: string; errorCode?: string };
}

interface SigninRequest {
  account?: string;
  userName?: string;
  email?: string;
  password: string;
  mfaCode?: string;
  newPassword?: string;
}

/** The root user's console sessions are as short as its GetSessionToken sessions may be. */
const ROOT_SESSION_SECONDS = 3600;
const MAX_FIELD = 512;

class SigninError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

const failed = () => new SigninError(401, 'SignInFailed', 'The account, user name or password is incorrect.');

/** Who is signing in, once found. */
interface Identity {
  accountId: string;
  ownerId: string;
  user?: EntityOf<'user'>;
  profile: LoginProfileEntity;
  arn: string;
}

export class SigninService {
  constructor(private readonly deps: SigninDeps) {}

  /** `owner`: the request (its audit scope) the session's transaction is made for. */
  async handle(body: Buffer, sourceIp: string, owner?: object): Promise<SigninAnswer> {
    const log: SigninAnswer['log'] = {};
    try {
      const req = parseRequest(body);
      const identity = this.#identityKey(req);
      const blocked = this.deps.guard.check(identity, sourceIp);
      if (blocked !== undefined) {
        const message =
          blocked.code === 'SignInLocked'
            ? `Too many failed sign-in attempts: sign-in is locked for ${blocked.retryAfterSeconds} seconds.`
            : `Too many failed sign-in attempts: try again in ${blocked.retryAfterSeconds} seconds.`;
        throw new SigninError(429, blocked.code, message, blocked.retryAfterSeconds);
      }
      const answer = await this.#signIn(req, identity, sourceIp, log, owner);
      this.deps.guard.succeed(identity);
      return answer;
    } catch (err) {
      if (err instanceof SigninError) {
        log.errorCode = err.code;
        const headers = err.retryAfterSeconds !== undefined ? { 'retry-after': String(err.retryAfterSeconds) } : undefined;
        return { status: err.status, body: { Error: { Code: err.code, Message: err.message } }, headers, log };
      }
      if (isAwsErrorLike(err)) {
        log.errorCode = err.code;
        return { status: err.status, body: { Error: { Code: err.code, Message: err.message } }, log };
      }
      throw err;
    }
  }

  /** The name failures are counted under: the account as resolved (id or alias alike) and the name tried. */
  #identityKey(req: SigninRequest): string {
    if (req.email !== undefined) return `root\u0000${req.email.trim().toLowerCase()}`;
    const accountId = this.#accountId(req.account!) ?? `?${req.account!.toLowerCase()}`;
    return `${accountId}\u0000${req.userName!.toLowerCase()}`;
  }

  #accountId(spec: string): string | undefined {
    return findAccountId(this.deps.state, spec);
  }

  #find(req: SigninRequest): Identity | undefined {
    const { state } = this.deps;
    if (req.email !== undefined) {
      const accounts = req.account !== undefined ? [this.#accountId(req.account)].filter((a): a is string => a !== undefined) : state.listAll('account').map((a) => a.accountId);
      const profile = rootProfileByEmail(state, accounts, req.email);
      if (profile === undefined) return undefined;
      return { accountId: profile.accountId, ownerId: ROOT_OWNER_ID, profile, arn: iamArn.root(profile.accountId) };
    }
    const accountId = this.#accountId(req.account!);
    if (accountId === undefined) return undefined;
    const user = state.byName('user', accountId, req.userName!);
    if (user === undefined) return undefined;
    const profile = loginProfileOf(state, accountId, user.id);
    if (profile === undefined) return undefined;
    return { accountId, ownerId: user.id, user, profile, arn: user.data.arn };
  }

  async #signIn(req: SigninRequest, key: string, sourceIp: string, log: SigninAnswer['log'], owner: object | undefined): Promise<SigninAnswer> {
    const { hasher, guard, clock, state } = this.deps;
    const who = this.#find(req);
    const passwordOk = who === undefined ? await hasher.verifyNothing(req.password) : await hasher.verify(req.password, who.profile.data.passwordHash);
    if (who === undefined || !passwordOk) {
      guard.fail(key, sourceIp);
      throw failed();
    }
    log.principal = who.arn;

    // The password is right: from here on, answers may say what is missing.
    const devices = mfaDevicesOf(state, who.accountId, who.ownerId);
    if (devices.length > 0 && req.mfaCode === undefined) {
      throw new SigninError(401, 'MFACodeRequired', 'This identity has an MFA device: send the code it shows as mfaCode.');
    }
    const now = clock.now();
    const policy = who.ownerId === ROOT_OWNER_ID ? undefined : passwordPolicyOf(state, who.accountId);
    const expired = isPasswordExpired(policy, passwordLastChanged(who.profile.data), now);
    if (expired && policy?.hardExpiry && !who.profile.data.passwordResetRequired) {
      throw new SigninError(403, 'PasswordExpired', 'Your password has expired, and the account password policy requires an administrator to reset it.');
    }
    const mustChange = expired || who.profile.data.passwordResetRequired;
    if (mustChange && req.newPassword === undefined) {
      const why = who.profile.data.passwordResetRequired ? 'An administrator requires you to set a new password' : 'Your password has expired';
      throw new SigninError(403, 'PasswordChangeRequired', `${why}: send it as newPassword, with your current password, to sign in.`);
    }
    let prepared: PreparedPassword | undefined;
    if (req.newPassword !== undefined) prepared = await this.#prepareNewPassword(who, req, now);

    const nowIso = now.toISOString();
    const mfa = devices.length > 0;
    const duration = who.ownerId === ROOT_OWNER_ID ? Math.min(ROOT_SESSION_SECONDS, this.deps.config.sessionSeconds) : this.deps.config.sessionSeconds;
    const { ids, secrets } = this.deps;
    const issued = await state.transact((tx) => {
      // The code is checked last, in the transaction that uses it: a code counts once.
      if (mfa) {
        const accepted = mfaDevicesOf(tx, who.accountId, who.ownerId).some((d) =>
          verifyMfaCode(tx, { accountId: who.accountId, ownerId: who.ownerId, serialNumber: d.id, code: req.mfaCode!, now, openSeed: (s) => secrets.open(s) }),
        );
        if (!accepted) throw new SigninError(401, 'InvalidMFACode', 'The MFA code is not valid.');
      }
      if (prepared !== undefined) {
        const current = loginProfileOf(tx, who.accountId, who.ownerId);
        if (current === undefined) throw failed();
        setPassword(tx, current, prepared, false, nowIso);
      }
      recordPasswordUse(tx, who.accountId, who.ownerId, nowIso);
      return issueSession(
        tx,
        who.accountId,
        {
          kind: 'SessionToken',
          issuedAt: nowIso,
          expiresAt: new Date(now.getTime() + duration * 1000).toISOString(),
          userId: who.ownerId,
          tags: [],
          transitiveTagKeys: [],
          mfaAuthenticated: mfa,
          mfaAuthenticatedAt: mfa ? nowIso : undefined,
          chained: false,
        },
        {
          newAccessKeyId: () => ids.accessKeyId(who.accountId, true),
          secretAccessKey: () => ids.secretAccessKey(),
          bytes: (n) => ids.bytes(n),
          seal: (plaintext) => secrets.seal(plaintext),
        },
        now,
      );
    }, owner).catch((err: unknown) => {
      if (err instanceof SigninError && err.code === 'InvalidMFACode') guard.fail(key, sourceIp);
      throw err;
    });
    const principal: Record<string, unknown> = { Arn: who.arn, Type: who.user ? 'IAMUser' : 'Root', AccountId: who.accountId };
    if (who.user) principal.UserName = who.user.data.userName;
    return { status: 200, body: { Credentials: credentialsOutput(issued), Principal: principal, MFAAuthenticated: mfa }, log };
  }

  /**
   * A new password at sign-in needs the right to change it: iam:ChangePassword on the user, or the
   * account's AllowUsersToChangePassword (the root user may always change its own).
   */
  async #prepareNewPassword(who: Identity, req: SigninRequest, now: Date): Promise<PreparedPassword> {
    const { state } = this.deps;
    if (who.user !== undefined) this.#authorizeChange(who.user, now);
    if (req.newPassword === req.password) {
      throw new SigninError(400, 'PasswordPolicyViolation', 'The new password must be different from the current password.');
    }
    const names = ownerNames(state, who.accountId, { userName: who.user?.data.userName, email: who.profile.data.email });
    return preparePassword(this.deps.hasher, state, who.accountId, who.ownerId, req.newPassword!, names);
  }

  #authorizeChange(user: EntityOf<'user'>, now: Date): void {
    const { state, authorizer } = this.deps;
    const caller: Caller = {
      principal: { type: 'IAMUser', arn: user.data.arn, account: user.accountId },
      accountId: user.accountId,
      userId: user.id,
      userName: user.data.userName,
      entityId: user.id,
      accessKeyId: '',
      tags: user.data.tags,
    };
    const facts = { sourceIp: '0.0.0.0', secureTransport: false, region: this.deps.region, now };
    const { result } = authorizer.decide({ caller, action: 'iam:ChangePassword', resource: user.data.arn, context: requestContext(caller, facts) });
    const granted = passwordPolicyOf(state, user.accountId)?.allowUsersToChangePassword === true;
    if (result.decision === 'Allowed' || (granted && result.decision !== 'ExplicitDeny')) return;
    throw new SigninError(403, 'AccessDenied', `User: ${user.data.arn} is not authorized to perform: iam:ChangePassword on resource: ${user.data.arn}; ask an administrator to reset your password.`);
  }
}

function parseRequest(body: Buffer): SigninRequest {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new SigninError(400, 'ValidationError', 'The request body must be a JSON object.');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new SigninError(400, 'ValidationError', 'The request body must be a JSON object.');
  const o = json as Record<string, unknown>;
  const field = (name: string, required: boolean): string | undefined => {
    const v = o[name];
    if (v === undefined || v === null) {
      if (required) throw new SigninError(400, 'ValidationError', `${name} is required.`);
      return undefined;
    }
    if (typeof v !== 'string' || v === '' || v.length > MAX_FIELD) throw new SigninError(400, 'ValidationError', `${name} must be a non-empty string of at most ${MAX_FIELD} characters.`);
    return v;
  };
  const req: SigninRequest = {
    account: field('account', false),
    userName: field('userName', false),
    email: field('email', false),
    password: field('password', true)!,
    mfaCode: field('mfaCode', false),
    newPassword: field('newPassword', false),
  };
  if (req.email === undefined && (req.account === undefined || req.userName === undefined)) {
    throw new SigninError(400, 'ValidationError', 'Send account and userName (an IAM user), or email (the root user).');
  }
  if (req.email !== undefined && req.userName !== undefined) throw new SigninError(400, 'ValidationError', 'Send userName or email, not both.');
  return req;
}

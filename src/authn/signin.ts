// Console sign-in: POST /signin with a JSON body
//   IAM user: { "account": "<account id or alias>", "userName": "...", "password": "...", "mfaCode"?: "123456", "newPassword"?: "..." }
//   root:     { "email": "...", "password": "...", "mfaCode"?: "...", "newPassword"?: "..." }   ("account" optional)
// On success: 200 { "Credentials": { AccessKeyId, SecretAccessKey, SessionToken, Expiration },
//   "Principal": { Arn, Type, AccountId, UserName? }, "MFAAuthenticated": bool } — a console session
// as STS credentials (a GetSessionToken-style session of the user or root), with
// aws:MultiFactorAuthPresent when an MFA code was given; the password's last use is recorded.
// Errors: { "Error": { "Code", "Message" } }. An unknown account, user or email and a wrong password
// all answer SignInFailed (401) after the same amount of work. Failures are counted per identity and
// source address (signin-guard.ts): SignInThrottled / SignInLocked (429, Retry-After); SignInBusy
// (503, Retry-After) when too many passwords are being checked (iam/passwords.ts). Only once the
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
import { PasswordHashingBusy, type PasswordHasher } from '../iam/passwords.ts';
import type { EntityOf, IamState, TransactionOwner } from '../iam/state.ts';
import type { HttpAnswer, HttpRequest, RequestLog } from '../protocol/http.ts';
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
import { accountPartition } from '../iam/partition.ts';

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

/** A sign-in under way: what was asked, and who turned out to be asking. */
interface SigninCall {
  req: SigninRequest;
  /** The name failures are counted under. */
  key: string;
  sourceIp: string;
  who: Identity;
  caller: Caller;
  mfa: boolean;
  now: Date;
  owner: TransactionOwner | undefined;
}

const JSON_CONTENT_TYPE = 'application/json';
/** A sign-in request is a few short fields. */
const MAX_SIGNIN_BYTES = 16 * 1024;

/** POST /signin, as a route (server/route.ts stages). */
export class SigninService {
  readonly name = 'signin';
  readonly maxBodyBytes = MAX_SIGNIN_BYTES;
  readonly audit = 'signin' as const;

  constructor(private readonly deps: SigninDeps) {}

  /** The password (and the lockout rules before it); the MFA code is checked where it is used, in run. */
  async authenticate(http: HttpRequest, _requestId: string, owner: (TransactionOwner & { caller?: Caller }) | undefined): Promise<SigninCall> {
    const { hasher, guard, clock, state } = this.deps;
    const req = parseRequest(http.body);
    const key = this.#identityKey(req);
    const sourceIp = http.sourceIp;
    const blocked = guard.check(key, sourceIp);
    if (blocked !== undefined) {
      const message =
        blocked.code === 'SignInLocked'
          ? `Too many failed sign-in attempts: sign-in is locked for ${blocked.retryAfterSeconds} seconds.`
          : `Too many failed sign-in attempts: try again in ${blocked.retryAfterSeconds} seconds.`;
      throw new SigninError(429, blocked.code, message, blocked.retryAfterSeconds);
    }
    const who = this.#find(req);
    const passwordOk = await (who === undefined ? hasher.verifyNothing(req.password, sourceIp) : hasher.verify(req.password, who.profile.data.passwordHash, sourceIp)).catch((e: unknown) => {
      // Hashing is at capacity: refused at once, and no failure of the identity's.
      if (e instanceof PasswordHashingBusy) throw new SigninError(503, 'SignInBusy', 'Too many sign-ins are being checked: try again in a second.', 1);
      throw e;
    });
    if (who === undefined || !passwordOk) {
      guard.fail(key, sourceIp);
      throw failed();
    }
    const caller = callerOf(who);
    if (owner !== undefined) owner.caller = caller;

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
    return { req, key, sourceIp, who, caller, mfa: devices.length > 0, now, owner };
  }

  /**
   * A new password at sign-in needs the right to change it: iam:ChangePassword on the user, or the
   * account's AllowUsersToChangePassword (the root user may always change its own).
   */
  authorize(call: SigninCall): void {
    if (call.req.newPassword === undefined || call.who.user === undefined) return;
    const { state, authorizer } = this.deps;
    const user = call.who.user;
    const facts = { sourceIp: call.sourceIp, secureTransport: false, region: this.deps.region, now: call.now };
    const { result } = authorizer.decide({ caller: call.caller, action: 'iam:ChangePassword', resource: user.data.arn, context: requestContext(call.caller, facts) });
    const granted = passwordPolicyOf(state, user.accountId)?.allowUsersToChangePassword === true;
    if (result.decision === 'Allowed' || (granted && result.decision !== 'ExplicitDeny')) return;
    throw new SigninError(403, 'AccessDenied', `User: ${user.data.arn} is not authorized to perform: iam:ChangePassword on resource: ${user.data.arn}; ask an administrator to reset your password.`);
  }

  /** The session: issued in one transaction with the MFA code's use, the new password and the password's use. */
  async run(call: SigninCall): Promise<Record<string, unknown>> {
    const { req, who, key, sourceIp, now, mfa } = call;
    const { guard, state, ids, secrets } = this.deps;
    const prepared = req.newPassword !== undefined ? await this.#prepareNewPassword(who, req) : undefined;
    const nowIso = now.toISOString();
    const duration = who.ownerId === ROOT_OWNER_ID ? Math.min(ROOT_SESSION_SECONDS, this.deps.config.sessionSeconds) : this.deps.config.sessionSeconds;
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
    }, call.owner).catch((err: unknown) => {
      if (err instanceof SigninError && err.code === 'InvalidMFACode') guard.fail(key, sourceIp);
      throw err;
    });
    guard.succeed(key, sourceIp);
    const principal: Record<string, unknown> = { Arn: who.arn, Type: who.user ? 'IAMUser' : 'Root', AccountId: who.accountId };
    if (who.user) principal.UserName = who.user.data.userName;
    return { Credentials: credentialsOutput(issued), Principal: principal, MFAAuthenticated: mfa };
  }

  encode(call: SigninCall, output: unknown): HttpAnswer {
    return { status: 200, body: JSON.stringify(output), contentType: JSON_CONTENT_TYPE, headers: NO_STORE, log: { principal: call.who.arn } };
  }

  encodeError(err: unknown, _req: HttpRequest, _requestId: string, scope: { caller?: Caller } | undefined): HttpAnswer {
    const log: RequestLog = { principal: scope?.caller?.principal.arn };
    if (!isAwsErrorLike(err)) {
      log.errorCode = 'InternalFailure';
      return { status: 500, body: '{"Error":{"Code":"InternalFailure","Message":"An internal error has occurred."}}', contentType: JSON_CONTENT_TYPE, headers: NO_STORE, log };
    }
    log.errorCode = err.code;
    const retryAfter = err instanceof SigninError ? err.retryAfterSeconds : undefined;
    const headers = retryAfter !== undefined ? { 'cache-control': 'no-store', 'retry-after': String(retryAfter) } : NO_STORE;
    return { status: err.status, body: JSON.stringify({ Error: { Code: err.code, Message: err.message } }), contentType: JSON_CONTENT_TYPE, headers, log };
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
      return { accountId: profile.accountId, ownerId: ROOT_OWNER_ID, profile, arn: iamArn.root(profile.accountId, accountPartition(state, profile.accountId)) };
    }
    const accountId = this.#accountId(req.account!);
    if (accountId === undefined) return undefined;
    const user = state.byName('user', accountId, req.userName!);
    if (user === undefined) return undefined;
    const profile = loginProfileOf(state, accountId, user.id);
    if (profile === undefined) return undefined;
    return { accountId, ownerId: user.id, user, profile, arn: user.data.arn };
  }

  async #prepareNewPassword(who: Identity, req: SigninRequest): Promise<PreparedPassword> {
    const { state } = this.deps;
    if (req.newPassword === req.password) {
      throw new SigninError(400, 'PasswordPolicyViolation', 'The new password must be different from the current password.');
    }
    const names = ownerNames(state, who.accountId, { userName: who.user?.data.userName, email: who.profile.data.email });
    return preparePassword(this.deps.hasher, state, who.accountId, who.ownerId, req.newPassword!, names);
  }
}

const NO_STORE: Record<string, string> = { 'cache-control': 'no-store' };

/** The identity signing in, as a caller (the audit scope and the authorizer see it so). */
function callerOf(who: Identity): Caller {
  if (who.user === undefined) {
    return { principal: { type: 'Root', arn: who.arn, account: who.accountId }, accountId: who.accountId, userId: who.accountId, accessKeyId: '', tags: [] };
  }
  const user = who.user;
  return {
    principal: { type: 'IAMUser', arn: user.data.arn, account: user.accountId },
    accountId: user.accountId,
    userId: user.id,
    userName: user.data.userName,
    entityId: user.id,
    accessKeyId: '',
    tags: user.data.tags,
  };
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

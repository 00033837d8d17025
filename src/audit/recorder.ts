// The audit trail's entry point on the request path (the contract: iam/state.ts TransactionOwner).
// The pipeline begins a scope per request; a transaction the operation makes for it while it runs
// carries its event in its own commit (AuditScope.eventFor asks changeEvent here); when the
// request ends, a request whose event was not written that way (a read, a failure, a denial, a
// malformed or unauthenticated request) has it queued for the next batch, and a successful
// mutating one waits for that batch to be durable before it is answered. Unauthenticated failures
// are aggregated per source and error code (aggregate.ts).
import { ROOT_OWNER_ID } from '../iam/access-keys.ts';
import { findAccountId } from '../iam/account.ts';
import { rootProfileByEmail } from '../iam/login-profiles.ts';
import type { IamState } from '../iam/state.ts';
import { iamArn } from '../model/arn.ts';
import type { Clock } from '../model/clock.ts';
import type { IdSource } from '../model/ids.ts';
import type { HttpRequest } from '../protocol/http.ts';
import { FailureAggregator } from './aggregate.ts';
import { claimOf } from './claims.ts';
import { HIDDEN } from './elements.ts';
import { isReadOnly, type CloudTrailEvent, type UserIdentity } from './event.ts';
import { eventJson } from '../store/event-log.ts';
import { apiCallEventJson, consoleLoginEvent, type CallOutcome } from './record.ts';
import { AuditScope, type ChangeEvents, type ScopeKind } from './scope.ts';
import type { EventWriter } from './writer.ts';
import { accountPartition } from '../iam/partition.ts';

export interface RecorderDeps {
  state: IamState;
  clock: Clock;
  ids: IdSource;
  region: string;
  writer: EventWriter;
}

/** Who a sign-in request named (never its password). */
interface SigninClaim {
  account?: string;
  userName?: string;
  email?: string;
  mfaCode: boolean;
}

/** The services whose operations a request may be recorded under (unknown ones are recorded as IAM's). */
const SERVED = new Set(['iam', 'sts', 'cloudtrail']);

/** Sign-in refusals made without checking a password (signin-guard.ts, the hashing gate): aggregated. */
const SIGNIN_REFUSALS = new Set(['SignInBusy', 'SignInThrottled', 'SignInLocked']);

export class AuditRecorder implements ChangeEvents {
  readonly #deps: RecorderDeps;
  readonly #aggregates: FailureAggregator;

  constructor(deps: RecorderDeps) {
    this.#deps = deps;
    this.#aggregates = new FailureAggregator(deps.clock, deps.ids, (json) => deps.writer.enqueue(json));
  }

  get region(): string {
    return this.#deps.region;
  }

  /** A new scope for a request: the owner of the transactions made for it (IamState.transact). */
  begin(kind: ScopeKind, requestId: string, sourceIp: string, userAgent: string | undefined): AuditScope {
    return new AuditScope(this, kind, requestId, sourceIp, userAgent, this.#deps.region);
  }

  /** The event a change made for `scope` commits with; `result` is what its transaction returned. */
  changeEvent(scope: AuditScope, result: unknown): CloudTrailEvent | undefined {
    return scope.kind === 'api' ? this.#event(scope, { output: result }) : this.#signinSuccess(scope, result);
  }

  /**
   * The end of a request. Resolves when its event is safe enough to answer: at once for reads and
   * failures (batched), once durable for a successful mutating call. A refused request's event
   * fills in from what `request` claims what the scope did not learn.
   */
  finish(scope: AuditScope, outcome: CallOutcome, request: HttpRequest): Promise<void> | undefined {
    if (scope.stage === 'written') return undefined;
    scope.stage = 'ended';
    if (scope.kind === 'signin') {
      if (!('error' in outcome)) return undefined;
      const code = outcome.error.code;
      const aggregated = SIGNIN_REFUSALS.has(code);
      if (aggregated && this.#aggregates.counted(scope.sourceIp, code, scope.requestId)) return undefined;
      const json = eventJson(this.#signinFailure(scope, outcome.error, request.body));
      if (aggregated) this.#aggregates.opened(scope.sourceIp, code, json);
      this.#deps.writer.enqueue(json);
      return undefined;
    }
    const anonymous = 'error' in outcome && scope.caller === undefined;
    if (anonymous && this.#aggregates.counted(scope.sourceIp, outcome.error.code, scope.requestId)) return undefined;
    if ('error' in outcome && (scope.caller === undefined || scope.action === undefined)) {
      const claim = claimOf(request);
      if (scope.caller === undefined) scope.claimedAccessKeyId = claim.accessKeyId;
      scope.service ??= claim.service !== undefined && SERVED.has(claim.service) ? claim.service : 'iam';
      scope.action ??= claim.action;
    }
    const json = this.#eventJson(scope, outcome);
    if (anonymous) this.#aggregates.opened(scope.sourceIp, outcome.error.code, json);
    this.#deps.writer.enqueue(json);
    if ('output' in outcome && !isReadOnly(scope.service ?? 'iam', scope.action ?? '')) return this.#deps.writer.flush(true);
    return undefined;
  }

  /** A failed sign-in's ConsoleLogin event (a success's went in with its session). */
  #signinFailure(scope: AuditScope, error: { code: string; message: string }, body: Buffer): CloudTrailEvent {
    const claim = parseClaim(body);
    const { identity, accountId } = this.#claimedIdentity(claim);
    const message = error.code === 'SignInFailed' || error.code === 'InvalidMFACode' ? 'Failed authentication' : error.message;
    const now = this.#deps.clock.now();
    return consoleLoginEvent(
      scope,
      { identity, recipientAccountId: accountId, success: false, mfaUsed: claim?.mfaCode ?? false, errorMessage: message },
      now,
      this.#deps.ids.eventId(now),
    );
  }

  /** Every queued event committed, aggregated failures' counts so far included (LookupEvents reads its own writes). */
  flush(): Promise<void> {
    this.#aggregates.flush();
    return this.#deps.writer.flush();
  }

  /** Writes the aggregated failures' counts and closes their windows (shutdown loses none; test mode's reset starts afresh). */
  closeAggregates(): void {
    this.#aggregates.close();
  }

  /** The API call's record as JSON text (batched reads and failures go as text). */
  #eventJson(scope: AuditScope, outcome: CallOutcome): string {
    const now = this.#deps.clock.now();
    return apiCallEventJson(scope, outcome, now, this.#deps.ids.eventId(now));
  }

  /** The same record as an object, for a change's commit. */
  #event(scope: AuditScope, outcome: CallOutcome): CloudTrailEvent {
    return JSON.parse(this.#eventJson(scope, outcome)) as CloudTrailEvent;
  }

  /** A successful sign-in's event, from the session its transaction issued. */
  #signinSuccess(scope: AuditScope, result: unknown): CloudTrailEvent | undefined {
    const session = (result as { session?: { accountId?: string; data?: { userId?: string; mfaAuthenticated?: boolean } } } | undefined)?.session;
    if (session?.data?.userId === undefined || session.accountId === undefined) return undefined;
    const accountId = session.accountId;
    let identity: UserIdentity;
    if (session.data.userId === ROOT_OWNER_ID) {
      identity = { type: 'Root', principalId: accountId, arn: iamArn.root(accountId, accountPartition(this.#deps.state, accountId)), accountId, accessKeyId: '' };
    } else {
      const user = this.#deps.state.get('user', session.data.userId);
      identity = { type: 'IAMUser', principalId: session.data.userId, arn: user?.data.arn, accountId, accessKeyId: '', userName: user?.data.userName };
    }
    const now = this.#deps.clock.now();
    return consoleLoginEvent(scope, { identity, recipientAccountId: accountId, success: true, mfaUsed: session.data.mfaAuthenticated === true }, now, this.#deps.ids.eventId(now));
  }

  /** AWS names an existing identity in a failed sign-in and hides a name that matches nobody. */
  #claimedIdentity(claim: SigninClaim | undefined): { identity: UserIdentity; accountId?: string } {
    const { state } = this.#deps;
    if (claim === undefined) return { identity: { type: 'Unknown', principalId: '', accessKeyId: '' } };
    const accountId = claim.account !== undefined ? this.#accountId(claim.account) : undefined;
    if (claim.email !== undefined) {
      const accounts = accountId !== undefined ? [accountId] : state.listAll('account').map((a) => a.accountId);
      const profile = rootProfileByEmail(state, accounts, claim.email);
      if (profile !== undefined) {
        const id = profile.accountId;
        return { identity: { type: 'Root', principalId: id, arn: iamArn.root(id, accountPartition(state, id)), accountId: id, accessKeyId: '' }, accountId: id };
      }
      return { identity: { type: 'Root', principalId: HIDDEN, accessKeyId: '' }, accountId };
    }
    const user = accountId !== undefined && claim.userName !== undefined ? state.byName('user', accountId, claim.userName) : undefined;
    if (user !== undefined) {
      return {
        identity: { type: 'IAMUser', principalId: user.data.userId, arn: user.data.arn, accountId: user.accountId, accessKeyId: '', userName: user.data.userName },
        accountId: user.accountId,
      };
    }
    const identity: UserIdentity = { type: 'IAMUser', principalId: '', accessKeyId: '', userName: HIDDEN };
    if (accountId !== undefined) identity.accountId = accountId;
    return { identity, accountId };
  }

  #accountId(spec: string): string | undefined {
    return findAccountId(this.#deps.state, spec);
  }

}

function parseClaim(body: Buffer): SigninClaim | undefined {
  try {
    const o = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    if (typeof o !== 'object' || o === null) return undefined;
    const str = (v: unknown) => (typeof v === 'string' && v !== '' && v.length <= 512 ? v : undefined);
    return { account: str(o.account), userName: str(o.userName), email: str(o.email), mfaCode: str(o.mfaCode) !== undefined };
  } catch {
    return undefined;
  }
}

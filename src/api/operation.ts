// What every AWS operation handler is: the resource AWS authorizes the call against, and the work.
// The pipeline (api/dispatch.ts) decodes and validates the input from the service model,
// authenticates, authorizes `<service>:<Operation>` on `target(...)`, then runs `run(...)`
// and encodes its output from the model. Handlers only deal in model-shaped objects.
//
// Service modules write static tables of operations (`Operations`); what some operations take
// from the configuration (`ApiDeps`: the password hasher, the root access key rule, the trail) is
// given to `run` as its third argument, bound once when the server makes the dispatcher's tables
// (api/services.ts).
import type { LastAccessedIndex } from '../analyzer/last-accessed-index.ts';
import type { EventQueries } from '../audit/query.ts';
import type { Caller } from '../iam/caller.ts';
import type { Authorizer } from '../authz/authorizer.ts';
import type { RequestFacts } from '../authz/context.ts';
import type { PolicyView } from '../authz/policy-view.ts';
import type { SimulationPool } from '../authz/simulation-pool.ts';
import type { PasswordHasher } from '../iam/passwords.ts';
import type { Draft, IamState } from '../iam/state.ts';
import type { Clock } from '../model/clock.ts';
import type { IdSource } from '../model/ids.ts';
import type { ContextValue } from '../policy/index.ts';
import type { SecretBox } from '../store/data-key.ts';

/** Everything a handler may use: the domain, the caller, and injected time and randomness. */
export interface CallContext {
  state: IamState;
  view: PolicyView;
  authorizer: Authorizer;
  caller: Caller;
  /** The caller's account: the account IAM operations act on. */
  accountId: string;
  /** That account's partition (aws, aws-cn, aws-us-gov, …): every ARN built for the call names it. */
  partition: string;
  clock: Clock;
  ids: IdSource;
  secrets: SecretBox;
  facts: RequestFacts;
  requestId: string;
  /** A transaction on `state` made for this request: the request's event commits with its change. */
  transact<T>(fn: (tx: Draft) => T): Promise<T>;
}

/** Model-shaped input: member names as in the AWS service model (`UserName`, `Tags`, …). */
export type Input = Record<string, any>;
/** Model-shaped output, encoded by the protocol layer; dates may be Date objects or ISO strings. */
export type Output = Record<string, any> | void;

export interface AuthorizationTarget {
  /** The resource ARN AWS checks for this operation (`*` for operations without one). */
  resource: string;
  /** Operation-specific condition keys (aws:RequestTag/*, aws:TagKeys, iam:PolicyARN, …). */
  context?: Record<string, ContextValue | undefined>;
}

export interface OperationHandler {
  target(input: Input, call: CallContext): AuthorizationTarget;
  run(input: Input, call: CallContext): Promise<Output> | Output;
  /**
   * The pipeline does not authorize `target` before `run`: `run` authorizes itself (AssumeRole
   * checks the trust policy too), or the operation is one anyone authenticated may call, whatever
   * the policies say (sts:GetCallerIdentity).
   */
  authorizesInRun?: boolean;
}

export type OperationTable = Record<string, OperationHandler>;

/**
 * An operation as a service module writes it; the dispatcher runs it bound to the configuration
 * (an OperationHandler, api/services.ts).
 */
export interface OperationDefinition extends Omit<OperationHandler, 'run'> {
  /** `deps`: what the configuration gives; an operation that needs none leaves the parameter out. */
  run(input: Input, call: CallContext, deps: ApiDeps): Promise<Output> | Output;
}

/** A service's operations (or a group of them), by AWS operation name. */
export type Operations = Record<string, OperationDefinition>;

/** What some operations take from the configuration: given once, when the server starts. */
export interface ApiDeps {
  /** Hashes and checks IAM user passwords at the configured cost. */
  hasher: PasswordHasher;
  /** Whether the root user may have access keys (--allow-root-access-keys; AWS's advice and the default: no). */
  allowRootAccessKeys: boolean;
  /** Gatehouse's own trail, for CloudTrail's LookupEvents. */
  trail: TrailReader;
  /** Where policy simulations run, off the request thread. */
  simulations: SimulationPool;
  /** When each user and role last used each action, read from the trail (service last accessed reports). */
  lastAccessed: LastAccessedIndex;
}

export interface TrailReader {
  /** Commits the events still queued, so a lookup sees every call answered before it. */
  flush(): Promise<void>;
  readonly queries: EventQueries;
}

/**
 * The commonest operation: a change to what the input names, authorized on `target` and made in
 * one transaction. It answers nothing.
 */
export function changeOperation(
  target: OperationDefinition['target'],
  write: (tx: Draft, input: Input, call: CallContext) => unknown,
): OperationDefinition {
  return {
    target,
    async run(input, call) {
      await call.transact((tx) => write(tx, input, call));
    },
  };
}

// What every AWS operation handler is: the resource AWS authorizes the call against, and the work.
// The pipeline (api/dispatch.ts) decodes and validates the input from the service model,
// authenticates, authorizes `<service>:<Operation>` on `target(...)`, then runs `run(...)`
// and encodes its output from the model. Handlers only deal in model-shaped objects.
import type { Caller } from '../iam/caller.ts';
import type { Authorizer } from '../authz/authorizer.ts';
import type { RequestFacts } from '../authz/context.ts';
import type { PolicyView } from '../authz/policy-view.ts';
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

// What the audit trail knows about the request in progress. The pipeline (server/pipeline.ts)
// begins a scope per audited request; its route fills it in as it learns who calls and what, and
// the pipeline finishes it with the outcome (AuditRecorder.finish). While the operation runs, a
// transaction made for the request (the scope is its owner: iam/state.ts TransactionOwner)
// carries the request's event in its own commit. The scope is passed, not found through
// AsyncLocalStorage: enabling that hooks every promise the process makes, which cost a tenth of
// the request rate.
import type { Caller } from '../iam/caller.ts';
import type { CommitEvent, TransactionOwner } from '../iam/state.ts';
import type { Operation } from '../protocol/model.ts';

/** An AWS API call, or a console sign-in. */
export type ScopeKind = 'api' | 'signin';

/**
 * Where the request's event is. In order:
 * - `open`: begun; who calls and what they ask are being learnt;
 * - `running`: the operation runs, and the next transaction made for it carries the event;
 * - `committing`: the event is in a commit in flight (back to `running` if that commit fails);
 * - `written`: the event is durable, committed with a change;
 * - `ended`: the request ended without a change carrying the event, which was queued.
 */
export type ScopeStage = 'open' | 'running' | 'committing' | 'written' | 'ended';

/** How a scope's event is made from the result of the transaction that carries it (AuditRecorder). */
export interface ChangeEvents {
  changeEvent(scope: AuditScope, result: unknown): unknown;
}

export class AuditScope implements TransactionOwner {
  readonly kind: ScopeKind;
  readonly requestId: string;
  readonly sourceIp: string;
  readonly userAgent: string | undefined;
  readonly #events: ChangeEvents;
  stage: ScopeStage = 'open';
  region: string;
  /** 'iam' | 'sts' | 'cloudtrail' once the request is routed. */
  service: string | undefined;
  /** The operation (Action or X-Amz-Target) as named by the request, known or not. */
  action: string | undefined;
  operation: Operation | undefined;
  caller: Caller | undefined;
  /** The access key id the request claimed, even when it resolved to nothing. */
  claimedAccessKeyId: string | undefined;
  input: Record<string, unknown> | undefined;

  constructor(events: ChangeEvents, kind: ScopeKind, requestId: string, sourceIp: string, userAgent: string | undefined, region: string) {
    this.#events = events;
    this.kind = kind;
    this.requestId = requestId;
    this.sourceIp = sourceIp;
    this.userAgent = userAgent;
    this.region = region;
  }

  /** The request is routed: to this service's operation. */
  route(service: string, action: string, operation: Operation): void {
    this.service = service;
    this.action = action;
    this.operation = operation;
  }

  eventFor(result: unknown): CommitEvent | undefined {
    if (this.stage !== 'running') return undefined;
    const event = this.#events.changeEvent(this, result);
    if (event === undefined) return undefined;
    this.stage = 'committing';
    return {
      event,
      settle: (committed) => {
        if (committed) this.stage = 'written';
        else if (this.stage === 'committing') this.stage = 'running';
      },
    };
  }
}

// What the audit trail knows about the request in progress. The dispatcher (and the sign-in
// endpoint) begin a scope per request, fill it in as they learn who calls and what, and arm it
// while the operation runs: a transaction made for the request (its owner is the scope) while it
// is armed carries the request's event in its own commit (iam/state.ts TransactionEvents). The
// scope is passed, not found through AsyncLocalStorage: enabling that hooks every promise the
// process makes, which cost a tenth of the request rate.
import type { Caller } from '../iam/caller.ts';
import type { Operation } from '../protocol/model.ts';

export type ScopeKind = 'api' | 'signin';

export class AuditScope {
  readonly kind: ScopeKind;
  readonly requestId: string;
  readonly sourceIp: string;
  readonly userAgent: string | undefined;
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
  /** Set while the operation runs: its transactions carry the event. */
  armed = false;
  /** An event is on its way into a commit. */
  pending = false;
  /** The request's event is durable (written with a change). */
  written = false;

  constructor(kind: ScopeKind, requestId: string, sourceIp: string, userAgent: string | undefined, region: string) {
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
}

// A route: one kind of request Gatehouse answers (the AWS services, console sign-in, health, the
// test-mode reset, the console to come). Every route passes through the same stages, in this
// order (server/pipeline.ts runs them; no route runs its own):
//   1. limits        the body is read up to `maxBodyBytes` (413 in the route's format beyond it)
//   2. audit begins  a scope for the request, when the route is audited
//   3. authenticate  who calls and what they ask; throws an AWS-style error when refused
//   4. authorize     may they; throws AccessDenied (or the route's refusal)
//   5. run           the work; transactions made for the request carry its event
//   6. audit ends    the outcome recorded (durable first for a successful change)
//   7. encode        the answer, or the error, in the route's wire format
// Routes are objects with methods, not closures: the AWS route is on the hot path.
import type { AuditScope, ScopeKind } from '../audit/scope.ts';
import type { HttpAnswer, HttpRequest } from '../protocol/http.ts';

export interface Route<Call = unknown> {
  /** For the log line. */
  readonly name: string;
  /** The largest body the route reads. */
  readonly maxBodyBytes: number;
  /** The kind of audit event the route's requests make, or undefined for an unaudited route. */
  readonly audit: ScopeKind | undefined;
  authenticate(req: HttpRequest, requestId: string, scope: AuditScope | undefined): Call | Promise<Call>;
  authorize(call: Call): void;
  run(call: Call): unknown;
  encode(call: Call, output: unknown): HttpAnswer;
  /** Any failure of any stage (and the pipeline's own, such as a body over the limit). */
  encodeError(error: unknown, req: HttpRequest, requestId: string, scope: AuditScope | undefined): HttpAnswer;
}

/** An entry of the route table: a method and an exact path, or every request not matched before. */
export interface RouteEntry {
  method?: string;
  path?: string;
  route: Route<any>;
}

// The whole way of a request, for every route (server/route.ts lists the stages). Reads answer
// without awaiting anything that is not a promise: a turn of the microtask queue per request
// costs measurably on the hot path.
import type { AuditRecorder } from '../audit/recorder.ts';
import { isAwsErrorLike, MESSAGES } from '../model/errors.ts';
import type { HttpAnswer, HttpRequest } from '../protocol/http.ts';
import { headerOf } from '../protocol/http.ts';
import type { Route } from './route.ts';

/** `refused`: the pipeline's own refusal (a body over the limit), answered and audited as the route's. */
export async function runRoute<Call>(route: Route<Call>, req: HttpRequest, requestId: string, audit: AuditRecorder, refused?: Error): Promise<HttpAnswer> {
  const scope = route.audit === undefined ? undefined : audit.begin(route.audit, requestId, req.sourceIp, headerOf(req, 'user-agent'));
  try {
    if (refused !== undefined) throw refused;
    const authenticated = route.authenticate(req, requestId, scope);
    const call = authenticated instanceof Promise ? await authenticated : authenticated;
    route.authorize(call);
    if (scope !== undefined) scope.stage = 'running';
    const ran = route.run(call);
    const output = ran instanceof Promise ? await ran : ran;
    if (scope !== undefined) {
      const durable = audit.finish(scope, { output }, req);
      if (durable !== undefined) await durable;
    }
    return route.encode(call, output);
  } catch (err) {
    const answer = route.encodeError(err, req, requestId, scope);
    if (!isAwsErrorLike(err)) answer.internal = err instanceof Error ? err.stack : String(err);
    if (scope !== undefined && scope.stage !== 'ended') {
      const message = isAwsErrorLike(err) ? err.message : MESSAGES.internalFailure;
      audit.finish(scope, { error: { code: answer.log.errorCode ?? 'InternalFailure', message } }, req);
    }
    return answer;
  }
}

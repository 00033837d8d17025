// The way of a request (DESIGN.md): decode the service and operation, authenticate the caller,
// decode and validate the input from the model, authorize `<service>:<Operation>` on the
// operation's resource, run it, and encode the answer. Any failure is answered as AWS's error
// XML and changes nothing; nothing internal ever reaches the wire.
import { AwsError, isAwsErrorLike } from '../model/errors.ts';
import type { Caller } from '../authn/caller.ts';
import { checkSecurityToken, resolveAccessKey } from '../authn/credentials.ts';
import { verifySigV4, type SigV4Request } from '../authn/sigv4.ts';
import type { Authorizer } from '../authz/authorizer.ts';
import { requestContext, type RequestFacts } from '../authz/context.ts';
import type { PolicyView } from '../authz/policy-view.ts';
import type { IamState } from '../iam/state.ts';
import type { Clock } from '../model/clock.ts';
import type { IdSource } from '../model/ids.ts';
import { decodeQuery, encodeError, encodeResponse, IAM, parseRequest, validateInput, type ServiceModel } from '../protocol/index.ts';
import type { SecretBox } from '../store/data-key.ts';
import type { CallContext, OperationTable } from './operation.ts';
import { checkSessionScope } from '../sts/scope.ts';
import { recordCallerUse } from './key-use.ts';

export interface HttpRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  sourceIp: string;
  secure: boolean;
}

export interface HttpAnswer {
  status: number;
  requestId: string;
  body: string;
  /** What the request log line says about the call. */
  log: { service?: string; action?: string; principal?: string; accessKeyId?: string; errorCode?: string };
}

export interface DispatcherDeps {
  state: IamState;
  view: PolicyView;
  authorizer: Authorizer;
  clock: Clock;
  ids: IdSource;
  secrets: SecretBox;
  region: string;
  operations: Record<string, OperationTable>;
}

const notImplemented = (service: string, action: string) =>
  new AwsError('NotImplemented', `Gatehouse does not implement ${service}:${action} yet.`, 501);

export class Dispatcher {
  constructor(private readonly deps: DispatcherDeps) {}

  async handle(req: HttpRequest): Promise<HttpAnswer> {
    const requestId = this.deps.ids.requestId();
    const log: HttpAnswer['log'] = {};
    let service: ServiceModel = IAM;
    try {
      const qmark = req.url.indexOf('?');
      const path = qmark < 0 ? req.url : req.url.slice(0, qmark);
      const query = qmark < 0 ? '' : req.url.slice(qmark + 1);
      const now = this.deps.clock.now();

      // Who is calling (SigV4) decides the service too: the credential scope names it.
      const signed: SigV4Request = { method: req.method, path, query, headers: req.headers, body: req.body };
      const auth = verifySigV4(signed, (id) => resolveAccessKey(this.deps.state, this.deps.secrets, id), now);
      // Temporary credentials: the session token must match and the session must not have expired.
      checkSecurityToken(auth.credential, auth.securityToken, now);
      const caller = auth.credential.caller;
      log.principal = caller.principal.arn;
      log.accessKeyId = caller.accessKeyId;

      const contentType = req.headers['content-type'];
      const parsed = parseRequest({
        method: req.method,
        query,
        body: req.body,
        contentType: Array.isArray(contentType) ? contentType[0] : contentType,
        signingService: auth.service,
      });
      service = parsed.model;
      log.service = parsed.service;
      log.action = parsed.action;
      const handler = this.deps.operations[parsed.service]?.[parsed.action];
      if (handler === undefined) throw notImplemented(parsed.service, parsed.action);
      checkSessionScope(caller, parsed.service, parsed.action);

      const input = decodeQuery(parsed.params, parsed.operation);
      validateInput(input, parsed.operation);

      const facts: RequestFacts = { sourceIp: req.sourceIp, secureTransport: req.secure, region: auth.region, now, userAgent: header(req, 'user-agent') };
      const call = this.callContext(caller, facts, requestId);
      if (!handler.alwaysAllowed) {
        const target = handler.target(input, call);
        this.deps.authorizer.authorize({
          caller,
          action: `${parsed.service}:${parsed.action}`,
          resource: target.resource,
          context: requestContext(caller, facts, target.context as Record<string, string | string[]>),
        });
      }
      const output = await handler.run(input, call);
      recordCallerUse(this.deps.state, caller, parsed.service, auth.region, now);
      return { status: 200, requestId, body: encodeResponse(parsed.operation, output ?? undefined, requestId), log };
    } catch (err) {
      const encoded = encodeError(err, requestId, service);
      log.errorCode = encoded.code;
      if (!isAwsErrorLike(err)) (log as Record<string, unknown>).internal = err instanceof Error ? err.stack : String(err);
      return { status: encoded.status, requestId, body: encoded.body, log };
    }
  }

  private callContext(caller: Caller, facts: RequestFacts, requestId: string): CallContext {
    const { state, view, authorizer, clock, ids, secrets } = this.deps;
    return { state, view, authorizer, caller, accountId: caller.accountId, clock, ids, secrets, facts, requestId };
  }
}

function header(req: HttpRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

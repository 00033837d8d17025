// The way of a request (DESIGN.md): decode the service and operation, authenticate the caller,
// decode and validate the input from the model, authorize `<service>:<Operation>` on the
// operation's resource, run it, and encode the answer. Any failure is answered as AWS's error
// XML and changes nothing; nothing internal ever reaches the wire.
import { AwsError, isAwsErrorLike, MESSAGES } from '../model/errors.ts';
import type { Caller } from '../iam/caller.ts';
import { checkSecurityToken, resolveAccessKey, type ResolvedCredentials } from '../authn/credentials.ts';
import { verifySigV4, type SigV4Request } from '../authn/sigv4.ts';
import type { Authorizer } from '../authz/authorizer.ts';
import { requestContext, type RequestFacts } from '../authz/context.ts';
import type { PolicyView } from '../authz/policy-view.ts';
import type { Draft, IamState } from '../iam/state.ts';
import type { Clock } from '../model/clock.ts';
import type { IdSource } from '../model/ids.ts';
import { decodeQuery, encodeError, encodeResponse, IAM, parseRequest, validateInput, type FormParams, type ServiceModel } from '../protocol/index.ts';
import type { SecretBox } from '../store/data-key.ts';
import type { CallContext, OperationTable } from './operation.ts';
import { checkSessionScope } from '../sts/scope.ts';
import { recordCallerUse } from './key-use.ts';
import type { AuditRecorder } from '../audit/recorder.ts';
import type { AuditScope } from '../audit/scope.ts';
import { claimOf } from '../audit/claims.ts';
import { decodeJson, encodeJsonError, encodeJsonResponse, JSON_CONTENT_TYPE, parseJsonTarget } from '../protocol/json.ts';
import type { Operation } from '../protocol/model.ts';

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
  /** text/xml unless said (JSON services answer application/x-amz-json-1.1). */
  contentType?: string;
  /** What the request log line says about the call. */
  log: { service?: string; action?: string; principal?: string; accessKeyId?: string; errorCode?: string };
  /** A failure inside Gatehouse (not an AWS error): its stack, for the log only, never the wire. */
  internal?: string;
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
  /** The audit trail: every request becomes an event. */
  audit?: AuditRecorder;
}

const JSON_SIGNING_SERVICES = ['cloudtrail'];

const notImplemented = (service: string, action: string) =>
  new AwsError('NotImplemented', `Gatehouse does not implement ${service}:${action} yet.`, 501);

export class Dispatcher {
  /** From an access key id to its credentials (made once, not per request). */
  readonly #resolve: (accessKeyId: string) => ResolvedCredentials | undefined;

  constructor(private readonly deps: DispatcherDeps) {
    this.#resolve = (id) => resolveAccessKey(deps.state, deps.secrets, id);
  }

  async handle(req: HttpRequest): Promise<HttpAnswer> {
    const requestId = this.deps.ids.requestId();
    const audit = this.deps.audit;
    if (audit === undefined) return this.#handle(req, requestId, undefined);
    return this.#handle(req, requestId, audit.begin('api', requestId, req.sourceIp, header(req, 'user-agent')));
  }

  async #handle(req: HttpRequest, requestId: string, scope: AuditScope | undefined): Promise<HttpAnswer> {
    const log: HttpAnswer['log'] = {};
    let service: ServiceModel = IAM;
    const target = header(req, 'x-amz-target');
    try {
      const qmark = req.url.indexOf('?');
      const path = qmark < 0 ? req.url : req.url.slice(0, qmark);
      const query = qmark < 0 ? '' : req.url.slice(qmark + 1);
      const now = this.deps.clock.now();

      // Who is calling (SigV4) decides the service too: the credential scope names it.
      const signed: SigV4Request = { method: req.method, path, query, headers: req.headers, body: req.body };
      const auth = verifySigV4(signed, this.#resolve, now, target !== undefined ? { services: JSON_SIGNING_SERVICES } : undefined);
      // Temporary credentials: the session token must match and the session must not have expired.
      checkSecurityToken(auth.credential, auth.securityToken, now);
      const caller = auth.credential.caller;
      log.principal = caller.principal.arn;
      log.accessKeyId = caller.accessKeyId;
      if (scope !== undefined) {
        scope.caller = caller;
        scope.region = auth.region;
      }

      // JSON services (CloudTrail) name the operation in X-Amz-Target; query services in Action.
      let operation: Operation;
      let serviceId: string;
      let action: string;
      let params: FormParams | undefined;
      if (target !== undefined) {
        const parsed = parseJsonTarget(target);
        ({ operation, service: serviceId, action } = parsed);
        service = parsed.model;
        if (scope !== undefined) scope.route(serviceId, action, operation);
      } else {
        const contentType = req.headers['content-type'];
        const parsed = parseRequest({
          method: req.method,
          query,
          body: req.body,
          contentType: Array.isArray(contentType) ? contentType[0] : contentType,
          signingService: auth.service,
        });
        ({ operation, service: serviceId, action, params } = parsed);
        service = parsed.model;
        if (scope !== undefined) scope.route(serviceId, action, operation);
      }
      log.service = serviceId;
      log.action = action;
      const handler = this.deps.operations[serviceId]?.[action];
      if (handler === undefined) throw notImplemented(serviceId, action);
      checkSessionScope(caller, serviceId, action);

      const input = params !== undefined ? decodeQuery(params, operation) : decodeJson(req.body, operation);
      if (scope !== undefined) scope.input = input;
      validateInput(input, operation);

      const facts: RequestFacts = { sourceIp: req.sourceIp, secureTransport: req.secure, region: auth.region, now, userAgent: header(req, 'user-agent') };
      const call = this.callContext(caller, facts, requestId, scope);
      if (!handler.authorizesInRun) {
        const target = handler.target(input, call);
        this.deps.authorizer.authorize({
          caller,
          action: `${serviceId}:${action}`,
          resource: target.resource,
          context: requestContext(caller, facts, target.context as Record<string, string | string[]>),
        });
      }
      // While the operation runs, the transactions it makes for this request carry its event (audit/recorder.ts).
      if (scope !== undefined) scope.armed = true;
      // Reads answer at once: waiting only on a promise saves a turn of the microtask queue.
      const ran = handler.run(input, call);
      const output = ran instanceof Promise ? await ran : ran;
      if (scope !== undefined) {
        const durable = this.deps.audit!.finish(scope, { output });
        if (durable !== undefined) await durable;
      }
      recordCallerUse(this.deps.state, caller, serviceId, auth.region, now);
      if (service.protocol === 'json') {
        return { status: 200, requestId, body: encodeJsonResponse(operation, output ?? undefined), contentType: JSON_CONTENT_TYPE, log };
      }
      return { status: 200, requestId, body: encodeResponse(operation, output ?? undefined, requestId), log };
    } catch (err) {
      const json = target !== undefined;
      const encoded = json ? encodeJsonError(err) : encodeError(err, requestId, service);
      log.errorCode = encoded.code;
      const internal = isAwsErrorLike(err) ? undefined : err instanceof Error ? err.stack : String(err);
      if (scope !== undefined) this.#recordFailure(req, scope, encoded.code, isAwsErrorLike(err) ? err.message : MESSAGES.internalFailure);
      return { status: encoded.status, requestId, body: encoded.body, contentType: json ? JSON_CONTENT_TYPE : undefined, log, internal };
    }
  }

  /** A refused or failed request's event; what the request claims fills in what was not learnt. */
  #recordFailure(req: HttpRequest, scope: AuditScope, code: string, message: string): void {
    if (scope.caller === undefined || scope.action === undefined) {
      const claim = claimOf(req);
      if (scope.caller === undefined) scope.claimedAccessKeyId = claim.accessKeyId;
      scope.service ??= claim.service === 'sts' || claim.service === 'cloudtrail' ? claim.service : 'iam';
      scope.action ??= claim.action;
    }
    this.deps.audit!.finish(scope, { error: { code, message } });
  }

  private callContext(caller: Caller, facts: RequestFacts, requestId: string, scope: AuditScope | undefined): CallContext {
    return new RequestCall(this.deps, caller, facts, requestId, scope);
  }
}

/** A request's CallContext. A class: a closure per request would be renamed (__name) on every call under tsx. */
class RequestCall implements CallContext {
  readonly state: IamState;
  readonly view: PolicyView;
  readonly authorizer: Authorizer;
  readonly accountId: string;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly secrets: SecretBox;
  readonly #scope: AuditScope | undefined;

  constructor(deps: DispatcherDeps, readonly caller: Caller, readonly facts: RequestFacts, readonly requestId: string, scope: AuditScope | undefined) {
    this.state = deps.state;
    this.view = deps.view;
    this.authorizer = deps.authorizer;
    this.accountId = caller.accountId;
    this.clock = deps.clock;
    this.ids = deps.ids;
    this.secrets = deps.secrets;
    this.#scope = scope;
  }

  transact<T>(fn: (tx: Draft) => T): Promise<T> {
    return this.state.transact(fn, this.#scope);
  }
}

function header(req: HttpRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

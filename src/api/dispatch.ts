// The AWS services' route (server/route.ts stages): authenticate the caller with SigV4 and learn
// the service and operation (the credential scope names the service; X-Amz-Target or Action the
// operation), decode and validate the input from the model; authorize `<service>:<Operation>` on
// the operation's resource; run it; encode the answer or AWS's error in the service's protocol.
// A failure changes nothing, and nothing internal ever reaches the wire.
import { AwsError, isAwsErrorLike } from '../model/errors.ts';
import type { Caller } from '../iam/caller.ts';
import { checkSecurityToken, CredentialResolver } from '../authn/credentials.ts';
import { UnexpectedServiceError, verifySigV4, type SigV4Options, type SigV4Request } from '../authn/sigv4.ts';
import type { Partition } from '../authn/regions.ts';
import { claimOf } from '../audit/claims.ts';
import type { Authorizer } from '../authz/authorizer.ts';
import { requestContext, type RequestFacts } from '../authz/context.ts';
import type { PolicyView } from '../authz/policy-view.ts';
import type { Draft, IamState } from '../iam/state.ts';
import type { Clock } from '../model/clock.ts';
import type { IdSource } from '../model/ids.ts';
import { decodeQuery, encodeError, encodeResponse, IAM, STS, parseRequest, validateInput, type FormParams, type ServiceModel } from '../protocol/index.ts';
import { headerOf, type HttpAnswer, type HttpRequest } from '../protocol/http.ts';
import { encodeUnservedService } from '../protocol/unserved.ts';
import type { SecretBox } from '../store/data-key.ts';
import type { CallContext, OperationHandler, OperationTable } from './operation.ts';
import { checkSessionScope } from '../sts/scope.ts';
import { LastUseRecorder } from './key-use.ts';
import type { AuditScope } from '../audit/scope.ts';
import { decodeJson, encodeJsonError, encodeJsonResponse, JSON_CONTENT_TYPE, parseJsonTarget } from '../protocol/json.ts';
import type { Operation } from '../protocol/model.ts';
import { notImplemented, UNSIGNED_STS_OPERATIONS } from './not-implemented.ts';

const XML_CONTENT_TYPE = 'text/xml';

export interface DispatcherDeps {
  state: IamState;
  view: PolicyView;
  authorizer: Authorizer;
  clock: Clock;
  ids: IdSource;
  secrets: SecretBox;
  operations: Record<string, OperationTable>;
}

/** AWS's query APIs accept at most a few hundred KB; policies are at most 131,072 characters. */
const MAX_BODY_BYTES = 1024 * 1024;
const JSON_SIGNING_SERVICES = ['cloudtrail'];

// JSON services answer an operation they do not serve as AWS does: 400 UnknownOperationException.
const unknownOperation = (target: string) => new AwsError('UnknownOperationException', `Unrecognized operation ${target}`, 400);

/** A request signed for a service Gatehouse does not serve: answered in that service's own protocol. */
class UnservedService extends AwsError {
  constructor(readonly service: string) {
    super('UnsupportedService', `Gatehouse does not serve ${service}: this endpoint serves IAM, STS and CloudTrail's LookupEvents.`, 400);
  }
}

export class Dispatcher {
  readonly name = 'aws';
  readonly maxBodyBytes = MAX_BODY_BYTES;
  readonly audit = 'api' as const;
  readonly #deps: DispatcherDeps;
  readonly #services: ReadonlySet<string>;
  /** From an access key id to its credentials in the partition addressed (made once, not per request). */
  readonly #resolve: (accessKeyId: string, partition: Partition) => ReturnType<CredentialResolver['resolve']>;
  readonly #lastUse: LastUseRecorder;
  /** What SigV4 accepts for query (IAM, STS) and JSON (CloudTrail) requests, in any partition. */
  readonly #queryAuth: SigV4Options = {};
  readonly #jsonAuth: SigV4Options = { services: JSON_SIGNING_SERVICES };

  constructor(deps: DispatcherDeps) {
    this.#deps = deps;
    this.#services = new Set(Object.keys(deps.operations));
    const resolver = new CredentialResolver(deps.state, deps.secrets);
    // A key belongs to its account's partition: addressed to another one, AWS does not know it.
    this.#resolve = (id, partition) => {
      const credentials = resolver.resolve(id);
      return credentials?.partition === partition.id ? credentials : undefined;
    };
    this.#lastUse = new LastUseRecorder(deps.state);
  }

  authenticate(req: HttpRequest, requestId: string, scope: AuditScope | undefined): RequestCall {
    const qmark = req.url.indexOf('?');
    const path = qmark < 0 ? req.url : req.url.slice(0, qmark);
    const query = qmark < 0 ? '' : req.url.slice(qmark + 1);
    const now = this.#deps.clock.now();
    const target = headerOf(req, 'x-amz-target');

    // Who is calling (SigV4) decides the service too: the credential scope names it.
    const signed: SigV4Request = { method: req.method, path, query, headers: req.headers, body: req.body };
    let auth;
    try {
      auth = verifySigV4(signed, this.#resolve, now, target !== undefined ? this.#jsonAuth : this.#queryAuth);
    } catch (e) {
      if (e instanceof UnexpectedServiceError && !this.#services.has(e.service)) throw new UnservedService(e.service);
      if (isAwsErrorLike(e) && e.code === 'MissingAuthenticationToken' && target === undefined) this.#unsignedSts(req, query);
      throw e;
    }
    // Temporary credentials: the session token must match and the session must not have expired.
    checkSecurityToken(auth.credential, auth.securityToken, now);
    const caller = auth.credential.caller;
    if (scope !== undefined) {
      scope.caller = caller;
      scope.region = auth.region;
    }

    // JSON services (CloudTrail) name the operation in X-Amz-Target; query services in Action.
    let operation: Operation;
    let serviceId: string;
    let action: string;
    let params: FormParams | undefined;
    let model: ServiceModel;
    if (target !== undefined) {
      const parsed = parseJsonTarget(target);
      ({ operation, service: serviceId, action } = parsed);
      model = parsed.model;
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
      model = parsed.model;
    }
    if (scope !== undefined) scope.route(serviceId, action, operation);
    const handler = this.#deps.operations[serviceId]?.[action];
    if (handler === undefined) throw target !== undefined ? unknownOperation(target) : notImplemented(serviceId, action);
    checkSessionScope(caller, serviceId, action);

    const input = params !== undefined ? decodeQuery(params, operation) : decodeJson(req.body, operation);
    if (scope !== undefined) scope.input = input;
    validateInput(input, operation);

    const facts: RequestFacts = { sourceIp: req.sourceIp, secureTransport: req.secure, region: auth.region, now, userAgent: headerOf(req, 'user-agent') };
    return new RequestCall(this.#deps, caller, auth.credential.partition, facts, requestId, scope, model, serviceId, action, operation, handler, input);
  }

  /** An unsigned request for an STS operation AWS serves unsigned, which Gatehouse does not serve yet. */
  #unsignedSts(req: HttpRequest, query: string): void {
    const contentType = req.headers['content-type'];
    let action;
    try {
      ({ action } = parseRequest({ method: req.method, query, body: req.body, contentType: Array.isArray(contentType) ? contentType[0] : contentType, signingService: 'sts' }));
    } catch {
      return; // not such a request: it stays MissingAuthenticationToken
    }
    if (UNSIGNED_STS_OPERATIONS.has(action) && this.#deps.operations.sts?.[action] === undefined) throw notImplemented('sts', action);
  }

  authorize(call: RequestCall): void {
    const handler = call.handler;
    if (handler.authorizesInRun) return;
    const target = handler.target(call.input, call);
    this.#deps.authorizer.authorize({
      caller: call.caller,
      action: `${call.service}:${call.action}`,
      resource: target.resource,
      context: requestContext(call.caller, call.facts, target.context as Record<string, string | string[]>),
    });
  }

  run(call: RequestCall): unknown {
    const ran = call.handler.run(call.input, call);
    if (ran instanceof Promise) return ran.then((output) => this.#used(call, output));
    return this.#used(call, ran);
  }

  /** A call that succeeded is a use of the caller's credentials (GetAccessKeyLastUsed, RoleLastUsed). */
  #used(call: RequestCall, output: unknown): unknown {
    this.#lastUse.recordCallerUse(call.caller, call.service, call.facts.region, call.facts.now);
    return output;
  }

  encode(call: RequestCall, output: unknown): HttpAnswer {
    const log = { service: call.service, action: call.action, principal: call.caller.principal.arn, accessKeyId: call.caller.accessKeyId };
    const out = (output ?? undefined) as Record<string, unknown> | undefined;
    if (call.model.protocol === 'json') {
      return { status: 200, requestId: call.requestId, body: encodeJsonResponse(call.operation, out), contentType: JSON_CONTENT_TYPE, log };
    }
    return { status: 200, requestId: call.requestId, body: encodeResponse(call.operation, out, call.requestId), contentType: XML_CONTENT_TYPE, log };
  }

  encodeError(err: unknown, req: HttpRequest, requestId: string, scope: AuditScope | undefined): HttpAnswer {
    const log = { service: scope?.service, action: scope?.action, principal: scope?.caller?.principal.arn, accessKeyId: scope?.caller?.accessKeyId, errorCode: undefined as string | undefined };
    if (err instanceof UnservedService) {
      const encoded = encodeUnservedService(err.service, err.code, err.message, req, requestId);
      log.errorCode = err.code;
      return { status: err.status, requestId, body: encoded.body, contentType: encoded.contentType, headers: encoded.headers, log };
    }
    if (headerOf(req, 'x-amz-target') !== undefined) {
      const encoded = encodeJsonError(err);
      log.errorCode = encoded.code;
      return { status: encoded.status, requestId, body: encoded.body, contentType: JSON_CONTENT_TYPE, log };
    }
    // Refused before the service was known (signature, action): the namespace of the service claimed.
    const service = scope?.service ?? claimOf(req).service;
    const encoded = encodeError(err, requestId, service === 'sts' ? STS : IAM);
    log.errorCode = encoded.code;
    return { status: encoded.status, requestId, body: encoded.body, contentType: XML_CONTENT_TYPE, log };
  }
}

/** A request's CallContext. A class: a closure per request would be renamed (__name) on every call under tsx. */
export class RequestCall implements CallContext {
  readonly state: IamState;
  readonly view: PolicyView;
  readonly authorizer: Authorizer;
  readonly accountId: string;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly secrets: SecretBox;
  readonly #scope: AuditScope | undefined;

  constructor(
    deps: DispatcherDeps,
    readonly caller: Caller,
    readonly partition: string,
    readonly facts: RequestFacts,
    readonly requestId: string,
    scope: AuditScope | undefined,
    readonly model: ServiceModel,
    readonly service: string,
    readonly action: string,
    readonly operation: Operation,
    readonly handler: OperationHandler,
    readonly input: Record<string, any>,
  ) {
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

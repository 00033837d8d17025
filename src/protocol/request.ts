// Which service and operation a query-protocol request is for. Parameters come from the URL query
// and, for POST, the application/x-www-form-urlencoded body; the body wins on a repeated name.
import { type Operation, type ServiceId, type ServiceModel, IAM, SERVICES, STS, serviceByVersion } from './model.ts';
import { invalidAction, missingAction } from '../model/errors.ts';

export interface QueryRequest {
  readonly service: ServiceId;
  readonly model: ServiceModel;
  readonly operation: Operation;
  readonly action: string;
  readonly version: string;
  readonly params: URLSearchParams;
}

export interface RawQueryRequest {
  readonly method: string;
  /** The raw query string, with or without its leading '?'. */
  readonly query: string;
  readonly body?: Buffer | string;
  readonly contentType?: string;
  /** The service of the SigV4 credential scope, when the request is signed. */
  readonly signingService?: string;
}

function isForm(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType === '') return true;
  return contentType.split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

export function collectParams(req: RawQueryRequest): URLSearchParams {
  const params = new URLSearchParams(req.query.startsWith('?') ? req.query.slice(1) : req.query);
  if (req.method.toUpperCase() === 'POST' && req.body !== undefined && req.body.length > 0 && isForm(req.contentType)) {
    const body = new URLSearchParams(typeof req.body === 'string' ? req.body : req.body.toString('utf8'));
    for (const key of new Set(body.keys())) params.delete(key);
    for (const [k, v] of body) params.append(k, v);
  }
  return params;
}

function chooseService(signingService: string | undefined, version: string | null, action: string): ServiceModel | undefined {
  if (signingService === 'iam' || signingService === 'sts') return SERVICES[signingService];
  if (version) return serviceByVersion(version);
  // Unsigned and unversioned: the action alone decides when only one service has it.
  const inIam = IAM.operations.has(action);
  const inSts = STS.operations.has(action);
  return inIam && !inSts ? IAM : inSts && !inIam ? STS : undefined;
}

/** Throws MissingAction or InvalidAction as AWS answers them. */
export function parseRequest(req: RawQueryRequest): QueryRequest {
  const params = collectParams(req);
  const action = params.get('Action');
  if (!action) throw missingAction('Missing Action');
  const version = params.get('Version');
  const model = chooseService(req.signingService, version, action);
  const operation = model?.operations.get(action);
  if (!model || !operation || (version !== null && version !== model.version)) {
    throw invalidAction(`Could not find operation ${action} for version ${version ?? model?.version ?? 'NO_VERSION_SPECIFIED'}`);
  }
  return { service: model.id, model, operation, action, version: version ?? model.version, params };
}

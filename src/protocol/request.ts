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
  readonly params: FormParams;
}

/**
 * Form parameters in order, as URLSearchParams would hold them: a request's parameters are read
 * a few times each, and URLSearchParams costs more to build than the whole of that.
 */
export class FormParams implements Iterable<[string, string]> {
  constructor(readonly pairs: readonly [string, string][]) {}

  /** The first value given for `name`, or null. */
  get(name: string): string | null {
    for (const [k, v] of this.pairs) if (k === name) return v;
    return null;
  }

  getAll(name: string): string[] {
    return this.pairs.filter(([k]) => k === name).map(([, v]) => v);
  }

  [Symbol.iterator](): Iterator<[string, string]> {
    return (this.pairs as [string, string][])[Symbol.iterator]();
  }
}

/**
 * application/x-www-form-urlencoded parsing (WHATWG URL standard), giving what URLSearchParams
 * gives: '+' is a space, percent escapes are UTF-8, and what does not decode is handed to
 * URLSearchParams itself (malformed escapes stay as written, bad UTF-8 becomes U+FFFD).
 */
export function parseForm(form: string): [string, string][] {
  const text = form.startsWith('?') ? form.slice(1) : form; // as URLSearchParams drops it
  const pairs: [string, string][] = [];
  let at = 0;
  // The next '=' at or after `at` (text.length: none): found again only once passed, so that a
  // long run of pairs without one is not searched to its end for each pair.
  let eq = -1;
  while (at <= text.length) {
    let end = text.indexOf('&', at);
    if (end < 0) end = text.length;
    if (end > at) {
      if (eq < at) {
        eq = text.indexOf('=', at);
        if (eq < 0) eq = text.length;
      }
      const split = eq > end ? end : eq;
      pairs.push([formDecode(text.slice(at, split)), split < end ? formDecode(text.slice(split + 1, end)) : '']);
    }
    at = end + 1;
  }
  return pairs;
}

function formDecode(s: string): string {
  if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
  const spaced = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return new URLSearchParams(`a=${s}`).get('a')!; // s holds no '&' (parseForm split on them)
  }
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

export function collectParams(req: RawQueryRequest): FormParams {
  const fromQuery = parseForm(req.query.startsWith('?') ? req.query.slice(1) : req.query);
  if (req.method.toUpperCase() === 'POST' && req.body !== undefined && req.body.length > 0 && isForm(req.contentType)) {
    const fromBody = parseForm(typeof req.body === 'string' ? req.body : req.body.toString('utf8'));
    if (fromQuery.length === 0) return new FormParams(fromBody);
    const inBody = new Set(fromBody.map(([k]) => k));
    return new FormParams([...fromQuery.filter(([k]) => !inBody.has(k)), ...fromBody]);
  }
  return new FormParams(fromQuery);
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

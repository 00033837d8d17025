// The route table: every request Gatehouse answers, in one place. Exact paths first; every other
// request goes to the AWS services (query APIs answer POST / and GET /?Action=…).
import { timingSafeEqual } from 'node:crypto';
import type { AuditScope } from '../audit/scope.ts';
import { AwsError, isAwsErrorLike } from '../model/errors.ts';
import { headerOf, type HttpAnswer, type HttpRequest } from '../protocol/http.ts';
import type { Route, RouteEntry } from './route.ts';

export interface RouteParts {
  /** The AWS services (api/dispatch.ts). */
  aws: Route<any>;
  /** POST /signin (authn/signin.ts). */
  signin: Route<any>;
  /** Test mode: POST /_gatehouse/reset returns the account to its bootstrap state, given this token. */
  reset?: { token: string; run(): Promise<void> };
}

export function routeTable(parts: RouteParts): RouteEntry[] {
  const table: RouteEntry[] = [{ method: 'GET', path: '/health', route: new HealthRoute() }];
  if (parts.reset !== undefined) table.push({ method: 'POST', path: '/_gatehouse/reset', route: new ResetRoute(parts.reset.token, parts.reset.run) });
  table.push({ method: 'POST', path: '/signin', route: parts.signin });
  table.push({ route: parts.aws });
  return table;
}

const JSON_TYPE = 'application/json';

/** Gatehouse's own routes answer JSON errors: { "Error": { "Code", "Message" } }. */
function jsonError(err: unknown, requestId: string): HttpAnswer {
  const e = isAwsErrorLike(err) ? err : { code: 'InternalFailure', message: 'An internal error has occurred.', status: 500 };
  return { status: e.status, body: JSON.stringify({ Error: { Code: e.code, Message: e.message } }), contentType: JSON_TYPE, requestId, log: { errorCode: e.code } };
}

/** GET /health: anyone may ask; nothing to authenticate, authorize or audit. */
class HealthRoute implements Route<null> {
  readonly name = 'health';
  readonly maxBodyBytes = 0;
  readonly audit = undefined;
  authenticate(): null {
    return null;
  }
  authorize(): void {}
  run(): unknown {
    return { status: 'ok' };
  }
  encode(_call: null, output: unknown): HttpAnswer {
    return { status: 200, body: JSON.stringify(output), contentType: JSON_TYPE, log: {} };
  }
  encodeError(err: unknown, _req: HttpRequest, requestId: string): HttpAnswer {
    return jsonError(err, requestId);
  }
}

/**
 * POST /_gatehouse/reset (test mode): authenticated by the reset token, sent as the header
 * X-Gatehouse-Reset-Token or the query parameter `token`. A cross-origin form cannot send the
 * header, and cannot know the token.
 */
class ResetRoute implements Route<null> {
  readonly name = 'reset';
  readonly maxBodyBytes = 16 * 1024;
  readonly audit = undefined;
  readonly #token: Buffer;
  readonly #reset: () => Promise<void>;

  constructor(token: string, reset: () => Promise<void>) {
    this.#token = Buffer.from(token, 'utf8');
    this.#reset = reset;
  }

  authenticate(req: HttpRequest): null {
    const given = headerOf(req, 'x-gatehouse-reset-token') ?? new URLSearchParams(req.url.slice(req.url.indexOf('?') + 1)).get('token') ?? undefined;
    if (given === undefined) throw new AwsError('MissingResetToken', 'Send the reset token as the X-Gatehouse-Reset-Token header (or the token query parameter).', 403);
    const bytes = Buffer.from(given, 'utf8');
    if (bytes.length !== this.#token.length || !timingSafeEqual(bytes, this.#token)) throw new AwsError('InvalidResetToken', 'The reset token is not valid.', 403);
    return null;
  }
  authorize(): void {}
  async run(): Promise<unknown> {
    await this.#reset();
    return { reset: true };
  }
  encode(_call: null, output: unknown): HttpAnswer {
    return { status: 200, body: JSON.stringify(output), contentType: JSON_TYPE, log: {} };
  }
  encodeError(err: unknown, _req: HttpRequest, requestId: string, _scope: AuditScope | undefined): HttpAnswer {
    return jsonError(err, requestId);
  }
}

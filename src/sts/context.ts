// What the STS operations work with: the state and the authorizer, the caller and the request's
// facts, the data key and the id source. The API's CallContext is one.
import type { Caller } from '../iam/caller.ts';
import type { AuthorizationRequest, Authorizer } from '../authz/authorizer.ts';
import type { RequestFacts } from '../authz/context.ts';
import type { PolicyView } from '../authz/policy-view.ts';
import type { Draft, IamState } from '../iam/state.ts';
import type { IdSource } from '../model/ids.ts';
import { accessDenied } from '../model/errors.ts';
import { denialMessage } from '../policy/index.ts';
import type { SecretBox } from '../store/data-key.ts';
import { encodeAuthorizationMessage } from './authorization-message.ts';
import type { CredentialSource } from './sessions.ts';

export interface StsContext {
  state: IamState;
  view: PolicyView;
  authorizer: Authorizer;
  caller: Caller;
  facts: RequestFacts;
  secrets: SecretBox;
  ids: IdSource;
  /** A transaction made for the request (api/operation.ts CallContext.transact). */
  transact<T>(fn: (tx: Draft) => T): Promise<T>;
}

/** Where new temporary credentials for `accountId` come from. */
export function credentialSource(ctx: StsContext, accountId: string): CredentialSource {
  return {
    newAccessKeyId: () => ctx.ids.accessKeyId(accountId, true),
    secretAccessKey: () => ctx.ids.secretAccessKey(),
    bytes: (n) => ctx.ids.bytes(n),
    seal: (text) => ctx.secrets.seal(text),
  };
}

/**
 * Authorizes like Authorizer.authorize, but a denial carries an encoded authorization failure
 * message (decodable with sts:DecodeAuthorizationMessage) after AWS's own text.
 */
export function authorizeWithMessage(ctx: StsContext, req: AuthorizationRequest): void {
  const { request, result } = ctx.authorizer.decide(req);
  if (result.decision === 'Allowed') return;
  const encoded = encodeAuthorizationMessage(ctx.secrets, ctx.caller.accountId, ctx.caller, request, result);
  throw accessDenied(`${denialMessage(request, result)} Encoded authorization failure message: ${encoded}`);
}

/** The long-term access key behind the caller (through any chain of sessions). */
export function sourceAccessKeyOf(ctx: StsContext): string | undefined {
  return ctx.caller.session ? ctx.caller.session.sourceAccessKeyId : ctx.caller.accessKeyId;
}

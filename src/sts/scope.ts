// What temporary credentials may call, beyond what policies say (id_credentials_temp_request,
// "Comparing the AWS STS API operations"):
// - GetSessionToken credentials call IAM only when MFA was used (AWS answers others as an invalid
//   token), and of STS only AssumeRole and GetCallerIdentity;
// - federated users call no IAM operation and, of STS, only GetCallerIdentity;
// - no temporary credentials call GetSessionToken or GetFederationToken.
import type { Caller } from '../iam/caller.ts';
import { accessDenied, invalidClientTokenId, MESSAGES } from '../model/errors.ts';

const SESSION_TOKEN_STS = new Set(['AssumeRole', 'GetCallerIdentity']);
const FEDERATED_STS = new Set(['GetCallerIdentity']);

const cannotCall = (action: string) => accessDenied(`Cannot call ${action} with session credentials`);

/** Throws when the caller's kind of temporary credentials may not call `service:action`. */
export function checkSessionScope(caller: Caller, service: string, action: string): void {
  const session = caller.session;
  if (session === undefined) return;
  if (service === 'sts' && (action === 'GetSessionToken' || action === 'GetFederationToken')) throw cannotCall(action);
  // GetSessionToken's credentials are made with an access key; console sign-in sessions (also of
  // the user itself) are made with a password and are not limited this way.
  if (session.kind === 'SessionToken' && session.sourceAccessKeyId !== undefined) {
    if (service === 'iam' && !session.mfaAuthenticated) throw invalidClientTokenId(MESSAGES.invalidClientTokenId);
    if (service === 'sts' && !SESSION_TOKEN_STS.has(action)) throw cannotCall(action);
  } else if (session.kind === 'FederatedUser') {
    if (service === 'iam') throw invalidClientTokenId(MESSAGES.invalidClientTokenId);
    if (service === 'sts' && !FEDERATED_STS.has(action)) throw cannotCall(action);
  }
}

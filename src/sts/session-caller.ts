// From a session (ASIA key) to the caller it stands for: an assumed role's session, an IAM user
// (or root) using GetSessionToken credentials, or a federated user. A session whose role or user
// is gone resolves to nothing, so its credentials are refused (InvalidClientTokenId).
import type { Caller } from '../iam/caller.ts';
import { ROOT_OWNER_ID } from '../iam/access-keys.ts';
import type { EntityOf, StateReader } from '../iam/state.ts';
import { iamArn, stsArn } from '../model/arn.ts';
import { principalTags, type SessionEntity } from './sessions.ts';
import { accountPartition } from '../iam/partition.ts';


/**
 * Callers by session entity, valid while the role or user entity they were built from is the
 * current one: entities are immutable and replaced on change, so identity says "unchanged".
 */
const built = new WeakMap<SessionEntity, { owner: object | undefined; caller: Caller }>();

export function sessionCaller(state: StateReader, session: SessionEntity): Caller | undefined {
  const s = session.data;
  const owner: EntityOf<'role'> | EntityOf<'user'> | undefined =
    s.kind === 'AssumedRole' ? state.get('role', s.roleId ?? '') : s.userId === ROOT_OWNER_ID ? undefined : state.get('user', s.userId ?? '');
  if (owner === undefined && !(s.kind !== 'AssumedRole' && s.userId === ROOT_OWNER_ID)) return undefined;
  const hit = built.get(session);
  if (hit !== undefined && hit.owner === owner) return hit.caller;
  const caller = buildCaller(session, owner, accountPartition(state, session.accountId));
  built.set(session, { owner, caller });
  return caller;
}

function buildCaller(session: SessionEntity, owner: EntityOf<'role'> | EntityOf<'user'> | undefined, partition: string): Caller {
  const s = session.data;
  const accountId = session.accountId;
  const info = {
    kind: s.kind,
    issuedAt: s.issuedAt,
    expiresAt: s.expiresAt,
    mfaAuthenticated: s.mfaAuthenticated,
    mfaAuthenticatedAt: s.mfaAuthenticatedAt,
    sourceAccessKeyId: s.sourceAccessKeyId,
    policy: s.policy,
    policyArns: s.policyArns,
    sourceIdentity: s.sourceIdentity,
  };
  if (s.kind === 'AssumedRole') {
    const role = owner as EntityOf<'role'>;
    const sessionName = s.roleSessionName!;
    return {
      principal: {
        type: 'AssumedRole',
        arn: stsArn.assumedRole(accountId, role.data.roleName, sessionName, partition),
        account: accountId,
        roleArn: role.data.arn,
      },
      accountId,
      userId: `${role.data.roleId}:${sessionName}`,
      entityId: role.data.roleId,
      accessKeyId: s.accessKeyId,
      tags: principalTags(role.data.tags, s.tags),
      session: info,
    };
  }
  const user = owner as EntityOf<'user'> | undefined;
  if (s.kind === 'FederatedUser') {
    return {
      principal: {
        type: 'FederatedUser',
        arn: stsArn.federatedUser(accountId, s.federatedName!, partition),
        account: accountId,
        sourceUserArn: user?.data.arn ?? iamArn.root(accountId, partition),
      },
      accountId,
      userId: `${accountId}:${s.federatedName}`,
      entityId: user?.data.userId,
      accessKeyId: s.accessKeyId,
      tags: s.tags,
      session: info,
    };
  }
  // GetSessionToken: the same principal as the long-term credentials, with a session.
  if (user === undefined) {
    return {
      principal: { type: 'Root', arn: iamArn.root(accountId, partition), account: accountId },
      accountId,
      userId: accountId,
      accessKeyId: s.accessKeyId,
      tags: [],
      session: info,
    };
  }
  return {
    principal: { type: 'IAMUser', arn: user.data.arn, account: accountId },
    accountId,
    userId: user.data.userId,
    userName: user.data.userName,
    entityId: user.data.userId,
    accessKeyId: s.accessKeyId,
    tags: user.data.tags,
    session: info,
  };
}

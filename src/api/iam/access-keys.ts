// Access key operations on the wire: CreateAccessKey, UpdateAccessKey, DeleteAccessKey,
// ListAccessKeys, GetAccessKeyLastUsed. Without a UserName they act on the caller's own keys
// (an IAM user's, or the root user's); role sessions must name a user, as in AWS. Access keys for
// the root user are refused unless Gatehouse was started with --allow-root-access-keys.
import { accessKeysOf, createAccessKey, deleteAccessKey, noSuchAccessKey, ROOT_OWNER_ID, updateAccessKey } from '../../iam/access-keys.ts';
import type { AccessKeyStatus } from '../../iam/entities.ts';
import type { EntityOf } from '../../iam/state.ts';
import { resourceTagContext } from '../../iam/tags.ts';
import { iamArn } from '../../model/arn.ts';
import { accessDenied } from '../../model/errors.ts';
import { paginate } from '../../protocol/paginate.ts';
import type { AuthorizationTarget, CallContext, Operations } from '../operation.ts';
import { credentialChange, ownerOf, ownerTarget, type CredentialOwner } from './owners.ts';

function keyMetadata(key: EntityOf<'accessKey'>, owner: CredentialOwner): Record<string, unknown> {
  // Root keys have no user name to report.
  return { UserName: owner.user?.data.userName, AccessKeyId: key.id, Status: key.data.status, CreateDate: key.data.createDate };
}

/** The owner of an existing key of this account (undefined for unknown keys and other accounts' keys). */
function keyOwner(call: CallContext, key: EntityOf<'accessKey'> | undefined): CredentialOwner | undefined {
  if (key === undefined || key.accountId !== call.accountId) return undefined;
  if (key.data.userId === ROOT_OWNER_ID) return { ownerId: ROOT_OWNER_ID, arn: iamArn.root(call.accountId, call.partition) };
  const user = call.state.get('user', key.data.userId);
  return user && { ownerId: user.id, arn: user.data.arn, user };
}

function keyTarget(call: CallContext, accessKeyId: string): AuthorizationTarget {
  const owner = keyOwner(call, call.state.accessKey(accessKeyId));
  if (owner === undefined) return { resource: `arn:${call.partition}:iam::${call.accountId}:user/*` };
  return { resource: owner.arn, context: resourceTagContext(owner.user?.data.tags) };
}

export const ROOT_ACCESS_KEYS_REFUSED =
  'Access keys for the root user are disabled on this Gatehouse. Use an IAM user or role; to allow them anyway, start Gatehouse with --allow-root-access-keys (GATEHOUSE_ALLOW_ROOT_ACCESS_KEYS).';

export const accessKeyOperations: Operations = {
  CreateAccessKey: {
    target: (input, call) => ownerTarget(call, input.UserName),
    async run(input, call, { allowRootAccessKeys }) {
      const secret = call.ids.secretAccessKey();
      const secretEncrypted = call.secrets.seal(secret);
      // The answer less the secret is made inside the transaction: its event records that.
      const made = await call.transact((tx) => {
        const owner = ownerOf(call, input.UserName, tx);
        if (owner.ownerId === ROOT_OWNER_ID && !allowRootAccessKeys) throw accessDenied(ROOT_ACCESS_KEYS_REFUSED);
        const key = createAccessKey(tx, {
          accountId: call.accountId,
          ownerId: owner.ownerId,
          newAccessKeyId: () => call.ids.accessKeyId(call.accountId),
          secretEncrypted,
          now: call.clock.now().toISOString(),
        });
        return { AccessKey: keyMetadata(key, owner) };
      });
      // The only time the secret leaves Gatehouse.
      return { AccessKey: { ...made.AccessKey, SecretAccessKey: secret } };
    },
  },

  UpdateAccessKey: credentialChange((tx, ownerId, input, call) => updateAccessKey(tx, call.accountId, ownerId, input.AccessKeyId, input.Status as AccessKeyStatus)),

  DeleteAccessKey: credentialChange((tx, ownerId, input, call) => deleteAccessKey(tx, call.accountId, ownerId, input.AccessKeyId)),

  ListAccessKeys: {
    target: (input, call) => ownerTarget(call, input.UserName),
    run(input, call) {
      const owner = ownerOf(call, input.UserName);
      const keys = accessKeysOf(call.state, call.accountId, owner.ownerId);
      const { page, isTruncated, marker } = paginate(keys, input.Marker, input.MaxItems);
      return { AccessKeyMetadata: page.map((k) => keyMetadata(k, owner)), IsTruncated: isTruncated, Marker: marker };
    },
  },

  GetAccessKeyLastUsed: {
    target: (input, call) => keyTarget(call, input.AccessKeyId),
    run(input, call) {
      const key = call.state.accessKey(input.AccessKeyId);
      const owner = keyOwner(call, key);
      // Keys of other accounts are as unknown as keys that never existed.
      if (key === undefined || owner === undefined) throw noSuchAccessKey(input.AccessKeyId);
      const last = key.data.lastUsed;
      return {
        UserName: owner.user?.data.userName,
        // Never used: AWS answers N/A for the service and region and no date.
        AccessKeyLastUsed: last
          ? { LastUsedDate: last.date, ServiceName: last.serviceName, Region: last.region }
          : { ServiceName: 'N/A', Region: 'N/A' },
      };
    },
  },
};

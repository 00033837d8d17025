// SSH public key operations on the wire: UploadSSHPublicKey, GetSSHPublicKey, ListSSHPublicKeys,
// UpdateSSHPublicKey, DeleteSSHPublicKey. All but the list name their user; the list without a
// UserName is the caller's own (owners.ts).
import type { AccessKeyStatus } from '../../iam/entities.ts';
import { requireUser } from '../../iam/require.ts';
import {
  deleteSshPublicKey,
  encodeSshPublicKey,
  parseSshPublicKey,
  requireOwnSshPublicKey,
  sshPublicKeysOf,
  updateSshPublicKey,
  uploadSshPublicKey,
} from '../../iam/ssh-public-keys.ts';
import type { EntityOf } from '../../iam/state.ts';
import { paginate } from '../../protocol/paginate.ts';
import { changeOperation, type Operations } from '../operation.ts';
import { ownerOf, ownerTarget } from './owners.ts';
import type { Members } from './shapes.ts';
import { theUser } from './targets.ts';

/** The SSHPublicKey shape, the body in the encoding asked for. */
function keyOutput(key: EntityOf<'sshPublicKey'>, userName: string, encoding: 'SSH' | 'PEM'): Members {
  const d = key.data;
  return {
    UserName: userName,
    SSHPublicKeyId: d.sshPublicKeyId,
    Fingerprint: d.fingerprint,
    SSHPublicKeyBody: encodeSshPublicKey(d.blob, encoding),
    Status: d.status,
    UploadDate: d.uploadDate,
  };
}

export const sshPublicKeyOperations: Operations = {
  UploadSSHPublicKey: {
    target: theUser,
    async run(input, call) {
      const parsed = parseSshPublicKey(input.SSHPublicKeyBody);
      return call.transact((tx) => {
        const user = requireUser(tx, call.accountId, input.UserName);
        const key = uploadSshPublicKey(tx, {
          accountId: call.accountId,
          userId: user.id,
          ...parsed,
          newKeyId: () => call.ids.sshPublicKeyId(),
          now: call.clock.now().toISOString(),
        });
        return { SSHPublicKey: keyOutput(key, user.data.userName, 'SSH') };
      });
    },
  },

  GetSSHPublicKey: {
    target: theUser,
    run(input, call) {
      const user = requireUser(call.state, call.accountId, input.UserName);
      const key = requireOwnSshPublicKey(call.state, call.accountId, user.id, input.SSHPublicKeyId);
      return { SSHPublicKey: keyOutput(key, user.data.userName, input.Encoding as 'SSH' | 'PEM') };
    },
  },

  // The list leaves out each key's body and fingerprint (SSHPublicKeyMetadata).
  ListSSHPublicKeys: {
    target: (input, call) => ownerTarget(call, input.UserName),
    run(input, call) {
      const owner = ownerOf(call, input.UserName);
      const userName = owner.user?.data.userName ?? call.accountId;
      const { page, isTruncated, marker } = paginate(sshPublicKeysOf(call.state, call.accountId, owner.ownerId), input.Marker, input.MaxItems);
      return {
        SSHPublicKeys: page.map((k) => ({ UserName: userName, SSHPublicKeyId: k.data.sshPublicKeyId, Status: k.data.status, UploadDate: k.data.uploadDate })),
        IsTruncated: isTruncated,
        Marker: marker,
      };
    },
  },

  UpdateSSHPublicKey: changeOperation(theUser, (tx, input, call) =>
    updateSshPublicKey(tx, call.accountId, requireUser(tx, call.accountId, input.UserName).id, input.SSHPublicKeyId, input.Status as AccessKeyStatus),
  ),

  DeleteSSHPublicKey: changeOperation(theUser, (tx, input, call) =>
    deleteSshPublicKey(tx, call.accountId, requireUser(tx, call.accountId, input.UserName).id, input.SSHPublicKeyId),
  ),
};

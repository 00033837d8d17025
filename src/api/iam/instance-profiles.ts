// IAM instance profile operations on the wire: Create/Get/Delete/ListInstanceProfiles,
// Add/RemoveRoleToInstanceProfile, ListInstanceProfilesForRole and the tagging operations.
import { addRoleToInstanceProfile, createInstanceProfile, deleteInstanceProfile, removeRoleFromInstanceProfile } from '../../iam/instance-profiles.ts';
import { requireInstanceProfile, requireRole } from '../../iam/require.ts';
import { instanceProfilesOfRole } from '../../iam/role-protection.ts';
import { iamArn } from '../../model/arn.ts';
import { changeOperation, type Operations } from '../operation.ts';
import { listUnderPath, pageByName } from './listings.ts';
import { instanceProfileOutput, listedInstanceProfileOutput } from './shapes.ts';
import { tagOperations } from './tagging.ts';
import { creationTarget, instanceProfileTarget, theInstanceProfile, theRole } from './targets.ts';

export const instanceProfileOperations: Operations = {
  CreateInstanceProfile: {
    target: (input, call) => creationTarget(iamArn.instanceProfile(call.accountId, input.Path ?? '/', input.InstanceProfileName, call.partition), input),
    async run(input, call) {
      const ids = { instanceProfileId: call.ids.instanceProfileId(), now: call.clock.now().toISOString() };
      return call.transact((tx) => {
        const profile = createInstanceProfile(tx, call.accountId, { instanceProfileName: input.InstanceProfileName, path: input.Path, tags: input.Tags }, ids);
        return { InstanceProfile: instanceProfileOutput(tx, profile, true) };
      });
    },
  },

  GetInstanceProfile: {
    target: theInstanceProfile,
    run(input, call) {
      const profile = requireInstanceProfile(call.state, call.accountId, input.InstanceProfileName);
      return { InstanceProfile: instanceProfileOutput(call.state, profile, true) };
    },
  },

  DeleteInstanceProfile: changeOperation(theInstanceProfile, (tx, input, call) => deleteInstanceProfile(tx, call.accountId, input.InstanceProfileName)),

  ListInstanceProfiles: listUnderPath('instanceProfile', 'InstanceProfiles', listedInstanceProfileOutput),

  AddRoleToInstanceProfile: changeOperation(theInstanceProfile, (tx, input, call) =>
    addRoleToInstanceProfile(tx, call.accountId, input.InstanceProfileName, input.RoleName),
  ),

  RemoveRoleFromInstanceProfile: changeOperation(theInstanceProfile, (tx, input, call) =>
    removeRoleFromInstanceProfile(tx, call.accountId, input.InstanceProfileName, input.RoleName),
  ),

  ListInstanceProfilesForRole: {
    target: theRole,
    run(input, call) {
      const role = requireRole(call.state, call.accountId, input.RoleName);
      const { page, isTruncated, marker } = pageByName(instanceProfilesOfRole(call.state, call.accountId, role.id), input);
      return { InstanceProfiles: page.map((p) => listedInstanceProfileOutput(p, call.state)), IsTruncated: isTruncated, Marker: marker };
    },
  },

  ...tagOperations({ noun: 'InstanceProfile', member: 'InstanceProfileName', target: instanceProfileTarget, require: requireInstanceProfile }),
};

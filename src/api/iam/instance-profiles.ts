// IAM instance profile operations on the wire: Create/Get/Delete/ListInstanceProfiles,
// Add/RemoveRoleToInstanceProfile, ListInstanceProfilesForRole and the tagging operations.
import type { Tag } from '../../iam/entities.ts';
import {
  addRoleToInstanceProfile,
  createInstanceProfile,
  deleteInstanceProfile,
  removeRoleFromInstanceProfile,
  rolesOf,
  tagInstanceProfile,
  untagInstanceProfile,
} from '../../iam/instance-profiles.ts';
import { requireInstanceProfile, requireRole } from '../../iam/require.ts';
import { instanceProfilesOfRole } from '../../iam/role-protection.ts';
import type { EntityOf, StateReader } from '../../iam/state.ts';
import { requestTagContext, resourceTagContext } from '../../iam/tags.ts';
import { nameOrderKey } from '../../iam/users.ts';
import { iamArn } from '../../model/arn.ts';
import { paginate } from '../../protocol/paginate.ts';
import type { AuthorizationTarget, CallContext, Input, OperationTable } from '../operation.ts';
import { roleOutput, roleTarget } from './roles.ts';

/** The InstanceProfile shape; listings leave the tags out, as AWS does. */
export function instanceProfileOutput(state: StateReader, profile: EntityOf<'instanceProfile'>, withTags: boolean): Record<string, unknown> {
  const d = profile.data;
  const out: Record<string, unknown> = {
    Path: d.path,
    InstanceProfileName: d.instanceProfileName,
    InstanceProfileId: d.instanceProfileId,
    Arn: d.arn,
    CreateDate: d.createDate,
    Roles: rolesOf(state, profile).map((r) => roleOutput(r, 'list')),
  };
  if (withTags && d.tags.length > 0) out.Tags = d.tags.map((t) => ({ Key: t.Key, Value: t.Value }));
  return out;
}

function profileTarget(call: CallContext, name: string, extra?: AuthorizationTarget['context']): AuthorizationTarget {
  const profile = call.state.byName('instanceProfile', call.accountId, name);
  if (profile === undefined) return { resource: iamArn.instanceProfile(call.accountId, '/', name), context: extra };
  return { resource: profile.data.arn, context: { ...resourceTagContext(profile.data.tags), ...extra } };
}

function tagsOf(input: Input): Tag[] | undefined {
  return input.Tags as Tag[] | undefined;
}

export const instanceProfileOperations: OperationTable = {
  CreateInstanceProfile: {
    target: (input, call) => ({
      resource: iamArn.instanceProfile(call.accountId, input.Path ?? '/', input.InstanceProfileName),
      context: requestTagContext(tagsOf(input)),
    }),
    async run(input, call) {
      const ids = { instanceProfileId: call.ids.instanceProfileId(), now: call.clock.now().toISOString() };
      return call.transact((tx) => {
        const profile = createInstanceProfile(tx, call.accountId, { instanceProfileName: input.InstanceProfileName, path: input.Path, tags: tagsOf(input) }, ids);
        return { InstanceProfile: instanceProfileOutput(tx, profile, true) };
      });
    },
  },

  GetInstanceProfile: {
    target: (input, call) => profileTarget(call, input.InstanceProfileName),
    run(input, call) {
      const profile = requireInstanceProfile(call.state, call.accountId, input.InstanceProfileName);
      return { InstanceProfile: instanceProfileOutput(call.state, profile, true) };
    },
  },

  DeleteInstanceProfile: {
    target: (input, call) => profileTarget(call, input.InstanceProfileName),
    async run(input, call) {
      await call.transact((tx) => deleteInstanceProfile(tx, call.accountId, input.InstanceProfileName));
      return {};
    },
  },

  ListInstanceProfiles: {
    target: (input, call) => ({ resource: `arn:aws:iam::${call.accountId}:instance-profile${input.PathPrefix ?? '/'}` }),
    run(input, call) {
      const prefix: string = input.PathPrefix ?? '/';
      const all = call.state.list('instanceProfile', call.accountId);
      const profiles = prefix === '/' ? all : all.filter((p) => p.data.path.startsWith(prefix));
      const { page, isTruncated, marker } = paginate(profiles, input.Marker, input.MaxItems, { keyOf: nameOrderKey });
      return { InstanceProfiles: page.map((p) => instanceProfileOutput(call.state, p, false)), IsTruncated: isTruncated, Marker: marker };
    },
  },

  AddRoleToInstanceProfile: {
    target: (input, call) => profileTarget(call, input.InstanceProfileName),
    async run(input, call) {
      await call.transact((tx) => addRoleToInstanceProfile(tx, call.accountId, input.InstanceProfileName, input.RoleName));
      return {};
    },
  },

  RemoveRoleFromInstanceProfile: {
    target: (input, call) => profileTarget(call, input.InstanceProfileName),
    async run(input, call) {
      await call.transact((tx) => removeRoleFromInstanceProfile(tx, call.accountId, input.InstanceProfileName, input.RoleName));
      return {};
    },
  },

  ListInstanceProfilesForRole: {
    target: (input, call) => roleTarget(call, input.RoleName),
    run(input, call) {
      const role = requireRole(call.state, call.accountId, input.RoleName);
      const profiles = instanceProfilesOfRole(call.state, call.accountId, role.id);
      const { page, isTruncated, marker } = paginate(profiles, input.Marker, input.MaxItems, { keyOf: nameOrderKey });
      return { InstanceProfiles: page.map((p) => instanceProfileOutput(call.state, p, false)), IsTruncated: isTruncated, Marker: marker };
    },
  },

  TagInstanceProfile: {
    target: (input, call) => profileTarget(call, input.InstanceProfileName, requestTagContext(tagsOf(input))),
    async run(input, call) {
      await call.transact((tx) => tagInstanceProfile(tx, call.accountId, input.InstanceProfileName, tagsOf(input) ?? []));
      return {};
    },
  },

  UntagInstanceProfile: {
    target: (input, call) => profileTarget(call, input.InstanceProfileName, requestTagContext(undefined, input.TagKeys as string[])),
    async run(input, call) {
      await call.transact((tx) => untagInstanceProfile(tx, call.accountId, input.InstanceProfileName, input.TagKeys as string[]));
      return {};
    },
  },

  ListInstanceProfileTags: {
    target: (input, call) => profileTarget(call, input.InstanceProfileName),
    run(input, call) {
      const profile = requireInstanceProfile(call.state, call.accountId, input.InstanceProfileName);
      const { page, isTruncated, marker } = paginate(profile.data.tags, input.Marker, input.MaxItems);
      return { Tags: page.map((t) => ({ Key: t.Key, Value: t.Value })), IsTruncated: isTruncated, Marker: marker };
    },
  },
};

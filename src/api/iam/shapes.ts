// The IAM output shapes the operations share (User, Group, Role, InstanceProfile, Policy,
// PolicyVersion, PermissionsBoundary, Tag), built from the domain's entities. Member names are
// AWS's; the encoder writes only the members the operation's output shape has, in its order.
import type { PolicyUsage } from '../../iam/attachments.ts';
import type { PolicyVersion, RoleLastUsed, Tag } from '../../iam/entities.ts';
import { rolesOf } from '../../iam/instance-profiles.ts';
import type { ManagedPolicyInfo } from '../../iam/policies.ts';
import type { EntityOf, StateReader } from '../../iam/state.ts';

/** An output shape's members. */
export type Members = Record<string, unknown>;

/** A Tag as AWS answers it. */
export function tagOutput(tag: Tag): Tag {
  return { Key: tag.Key, Value: tag.Value };
}

/** The PermissionsBoundary member of a User or Role that has one. */
function permissionsBoundaryOutput(arn: string): Members {
  return { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn };
}

/** RoleLastUsed: empty until a session of the role has made a call. */
function roleLastUsedOutput(last: RoleLastUsed | undefined): Members {
  return last ? { LastUsedDate: last.lastUsedDate, Region: last.region } : {};
}

/** List answers' User shapes by entity version (entities are immutable, so each is made once). */
const listedUsers = new WeakMap<EntityOf<'user'>, Readonly<Members>>();

/** The User shape. `detail` adds what only GetUser and CreateUser answer (tags, boundary). */
export function userOutput(user: EntityOf<'user'>, detail = false): Readonly<Members> {
  if (!detail) {
    let out = listedUsers.get(user);
    if (out === undefined) listedUsers.set(user, (out = Object.freeze(userShape(user, false))));
    return out;
  }
  return userShape(user, true);
}

/** The User shape of listings (ListUsers, GetGroup, …): a function of one argument, for `map`. */
export function listedUserOutput(user: EntityOf<'user'>): Readonly<Members> {
  return userOutput(user);
}

function userShape(user: EntityOf<'user'>, detail: boolean): Members {
  const d = user.data;
  const out: Members = { Path: d.path, UserName: d.userName, UserId: d.userId, Arn: d.arn, CreateDate: d.createDate, PasswordLastUsed: d.passwordLastUsed };
  if (detail) {
    if (d.permissionsBoundaryArn !== undefined) out.PermissionsBoundary = permissionsBoundaryOutput(d.permissionsBoundaryArn);
    if (d.tags.length > 0) out.Tags = d.tags.map(tagOutput);
  }
  return out;
}

export function groupOutput(group: EntityOf<'group'>): Members {
  const d = group.data;
  return { Path: d.path, GroupName: d.groupName, GroupId: d.groupId, Arn: d.arn, CreateDate: d.createDate };
}

/**
 * How much of a Role an answer has. ListRoles leaves out the boundary, the tags and RoleLastUsed
 * ("IAM resource-listing operations return a subset of the available attributes"), and the roles
 * inside instance profiles MaxSessionDuration as well; GetRole has them all; CreateRole and
 * CreateServiceLinkedRole all but RoleLastUsed and MaxSessionDuration. As the API reference's
 * examples and AWS's answers show them.
 */
export type RoleDetail = 'list' | 'profile' | 'created' | 'full';

export function roleOutput(role: EntityOf<'role'>, detail: RoleDetail = 'full'): Members {
  const d = role.data;
  const out: Members = {
    Path: d.path,
    RoleName: d.roleName,
    RoleId: d.roleId,
    Arn: d.arn,
    CreateDate: d.createDate,
    AssumeRolePolicyDocument: d.assumeRolePolicyDocument,
    Description: d.description,
    MaxSessionDuration: detail === 'created' || detail === 'profile' ? undefined : d.maxSessionDuration,
  };
  if (detail === 'created' || detail === 'full') {
    if (d.permissionsBoundaryArn !== undefined) out.PermissionsBoundary = permissionsBoundaryOutput(d.permissionsBoundaryArn);
    if (d.tags.length > 0) out.Tags = d.tags.map(tagOutput);
    if (detail === 'full') out.RoleLastUsed = roleLastUsedOutput(d.roleLastUsed);
  }
  return out;
}

/** The Role shape of ListRoles: a function of one argument, for `map`. */
export function listedRoleOutput(role: EntityOf<'role'>): Members {
  return roleOutput(role, 'list');
}

function profileRoleOutput(role: EntityOf<'role'>): Members {
  return roleOutput(role, 'profile');
}

/** The InstanceProfile shape, with its roles; listings leave the tags out, as AWS does. */
export function instanceProfileOutput(state: StateReader, profile: EntityOf<'instanceProfile'>, withTags: boolean): Members {
  const d = profile.data;
  const out: Members = { Path: d.path, InstanceProfileName: d.instanceProfileName, InstanceProfileId: d.instanceProfileId, Arn: d.arn, CreateDate: d.createDate };
  out.Roles = rolesOf(state, profile).map(profileRoleOutput);
  if (withTags && d.tags.length > 0) out.Tags = d.tags.map(tagOutput);
  return out;
}

/** The InstanceProfile shape of listings, with the state it reads the roles from. */
export function listedInstanceProfileOutput(profile: EntityOf<'instanceProfile'>, state: StateReader): Members {
  return instanceProfileOutput(state, profile, false);
}

/**
 * How much of a Policy an answer has, as AWS answers: ListPolicies leaves out the description and
 * the tags; CreatePolicy the description; GetPolicy has both, Tags even when there are none.
 */
export type PolicyDetail = 'list' | 'created' | 'full';

export function policyOutput(p: ManagedPolicyInfo, usage: PolicyUsage, detail: PolicyDetail): Members {
  const out: Members = {
    PolicyName: p.policyName,
    PolicyId: p.policyId,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersionId,
    AttachmentCount: usage.attachmentCount,
    PermissionsBoundaryUsageCount: usage.boundaryUsageCount,
    IsAttachable: true,
    CreateDate: p.createDate,
    UpdateDate: p.updateDate,
  };
  if (detail === 'full') {
    out.Description = p.description;
    out.Tags = p.tags.map(tagOutput);
  } else if (detail === 'created' && p.tags.length > 0) {
    out.Tags = p.tags.map(tagOutput);
  }
  return out;
}

export function versionOutput(v: PolicyVersion, defaultVersionId: string, withDocument = true): Members {
  return {
    Document: withDocument ? v.document : undefined,
    VersionId: v.versionId,
    IsDefaultVersion: v.versionId === defaultVersionId,
    CreateDate: v.createDate,
  };
}

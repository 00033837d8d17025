// IAM user operations on the wire: CreateUser, GetUser, UpdateUser, DeleteUser, ListUsers,
// TagUser, UntagUser, ListUserTags. Also the helpers other identity operations share: the User
// shape, the authorization target of a named user, and "the caller as a user".
import { requestContext } from '../../authz/context.ts';
import { ROOT_OWNER_ID } from '../../iam/access-keys.ts';
import type { Tag } from '../../iam/entities.ts';
import { requireUser } from '../../iam/require.ts';
import type { EntityOf, StateReader } from '../../iam/state.ts';
import { requestTagContext, resourceTagContext } from '../../iam/tags.ts';
import { createUser, deleteUser, nameOrderKey, tagUser, untagUser, updateUser, usersUnderPath } from '../../iam/users.ts';
import { iamArn } from '../../model/arn.ts';
import { validationError } from '../../model/errors.ts';
import { paginate } from '../../protocol/paginate.ts';
import type { AuthorizationTarget, CallContext, Input, OperationTable } from '../operation.ts';

/** List answers' User shapes by entity version (entities are immutable, so each is made once). */
const listed = new WeakMap<EntityOf<'user'>, Readonly<Record<string, unknown>>>();

/** The User shape. `detail` adds what only GetUser and CreateUser answer (tags, boundary). */
export function userOutput(user: EntityOf<'user'>, detail = false): Readonly<Record<string, unknown>> {
  if (!detail) {
    let out = listed.get(user);
    if (out === undefined) listed.set(user, (out = Object.freeze(userShape(user, false))));
    return out;
  }
  return userShape(user, true);
}

function userShape(user: EntityOf<'user'>, detail: boolean): Record<string, unknown> {
  const d = user.data;
  const out: Record<string, unknown> = {
    Path: d.path,
    UserName: d.userName,
    UserId: d.userId,
    Arn: d.arn,
    CreateDate: d.createDate,
    PasswordLastUsed: d.passwordLastUsed,
  };
  if (detail) {
    if (d.permissionsBoundaryArn !== undefined) {
      out.PermissionsBoundary = { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: d.permissionsBoundaryArn };
    }
    if (d.tags.length > 0) out.Tags = d.tags.map((t) => ({ Key: t.Key, Value: t.Value }));
  }
  return out;
}

/** The user's ARN (with its path) and tags when it exists, else the ARN AWS would check. */
export function userTarget(call: CallContext, userName: string): AuthorizationTarget {
  const user = call.state.byName('user', call.accountId, userName);
  if (user === undefined) return { resource: iamArn.user(call.accountId, '/', userName) };
  return { resource: user.data.arn, context: resourceTagContext(user.data.tags) };
}

/** Who owns credentials an operation acts on: a named user, or the caller itself. */
export interface CredentialOwner {
  /** The user id, or ROOT_OWNER_ID for the root user. */
  ownerId: string;
  arn: string;
  /** Absent for the root user. */
  user?: EntityOf<'user'>;
}

const NON_USER_CALLER = 'Must specify userName when calling with non-User credentials';

/** The caller as the owner of credentials: its own user, or the root user; roles and sessions must name a user. */
export function callerAsOwner(call: CallContext, state: StateReader = call.state): CredentialOwner {
  const p = call.caller.principal;
  if (p.type === 'Root') return { ownerId: ROOT_OWNER_ID, arn: iamArn.root(call.accountId) };
  if (p.type === 'IAMUser' && call.caller.entityId !== undefined) {
    const user = state.get('user', call.caller.entityId);
    if (user !== undefined) return { ownerId: user.id, arn: user.data.arn, user };
  }
  throw validationError(NON_USER_CALLER);
}

/**
 * The owner an operation's optional UserName names (absent: the caller), read from `state` (pass
 * the transaction's draft when writing). Throws NoSuchEntity.
 */
export function ownerOf(call: CallContext, userName: string | undefined, state: StateReader = call.state): CredentialOwner {
  if (userName === undefined) return callerAsOwner(call, state);
  const user = requireUser(state, call.accountId, userName);
  return { ownerId: user.id, arn: user.data.arn, user };
}

/** The authorization target of an operation on a user's credentials (optional UserName). */
export function ownerTarget(call: CallContext, userName: string | undefined): AuthorizationTarget {
  if (userName !== undefined) return userTarget(call, userName);
  const owner = callerAsOwner(call);
  return { resource: owner.arn, context: resourceTagContext(owner.user?.data.tags) };
}

/**
 * AWS authorizes a rename (UpdateUser, UpdateGroup) on the new name and path too: the caller
 * needs permission on both the source and the target.
 */
export function authorizeRename(call: CallContext, kind: 'user' | 'group', name: string, newName: string | undefined, newPath: string | undefined): void {
  if (newName === undefined && newPath === undefined) return;
  const current = call.state.byName(kind, call.accountId, name);
  if (current === undefined) return; // the operation answers NoSuchEntity
  const d = current.data as { path: string; arn: string; userName?: string; groupName?: string };
  const newArn = iamArn[kind](call.accountId, newPath ?? d.path, newName ?? d.userName ?? d.groupName!);
  if (newArn === d.arn) return;
  const action = kind === 'user' ? 'iam:UpdateUser' : 'iam:UpdateGroup';
  call.authorizer.authorize({ caller: call.caller, action, resource: newArn, context: requestContext(call.caller, call.facts) });
}

function tagsOf(input: Input): Tag[] | undefined {
  return input.Tags as Tag[] | undefined;
}

/** List* operations: AWS checks them on the type and the path prefix (arn:aws:iam::123456789012:user/, as its denials show). */
export function listTarget(call: CallContext, type: 'user' | 'group', pathPrefix: string | undefined): AuthorizationTarget {
  return { resource: `arn:aws:iam::${call.accountId}:${type}${pathPrefix ?? '/'}` };
}

export const userOperations: OperationTable = {
  CreateUser: {
    target: (input, call) => ({
      resource: iamArn.user(call.accountId, input.Path ?? '/', input.UserName),
      context: {
        ...requestTagContext(tagsOf(input)),
        'iam:PermissionsBoundary': input.PermissionsBoundary as string | undefined,
      },
    }),
    async run(input, call) {
      // The answer is made inside the transaction: its event records it (audit/recorder.ts).
      return call.transact((tx) => {
        const user = createUser(tx, {
          accountId: call.accountId,
          userName: input.UserName,
          userId: call.ids.userId(),
          path: input.Path,
          tags: tagsOf(input),
          permissionsBoundaryArn: input.PermissionsBoundary,
          now: call.clock.now().toISOString(),
        });
        return { User: userOutput(user, true) };
      });
    },
  },

  GetUser: {
    target: (input, call) => (input.UserName !== undefined ? userTarget(call, input.UserName) : ownerTarget(call, undefined)),
    run(input, call) {
      if (input.UserName !== undefined) return { User: userOutput(requireUser(call.state, call.accountId, input.UserName), true) };
      const owner = callerAsOwner(call);
      if (owner.user !== undefined) return { User: userOutput(owner.user, true) };
      // The root user: AWS answers its id (the account id), ARN and creation, without a name or path.
      const account = call.state.get('account', call.accountId);
      return { User: { UserId: call.accountId, Arn: owner.arn, CreateDate: account?.data.createDate ?? new Date(0).toISOString() } };
    },
  },

  UpdateUser: {
    target: (input, call) => userTarget(call, input.UserName),
    async run(input, call) {
      authorizeRename(call, 'user', input.UserName, input.NewUserName, input.NewPath);
      await call.transact((tx) =>
        updateUser(tx, call.accountId, input.UserName, { newUserName: input.NewUserName, newPath: input.NewPath }),
      );
    },
  },

  DeleteUser: {
    target: (input, call) => userTarget(call, input.UserName),
    async run(input, call) {
      await call.transact((tx) => deleteUser(tx, call.accountId, input.UserName));
    },
  },

  ListUsers: {
    target: (input, call) => listTarget(call, 'user', input.PathPrefix),
    run(input, call) {
      const users = usersUnderPath(call.state, call.accountId, input.PathPrefix);
      const { page, isTruncated, marker } = paginate(users, input.Marker, input.MaxItems, { keyOf: nameOrderKey });
      // AWS leaves tags and the boundary out of ListUsers (GetUser has them).
      return { Users: page.map((u) => userOutput(u)), IsTruncated: isTruncated, Marker: marker };
    },
  },

  TagUser: {
    target: (input, call) => {
      const t = userTarget(call, input.UserName);
      return { resource: t.resource, context: { ...t.context, ...requestTagContext(tagsOf(input)) } };
    },
    async run(input, call) {
      await call.transact((tx) => tagUser(tx, call.accountId, input.UserName, tagsOf(input) ?? []));
    },
  },

  UntagUser: {
    target: (input, call) => {
      const t = userTarget(call, input.UserName);
      return { resource: t.resource, context: { ...t.context, ...requestTagContext(undefined, input.TagKeys as string[]) } };
    },
    async run(input, call) {
      await call.transact((tx) => untagUser(tx, call.accountId, input.UserName, (input.TagKeys as string[]) ?? []));
    },
  },

  ListUserTags: {
    target: (input, call) => userTarget(call, input.UserName),
    run(input, call) {
      const user = requireUser(call.state, call.accountId, input.UserName);
      const { page, isTruncated, marker } = paginate(user.data.tags, input.Marker, input.MaxItems);
      return { Tags: page.map((t) => ({ Key: t.Key, Value: t.Value })), IsTruncated: isTruncated, Marker: marker };
    },
  },
};

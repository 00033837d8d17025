// Permissions boundaries on the wire: Put/Delete{User,Role}PermissionsBoundary. AWS sets
// iam:PermissionsBoundary to the boundary being put, or to the one being removed.
import {
  deleteRolePermissionsBoundary,
  deleteUserPermissionsBoundary,
  putRolePermissionsBoundary,
  putUserPermissionsBoundary,
} from '../../iam/boundaries.ts';
import { changeOperation, type OperationDefinition, type Operations } from '../operation.ts';
import { principalNameOf as nameOf, principalTarget, thePrincipal } from './targets.ts';

const PUT = { user: putUserPermissionsBoundary, role: putRolePermissionsBoundary };
const DELETE = { user: deleteUserPermissionsBoundary, role: deleteRolePermissionsBoundary };

function put(kind: 'user' | 'role'): OperationDefinition {
  return changeOperation(
    (input, call) => principalTarget(call, kind, nameOf(input, kind), { 'iam:PermissionsBoundary': input.PermissionsBoundary }),
    (tx, input, call) => PUT[kind](tx, call.accountId, nameOf(input, kind), input.PermissionsBoundary),
  );
}

function remove(kind: 'user' | 'role'): OperationDefinition {
  return changeOperation(thePrincipal(kind), (tx, input, call) => DELETE[kind](tx, call.accountId, nameOf(input, kind)));
}

export const boundaryOperations: Operations = {
  PutUserPermissionsBoundary: put('user'),
  PutRolePermissionsBoundary: put('role'),
  DeleteUserPermissionsBoundary: remove('user'),
  DeleteRolePermissionsBoundary: remove('role'),
};

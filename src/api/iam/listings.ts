// Pages of entities in name order (the order StateReader.list gives; the marker remembers the
// last name), and the List* operations of what lives under a path: ListUsers, ListGroups,
// ListRoles, ListInstanceProfiles, authorized on the type and the path prefix.
import { nameOrderKey, underPath, type PathKind } from '../../iam/paths.ts';
import type { EntityOf, StateReader } from '../../iam/state.ts';
import { paginate, type Page } from '../../protocol/paginate.ts';
import type { Input, OperationDefinition } from '../operation.ts';
import { listTarget } from './targets.ts';

const BY_NAME = { keyOf: nameOrderKey };

/** The page of `entities` (in name order) the input's Marker and MaxItems ask for. */
export function pageByName<E extends { id: string; name?: string }>(entities: readonly E[], input: Input): Page<E> {
  return paginate(entities, input.Marker, input.MaxItems, BY_NAME);
}

const ARN_TYPE: Readonly<Record<PathKind, 'user' | 'group' | 'role' | 'instance-profile'>> = {
  user: 'user',
  group: 'group',
  role: 'role',
  instanceProfile: 'instance-profile',
};

/** `member`: the output's list (Users, …); `output`: an entity's shape in it. */
export function listUnderPath<K extends PathKind>(kind: K, member: string, output: (entity: EntityOf<K>, state: StateReader) => unknown): OperationDefinition {
  const arnType = ARN_TYPE[kind];
  return {
    target: (input, call) => listTarget(call, arnType, input.PathPrefix),
    run(input, call) {
      const { page, isTruncated, marker } = pageByName(underPath(call.state, kind, call.accountId, input.PathPrefix), input);
      const shapes: unknown[] = [];
      for (const entity of page) shapes.push(output(entity, call.state));
      return { [member]: shapes, IsTruncated: isTruncated, Marker: marker };
    },
  };
}

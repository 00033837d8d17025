// The tagging operations of every taggable kind, from one description of the kind: Tag<noun>,
// Untag<noun> and List<noun>Tags. AWS's rules are the domain's (iam/tags.ts: 50 tags, keys unique
// case-insensitively, no `aws:` prefix); the requests set aws:RequestTag/* and aws:TagKeys beside
// the resource's own aws:ResourceTag/*, and List<noun>Tags pages with Marker and MaxItems.
import type { Tag } from '../../iam/entities.ts';
import type { StateReader } from '../../iam/state.ts';
import { requestTagContext, tagEntity, untagEntity, type TaggedEntity } from '../../iam/tags.ts';
import { paginate } from '../../protocol/paginate.ts';
import type { AuthorizationTarget, CallContext, Operations } from '../operation.ts';
import { tagOutput } from './shapes.ts';
import type { TargetContext } from './targets.ts';

export interface TaggableKind {
  /** The noun in the operations' names: Tag<noun>, Untag<noun>, List<noun>Tags. */
  noun: string;
  /** The input member that names the resource: UserName, PolicyArn, SerialNumber, … */
  member: string;
  /** What the kind's operations are authorized on; `extra` carries the request's tag keys. */
  target(call: CallContext, ref: string, extra?: TargetContext): AuthorizationTarget;
  /** The resource `ref` names in the caller's account, or AWS's NoSuchEntity. */
  require(state: StateReader, accountId: string, ref: string): TaggedEntity;
  /** What List<noun>Tags lists, where it finds more than `require` (AWS managed policies, untagged). */
  listedTags?(state: StateReader, accountId: string, ref: string): readonly Tag[];
}

export function tagOperations(kind: TaggableKind): Operations {
  const { noun, member, target, require } = kind;
  const listedTags = kind.listedTags ?? ((state: StateReader, accountId: string, ref: string) => require(state, accountId, ref).data.tags);
  return {
    [`Tag${noun}`]: {
      target: (input, call) => target(call, input[member], requestTagContext(input.Tags)),
      async run(input, call) {
        await call.transact((tx) => {
          tagEntity(tx, require(tx, call.accountId, input[member]), input.Tags ?? []);
        });
      },
    },

    [`Untag${noun}`]: {
      target: (input, call) => target(call, input[member], requestTagContext(undefined, input.TagKeys)),
      async run(input, call) {
        await call.transact((tx) => {
          untagEntity(tx, require(tx, call.accountId, input[member]), input.TagKeys ?? []);
        });
      },
    },

    [`List${noun}Tags`]: {
      target: (input, call) => target(call, input[member]),
      run(input, call) {
        const { page, isTruncated, marker } = paginate(listedTags(call.state, call.accountId, input[member]), input.Marker, input.MaxItems);
        return { Tags: page.map(tagOutput), IsTruncated: isTruncated, Marker: marker };
      },
    },
  };
}

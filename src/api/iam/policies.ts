// IAM managed policy operations on the wire: Create/Get/Delete/ListPolicies, the policy version
// operations, ListEntitiesForPolicy and the tagging operations.
import { entitiesForPolicy, policyUsage, policyUsageByArn, type EntityFilter, type PolicyUsage } from '../../iam/attachments.ts';
import type { PolicyVersion, Tag } from '../../iam/entities.ts';
import {
  createPolicy,
  createPolicyVersion,
  deletePolicy,
  deletePolicyVersion,
  listPolicies,
  requireManagedPolicy,
  requirePolicyVersion,
  setDefaultPolicyVersion,
  tagPolicy,
  untagPolicy,
  type ManagedPolicyInfo,
} from '../../iam/policies.ts';
import { customerPolicyByArn } from '../../iam/policy-lookup.ts';
import { requestTagContext, resourceTagContext } from '../../iam/tags.ts';
import { iamArn } from '../../model/arn.ts';
import { paginate } from '../../protocol/paginate.ts';
import type { AuthorizationTarget, CallContext, Input, OperationTable } from '../operation.ts';

/** The Policy shape. ListPolicies leaves out the description and the tags, as AWS does. */
export function policyOutput(p: ManagedPolicyInfo, usage: PolicyUsage, detail: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
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
  if (detail) {
    out.Description = p.description;
    if (p.tags.length > 0) out.Tags = p.tags.map((t) => ({ Key: t.Key, Value: t.Value }));
  }
  return out;
}

export function versionOutput(v: PolicyVersion, defaultVersionId: string, withDocument = true): Record<string, unknown> {
  return {
    Document: withDocument ? v.document : undefined,
    VersionId: v.versionId,
    IsDefaultVersion: v.versionId === defaultVersionId,
    CreateDate: v.createDate,
  };
}

/** The policy's ARN, with its tags when it is this account's. */
function policyTarget(call: CallContext, arn: string, extra?: AuthorizationTarget['context']): AuthorizationTarget {
  const own = customerPolicyByArn(call.state, arn);
  if (own === undefined || own.accountId !== call.accountId) return { resource: arn, context: extra };
  return { resource: arn, context: { ...resourceTagContext(own.data.tags), ...extra } };
}

function tagsOf(input: Input): Tag[] | undefined {
  return input.Tags as Tag[] | undefined;
}

function now(call: CallContext): string {
  return call.clock.now().toISOString();
}

export const policyOperations: OperationTable = {
  CreatePolicy: {
    target: (input, call) => ({
      resource: iamArn.policy(call.accountId, input.Path ?? '/', input.PolicyName),
      context: requestTagContext(tagsOf(input)),
    }),
    async run(input, call) {
      const ids = { policyId: call.ids.policyId(), now: now(call) };
      return call.transact((tx) => {
        const created = createPolicy(
          tx,
          call.accountId,
          { policyName: input.PolicyName, path: input.Path, document: input.PolicyDocument, description: input.Description, tags: tagsOf(input) },
          ids,
        );
        const info = requireManagedPolicy(tx, call.accountId, created.data.arn);
        return { Policy: policyOutput(info, { attachmentCount: 0, boundaryUsageCount: 0 }, true) };
      });
    },
  },

  GetPolicy: {
    target: (input, call) => policyTarget(call, input.PolicyArn),
    run(input, call) {
      const info = requireManagedPolicy(call.state, call.accountId, input.PolicyArn);
      return { Policy: policyOutput(info, policyUsage(call.state, call.accountId, info.arn), true) };
    },
  },

  DeletePolicy: {
    target: (input, call) => policyTarget(call, input.PolicyArn),
    async run(input, call) {
      await call.transact((tx) => deletePolicy(tx, call.accountId, input.PolicyArn));
      return {};
    },
  },

  ListPolicies: {
    // As for the other List* operations, AWS checks the type and path prefix (arn:aws:iam::123456789012:policy/).
    target: (input, call) => ({ resource: `arn:aws:iam::${call.accountId}:policy${input.PathPrefix ?? '/'}` }),
    run(input, call) {
      const usage = policyUsageByArn(call.state, call.accountId);
      const policies = listPolicies(call.state, call.accountId, {
        scope: input.Scope,
        pathPrefix: input.PathPrefix,
        onlyAttached: input.OnlyAttached === true,
        usageFilter: input.PolicyUsageFilter,
        usage,
      });
      const { page, isTruncated, marker } = paginate(policies, input.Marker, input.MaxItems, { keyOf: (p) => p.sortKey });
      const none: PolicyUsage = { attachmentCount: 0, boundaryUsageCount: 0 };
      return { Policies: page.map((p) => policyOutput(p, usage.get(p.arn) ?? none, false)), IsTruncated: isTruncated, Marker: marker };
    },
  },

  CreatePolicyVersion: {
    target: (input, call) => policyTarget(call, input.PolicyArn),
    async run(input, call) {
      const at = now(call);
      return call.transact((tx) => {
        const version = createPolicyVersion(tx, call.accountId, input.PolicyArn, input.PolicyDocument, input.SetAsDefault === true, at);
        // AWS leaves the document out of CreatePolicyVersion's answer.
        const isDefault = input.SetAsDefault === true;
        return { PolicyVersion: { VersionId: version.versionId, IsDefaultVersion: isDefault, CreateDate: version.createDate } };
      });
    },
  },

  GetPolicyVersion: {
    target: (input, call) => policyTarget(call, input.PolicyArn),
    run(input, call) {
      const info = requireManagedPolicy(call.state, call.accountId, input.PolicyArn);
      return { PolicyVersion: versionOutput(requirePolicyVersion(info, input.VersionId), info.defaultVersionId) };
    },
  },

  ListPolicyVersions: {
    target: (input, call) => policyTarget(call, input.PolicyArn),
    run(input, call) {
      const info = requireManagedPolicy(call.state, call.accountId, input.PolicyArn);
      // Newest first, as AWS lists them; documents are left out of the listing.
      const versions = [...info.versions].reverse();
      const { page, isTruncated, marker } = paginate(versions, input.Marker, input.MaxItems);
      return { Versions: page.map((v) => versionOutput(v, info.defaultVersionId, false)), IsTruncated: isTruncated, Marker: marker };
    },
  },

  DeletePolicyVersion: {
    target: (input, call) => policyTarget(call, input.PolicyArn),
    async run(input, call) {
      await call.transact((tx) => deletePolicyVersion(tx, call.accountId, input.PolicyArn, input.VersionId));
      return {};
    },
  },

  SetDefaultPolicyVersion: {
    target: (input, call) => policyTarget(call, input.PolicyArn),
    async run(input, call) {
      await call.transact((tx) => setDefaultPolicyVersion(tx, call.accountId, input.PolicyArn, input.VersionId));
      return {};
    },
  },

  ListEntitiesForPolicy: {
    target: (input, call) => policyTarget(call, input.PolicyArn),
    run(input, call) {
      const info = requireManagedPolicy(call.state, call.accountId, input.PolicyArn);
      const entities = entitiesForPolicy(call.state, call.accountId, info.arn, {
        entityFilter: input.EntityFilter as EntityFilter | undefined,
        pathPrefix: input.PathPrefix,
        usageFilter: input.PolicyUsageFilter,
      });
      const { page, isTruncated, marker } = paginate(entities, input.Marker, input.MaxItems);
      return {
        PolicyGroups: page.filter((e) => e.kind === 'group').map((e) => ({ GroupName: e.name, GroupId: e.id })),
        PolicyUsers: page.filter((e) => e.kind === 'user').map((e) => ({ UserName: e.name, UserId: e.id })),
        PolicyRoles: page.filter((e) => e.kind === 'role').map((e) => ({ RoleName: e.name, RoleId: e.id })),
        IsTruncated: isTruncated,
        Marker: marker,
      };
    },
  },

  TagPolicy: {
    target: (input, call) => policyTarget(call, input.PolicyArn, requestTagContext(tagsOf(input))),
    async run(input, call) {
      await call.transact((tx) => tagPolicy(tx, call.accountId, input.PolicyArn, tagsOf(input) ?? []));
      return {};
    },
  },

  UntagPolicy: {
    target: (input, call) => policyTarget(call, input.PolicyArn, requestTagContext(undefined, input.TagKeys as string[])),
    async run(input, call) {
      await call.transact((tx) => untagPolicy(tx, call.accountId, input.PolicyArn, input.TagKeys as string[]));
      return {};
    },
  },

  ListPolicyTags: {
    target: (input, call) => policyTarget(call, input.PolicyArn),
    run(input, call) {
      const info = requireManagedPolicy(call.state, call.accountId, input.PolicyArn);
      const { page, isTruncated, marker } = paginate(info.tags, input.Marker, input.MaxItems);
      return { Tags: page.map((t) => ({ Key: t.Key, Value: t.Value })), IsTruncated: isTruncated, Marker: marker };
    },
  },
};

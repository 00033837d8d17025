// IAM managed policy operations on the wire: Create/Get/Delete/ListPolicies, the policy version
// operations, ListEntitiesForPolicy and the tagging operations.
import { entitiesForPolicy, policyUsage, policyUsageByArn, type EntityFilter, type PolicyUsage } from '../../iam/attachments.ts';
import {
  createPolicy,
  createPolicyVersion,
  deletePolicy,
  deletePolicyVersion,
  listPolicies,
  requireManagedPolicy,
  requireOwnPolicy,
  requirePolicyVersion,
  setDefaultPolicyVersion,
} from '../../iam/policies.ts';
import { iamArn } from '../../model/arn.ts';
import { paginate } from '../../protocol/paginate.ts';
import { changeOperation, type Operations } from '../operation.ts';
import { policyOutput, versionOutput } from './shapes.ts';
import { tagOperations } from './tagging.ts';
import { creationTarget, listTarget, policyTarget, thePolicy } from './targets.ts';

export const policyOperations: Operations = {
  CreatePolicy: {
    target: (input, call) => creationTarget(iamArn.policy(call.accountId, input.Path ?? '/', input.PolicyName, call.partition), input),
    async run(input, call) {
      const ids = { policyId: call.ids.policyId(), now: call.clock.now().toISOString() };
      return call.transact((tx) => {
        const created = createPolicy(
          tx,
          call.accountId,
          { policyName: input.PolicyName, path: input.Path, document: input.PolicyDocument, description: input.Description, tags: input.Tags },
          ids,
        );
        const info = requireManagedPolicy(tx, call.accountId, created.data.arn);
        return { Policy: policyOutput(info, { attachmentCount: 0, boundaryUsageCount: 0 }, 'created') };
      });
    },
  },

  GetPolicy: {
    target: thePolicy,
    run(input, call) {
      const info = requireManagedPolicy(call.state, call.accountId, input.PolicyArn);
      return { Policy: policyOutput(info, policyUsage(call.state, call.accountId, info.arn), 'full') };
    },
  },

  DeletePolicy: changeOperation(thePolicy, (tx, input, call) => deletePolicy(tx, call.accountId, input.PolicyArn)),

  ListPolicies: {
    target: (input, call) => listTarget(call, 'policy', input.PathPrefix),
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
      return { Policies: page.map((p) => policyOutput(p, usage.get(p.arn) ?? none, 'list')), IsTruncated: isTruncated, Marker: marker };
    },
  },

  CreatePolicyVersion: {
    target: thePolicy,
    async run(input, call) {
      const at = call.clock.now().toISOString();
      return call.transact((tx) => {
        const version = createPolicyVersion(tx, call.accountId, input.PolicyArn, input.PolicyDocument, input.SetAsDefault === true, at);
        // AWS leaves the document out of CreatePolicyVersion's answer.
        const isDefault = input.SetAsDefault === true;
        return { PolicyVersion: { VersionId: version.versionId, IsDefaultVersion: isDefault, CreateDate: version.createDate } };
      });
    },
  },

  GetPolicyVersion: {
    target: thePolicy,
    run(input, call) {
      const info = requireManagedPolicy(call.state, call.accountId, input.PolicyArn);
      return { PolicyVersion: versionOutput(requirePolicyVersion(info, input.VersionId), info.defaultVersionId) };
    },
  },

  ListPolicyVersions: {
    target: thePolicy,
    run(input, call) {
      const info = requireManagedPolicy(call.state, call.accountId, input.PolicyArn);
      // Newest first, as AWS lists them; documents are left out of the listing.
      const versions = [...info.versions].reverse();
      const { page, isTruncated, marker } = paginate(versions, input.Marker, input.MaxItems);
      return { Versions: page.map((v) => versionOutput(v, info.defaultVersionId, false)), IsTruncated: isTruncated, Marker: marker };
    },
  },

  DeletePolicyVersion: changeOperation(thePolicy, (tx, input, call) => deletePolicyVersion(tx, call.accountId, input.PolicyArn, input.VersionId)),

  SetDefaultPolicyVersion: changeOperation(thePolicy, (tx, input, call) => setDefaultPolicyVersion(tx, call.accountId, input.PolicyArn, input.VersionId)),

  ListEntitiesForPolicy: {
    target: thePolicy,
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

  ...tagOperations({
    noun: 'Policy',
    member: 'PolicyArn',
    target: policyTarget,
    require: requireOwnPolicy,
    // AWS managed policies have no tags to change, and none to list.
    listedTags: (state, accountId, arn) => requireManagedPolicy(state, accountId, arn).tags,
  }),
};

// Every STS (2011-06-15) operation Gatehouse serves, by AWS operation name. STS shares the
// endpoint with IAM: the request's signing service (or Version) routes it here.
import { decodeAuthorizationMessage } from '../../sts/authorization-message.ts';
import { assumeRole } from '../../sts/assume-role.ts';
import { getDelegatedAccessToken } from '../../sts/delegated-access.ts';
import { federatedUserArn, getFederationToken } from '../../sts/federation-token.ts';
import { getSessionToken } from '../../sts/session-token.ts';
import { credentialsOutput } from '../../sts/sessions.ts';
import { accountIdFromAccessKeyId } from '../../model/ids.ts';
import { invalidParameterValue } from '../../model/errors.ts';
import type { Operations } from '../operation.ts';

export const stsOperations: Operations = {
  AssumeRole: {
    // Authorized in run: the trust policy is a resource policy, and sts:TagSession and
    // sts:SetSourceIdentity are checked against it too.
    authorizesInRun: true,
    target: (input) => ({ resource: input.RoleArn }),
    async run(input, call) {
      const r = await assumeRole(call, {
        roleArn: input.RoleArn,
        roleSessionName: input.RoleSessionName,
        durationSeconds: input.DurationSeconds,
        policy: input.Policy,
        policyArns: (input.PolicyArns as { arn?: string }[] | undefined)?.map((p) => p.arn ?? '').filter((a) => a !== ''),
        tags: input.Tags,
        transitiveTagKeys: input.TransitiveTagKeys,
        externalId: input.ExternalId,
        serialNumber: input.SerialNumber,
        tokenCode: input.TokenCode,
        sourceIdentity: input.SourceIdentity,
      });
      return {
        Credentials: credentialsOutput(r.issued),
        AssumedRoleUser: { AssumedRoleId: r.assumedRoleId, Arn: r.arn },
        PackedPolicySize: r.packedPolicySize,
        SourceIdentity: r.sourceIdentity,
      };
    },
  },

  GetSessionToken: {
    // No permission is needed to authenticate (API_GetSessionToken).
    authorizesInRun: true,
    target: () => ({ resource: '*' }),
    async run(input, call) {
      const issued = await getSessionToken(call, {
        durationSeconds: input.DurationSeconds,
        serialNumber: input.SerialNumber,
        tokenCode: input.TokenCode,
      });
      return { Credentials: credentialsOutput(issued) };
    },
  },

  GetFederationToken: {
    target: (input, call) => ({ resource: federatedUserArn(call.accountId, input.Name, call.partition) }),
    async run(input, call) {
      const r = await getFederationToken(call, {
        name: input.Name,
        durationSeconds: input.DurationSeconds,
        policy: input.Policy,
        policyArns: (input.PolicyArns as { arn?: string }[] | undefined)?.map((p) => p.arn ?? '').filter((a) => a !== ''),
        tags: input.Tags,
      });
      return {
        Credentials: credentialsOutput(r.issued),
        FederatedUser: { FederatedUserId: r.federatedUserId, Arn: r.arn },
        // Unlike AssumeRole, AWS answers it even when nothing was packed.
        PackedPolicySize: r.packedPolicySize ?? 0,
      };
    },
  },

  GetCallerIdentity: {
    // Always allowed, for every kind of caller, whatever the policies say (API_GetCallerIdentity).
    authorizesInRun: true,
    target: () => ({ resource: '*' }),
    run: (_input, call) => ({ UserId: call.caller.userId, Account: call.caller.accountId, Arn: call.caller.principal.arn }),
  },

  GetAccessKeyInfo: {
    target: () => ({ resource: '*' }),
    run(input) {
      const account = accountIdFromAccessKeyId(input.AccessKeyId);
      if (account === undefined) throw invalidParameterValue(`${input.AccessKeyId} is not a valid access key id.`);
      return { Account: account };
    },
  },

  GetDelegatedAccessToken: {
    target: () => ({ resource: '*' }),
    run: (input, call) => getDelegatedAccessToken(call, input.TradeInToken),
  },

  DecodeAuthorizationMessage: {
    target: () => ({ resource: '*' }),
    run: (input, call) => ({ DecodedMessage: decodeAuthorizationMessage(call.secrets, call.accountId, input.EncodedMessage) }),
  },
};

// Delegation requests on the wire (IAM temporary delegation): CreateDelegationRequest (the
// partner), GetDelegationRequest and ListDelegationRequests (both sides), and the owner side's
// AssociateDelegationRequest, UpdateDelegationRequest, AcceptDelegationRequest,
// RejectDelegationRequest and SendDelegationToken. The trade of the token is sts:GetDelegatedAccessToken.
import type { Caller } from '../../iam/caller.ts';
import {
  acceptDelegationRequest,
  associateDelegationRequest,
  createDelegationRequest,
  delegationRequestsOf,
  exchangeTokenFor,
  rejectDelegationRequest,
  requireDelegationRequest,
  sendDelegationToken,
  stateAt,
  updateDelegationRequest,
  type Approver,
  type DelegationRequestEntity,
  type OwnerSide,
  type PolicyParameter,
} from '../../iam/delegation-requests.ts';
import { requestContext } from '../../authz/context.ts';
import { accessDenied, invalidInput } from '../../model/errors.ts';
import { denialMessage, parsePolicy } from '../../policy/index.ts';
import { paginate } from '../../protocol/paginate.ts';
import { changeOperation, type AuthorizationTarget, type CallContext, type Input, type Operations } from '../operation.ts';
import type { Members } from './shapes.ts';
import { anyResource } from './targets.ts';

/** The delegation-request resource ARN (Service Authorization Reference resource type `delegation-request`). */
export function delegationRequestArn(accountId: string, id: string): string {
  return `arn:aws:iam::${accountId}:delegation-request/${id}`;
}

const theRequest = (input: Input, call: CallContext): AuthorizationTarget => ({ resource: delegationRequestArn(call.accountId, input.DelegationRequestId) });

/** The DelegationRequest shape, in its state as of now. */
function requestOutput(r: DelegationRequestEntity, now: Date): Members {
  const d = r.data;
  return {
    DelegationRequestId: d.delegationRequestId,
    OwnerAccountId: d.ownerAccountId,
    Description: d.description,
    RequestMessage: d.requestMessage,
    Permissions: { PolicyTemplateArn: d.policyTemplateArn, Parameters: d.parameters },
    PermissionPolicy: d.permissionPolicy,
    OwnerId: d.ownerId,
    ApproverId: d.approverId,
    State: stateAt(d, now),
    ExpirationTime: d.expirationTime,
    RequestorId: d.requestorId,
    RequestorName: d.requestorName,
    CreateDate: d.createDate,
    SessionDuration: d.sessionDuration,
    RedirectUrl: d.redirectUrl,
    Notes: d.notes,
    RejectionReason: d.rejectionReason,
    OnlySendByOwner: d.onlySendByOwner,
    UpdatedTime: d.updatedTime,
  };
}

function ownerSide(call: CallContext): OwnerSide {
  return { accountId: call.accountId, arn: call.caller.principal.arn, now: call.facts.now };
}

/** The identity the delegated credentials will act as: the one accepting, as it is now. */
function approverOf(caller: Caller): Approver {
  switch (caller.principal.type) {
    case 'IAMUser':
      return { type: 'IAMUser', userId: caller.entityId! };
    case 'AssumedRole':
      return { type: 'AssumedRole', roleId: caller.entityId!, roleSessionName: caller.userId.slice(caller.userId.indexOf(':') + 1) };
    case 'Root':
      return { type: 'Root' };
    default:
      throw invalidInput('A delegation request can be accepted only by an IAM user, a role session or the root user.');
  }
}

/**
 * Whether the caller's own permissions cover what the permission policy allows, approximately (as
 * AWS says its check is): each action of each Allow statement is decided for the caller on each
 * resource. A denial on a named resource is DENIED; wildcards, NotAction and NotResource that the
 * caller is not plainly allowed make it UNSURE. The statements' own conditions are not weighed.
 */
function permissionCheck(call: CallContext, policy: string): 'ALLOWED' | 'DENIED' | 'UNSURE' {
  const context = requestContext(call.caller, call.facts);
  const wild = (s: string) => s.includes('*') || s.includes('?');
  let unsure = false;
  for (const st of parsePolicy(policy, 'identity').statements) {
    if (st.effect !== 'Allow') continue;
    if (st.notAction !== undefined || st.notResource !== undefined) {
      unsure = true;
      continue;
    }
    for (const action of st.action ?? []) {
      if (wild(action)) {
        unsure = true;
        continue;
      }
      for (const resource of st.resource ?? []) {
        const allowed = call.authorizer.decide({ caller: call.caller, action, resource, context }).result.decision === 'Allowed';
        if (allowed) continue;
        if (!wild(resource)) return 'DENIED';
        unsure = true;
      }
    }
  }
  return unsure ? 'UNSURE' : 'ALLOWED';
}

function authorizeWithOwnerGrant(call: CallContext, action: string, id: string): void {
  const r = call.state.get('delegationRequest', id) as DelegationRequestEntity | undefined;
  const req = { caller: call.caller, action, resource: delegationRequestArn(call.accountId, id), context: requestContext(call.caller, call.facts) };
  if (r === undefined || r.data.ownerId !== call.caller.principal.arn) {
    call.authorizer.authorize(req);
    return;
  }
  const { request, result } = call.authorizer.decide(req);
  if (result.decision === 'ExplicitDeny') throw accessDenied(denialMessage(request, result) ?? `User: ${call.caller.principal.arn} is not authorized to perform: ${action}`);
}

function parametersOf(input: Input): PolicyParameter[] {
  const list = (input.Permissions?.Parameters ?? []) as { Name?: string; Values?: string[]; Type?: string }[];
  return list.map((p) => {
    if (p.Name === undefined) throw invalidInput('Every policy parameter needs a Name.');
    return { Name: p.Name, Values: p.Values ?? [], Type: (p.Type ?? 'string') as PolicyParameter['Type'] };
  });
}

export const delegationRequestOperations: Operations = {
  CreateDelegationRequest: {
    target: anyResource,
    async run(input, call) {
      const parameters = parametersOf(input);
      const alias = call.state.get('account', call.accountId)?.data.alias;
      return call.transact((tx) => {
        const r = createDelegationRequest(tx, {
          requestorId: call.accountId,
          requestorName: alias ?? call.accountId,
          requestorWorkflowId: input.RequestorWorkflowId,
          ownerAccountId: input.OwnerAccountId,
          description: input.Description,
          requestMessage: input.RequestMessage,
          policyTemplateArn: input.Permissions?.PolicyTemplateArn,
          parameters,
          redirectUrl: input.RedirectUrl,
          notificationChannel: input.NotificationChannel,
          sessionDuration: input.SessionDuration,
          onlySendByOwner: input.OnlySendByOwner ?? false,
          newId: () => `dr-${Buffer.from(call.ids.bytes(16)).toString('hex')}`,
          now: call.facts.now,
        });
        // No ConsoleDeepLink: Gatehouse has no console to link to yet.
        return { DelegationRequestId: r.id };
      });
    },
  },

  GetDelegationRequest: {
    target: theRequest,
    run(input, call) {
      const r = requireDelegationRequest(call.state, call.accountId, input.DelegationRequestId);
      const out: Members = { DelegationRequest: requestOutput(r, call.facts.now) };
      if (input.DelegationPermissionCheck === true) {
        // AWS runs the check asynchronously; Gatehouse's is quick enough to answer at once.
        out.PermissionCheckStatus = 'COMPLETE';
        out.PermissionCheckResult = permissionCheck(call, r.data.permissionPolicy);
      }
      return out;
    },
  },

  ListDelegationRequests: {
    target: anyResource,
    run(input, call) {
      const all = delegationRequestsOf(call.state, call.accountId, input.OwnerId);
      const { page, isTruncated, marker } = paginate(all, input.Marker, input.MaxItems);
      return { DelegationRequests: page.map((r) => requestOutput(r, call.facts.now)), isTruncated, Marker: marker };
    },
  },

  AssociateDelegationRequest: changeOperation(theRequest, (tx, input, call) => associateDelegationRequest(tx, input.DelegationRequestId, ownerSide(call))),

  UpdateDelegationRequest: {
    // Authorized in run: "once a delegation request has an owner, that owner gets a default
    // permission to update" it; an explicit deny in the owner's policies still wins.
    authorizesInRun: true,
    target: theRequest,
    async run(input, call) {
      authorizeWithOwnerGrant(call, 'iam:UpdateDelegationRequest', input.DelegationRequestId);
      await call.transact((tx) => updateDelegationRequest(tx, input.DelegationRequestId, ownerSide(call), input.Notes));
    },
  },

  AcceptDelegationRequest: {
    target: theRequest,
    async run(input, call) {
      const approver = approverOf(call.caller);
      await call.transact((tx) => acceptDelegationRequest(tx, input.DelegationRequestId, ownerSide(call), approver));
    },
  },

  RejectDelegationRequest: changeOperation(theRequest, (tx, input, call) => rejectDelegationRequest(tx, input.DelegationRequestId, ownerSide(call), input.Notes)),

  // The token goes to the partner's SNS topic in AWS. Gatehouse sends nothing: the request keeps the
  // token sealed with the data key, and this call's event in the trail records the release.
  SendDelegationToken: changeOperation(theRequest, (tx, input, call) => {
    const secret = Buffer.from(call.ids.bytes(48)).toString('base64url');
    const token = exchangeTokenFor(input.DelegationRequestId, secret);
    sendDelegationToken(tx, input.DelegationRequestId, ownerSide(call), token, (t) => call.secrets.seal(t));
  }),
};

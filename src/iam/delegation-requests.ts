// IAM temporary delegation: a partner (the requestor) asks for temporary access to a customer's
// account with a delegation request; an identity of the customer (owner) account associates it,
// may update it (PENDING_APPROVAL), accepts or rejects it, and sends the exchange token, which the
// partner trades for credentials with sts:GetDelegatedAccessToken (sts/delegated-access.ts).
//
//   UNASSIGNED → ASSIGNED → (PENDING_APPROVAL →) ACCEPTED → FINALIZED
//                ASSIGNED, PENDING_APPROVAL, ACCEPTED → REJECTED;   any → EXPIRED (by time)
//
// EXPIRED is not written: a request is expired once its ExpirationTime has passed, so reads
// answer it as the clock says without a background job. What AWS keeps private and Gatehouse
// chooses instead (each marked below): how partner templates are registered (onboarding), the
// lifetime of an open request, the per-account bound, and the SNS notification (not sent: the
// SendDelegationToken event in the trail is the record; the exchange token is kept sealed).
import { createHash, timingSafeEqual } from 'node:crypto';
import { entityAlreadyExists, invalidInput, limitExceeded, noSuchEntity } from '../model/errors.ts';
import { isoSeconds } from '../model/time.ts';
import { parsePolicy } from '../policy/index.ts';
import { managedPolicyByArn } from './policy-lookup.ts';
import type { Draft, EntityOf, StateReader } from './state.ts';

export type DelegationState = 'UNASSIGNED' | 'ASSIGNED' | 'PENDING_APPROVAL' | 'ACCEPTED' | 'FINALIZED' | 'REJECTED' | 'EXPIRED';

/** The identity that accepted: the one the delegated credentials act as. */
export type Approver =
  | { type: 'IAMUser'; userId: string }
  | { type: 'AssumedRole'; roleId: string; roleSessionName: string }
  | { type: 'Root' };

export interface PolicyParameter {
  Name: string;
  Values: string[];
  Type: 'string' | 'stringList';
}

export interface DelegationRequest {
  delegationRequestId: string;
  /** The partner's account (RequestorId). */
  requestorId: string;
  requestorName: string;
  requestorWorkflowId: string;
  ownerAccountId?: string;
  /** ARN of the identity that associated the request. */
  ownerId?: string;
  description: string;
  requestMessage?: string;
  policyTemplateArn: string;
  parameters: PolicyParameter[];
  /** The template rendered with the parameters: the policy the delegated session is bound by. */
  permissionPolicy: string;
  redirectUrl?: string;
  notificationChannel: string;
  sessionDuration: number;
  onlySendByOwner: boolean;
  state: Exclude<DelegationState, 'EXPIRED'>;
  notes?: string;
  rejectionReason?: string;
  approverId?: string;
  approver?: Approver;
  createDate: string;
  updatedTime: string;
  expirationTime: string;
  /** Set by SendDelegationToken: the token sealed with the data key, and its SHA-256 (base64). */
  exchangeTokenSealed?: string;
  exchangeTokenHash?: string;
}

export type DelegationRequestEntity = EntityOf<'delegationRequest'> & { data: DelegationRequest };

const KIND = 'delegationRequest';
const DAY_MS = 24 * 3600 * 1000;
/** Rejected requests expire after 7 days (API_RejectDelegationRequest). */
export const REJECTED_LIFETIME_MS = 7 * DAY_MS;
/** AWS does not publish how long an open request lives; Gatehouse gives it 7 days too. */
export const OPEN_LIFETIME_MS = 7 * DAY_MS;
/** Requests per requestor account: AWS publishes none; Gatehouse bounds what one account can store. */
export const DELEGATION_REQUESTS_PER_ACCOUNT = 500;
/** Expired requests are still answered (EXPIRED) this long, then removed when the account creates another. */
export const EXPIRED_RETENTION_MS = 30 * DAY_MS;
/** "The final rendered policy has a maximum size limit of 2048 characters." (policy templates) */
export const MAX_RENDERED_POLICY_CHARS = 2048;

const PLACEHOLDER = /@\{([^{}]*)\}/g;

export function noSuchDelegationRequest(id: string): Error {
  return noSuchEntity(`The delegation request with id ${id} cannot be found.`);
}

/** The state as of `now`: a request past its expiration time is EXPIRED. */
export function stateAt(r: DelegationRequest, now: Date): DelegationState {
  return Date.parse(r.expirationTime) <= now.getTime() ? 'EXPIRED' : r.state;
}

/** The request if the account may see it: the requestor's account or the owner's. */
export function requireDelegationRequest(state: StateReader, accountId: string, id: string): DelegationRequestEntity {
  const r = state.get(KIND, id) as DelegationRequestEntity | undefined;
  if (r === undefined || (r.data.requestorId !== accountId && r.data.ownerAccountId !== accountId)) throw noSuchDelegationRequest(id);
  return r;
}

/** The requests the account sees (as requestor or owner), oldest first; `ownerId` filters by owner ARN. */
export function delegationRequestsOf(state: StateReader, accountId: string, ownerId?: string): DelegationRequestEntity[] {
  // Requests are kept under the requestor's account; Gatehouse serves one account, so the owner's
  // requests are among them.
  return [...(state.list(KIND, accountId) as readonly DelegationRequestEntity[])]
    .filter((r) => ownerId === undefined || r.data.ownerId === ownerId)
    .sort((a, b) => (a.data.createDate < b.data.createDate ? -1 : a.data.createDate > b.data.createDate ? 1 : a.id < b.id ? -1 : 1));
}

/**
 * Renders a policy template: every `@{name}` is replaced by its parameter's value. A string that
 * is only `@{name}` of a stringList parameter becomes the list (spread into an enclosing list).
 * Every placeholder needs a parameter and every parameter a placeholder.
 */
export function renderTemplate(template: string, parameters: readonly PolicyParameter[]): string {
  const byName = new Map<string, PolicyParameter>();
  for (const p of parameters) {
    if (byName.has(p.Name)) throw invalidInput(`Duplicate policy parameter: ${p.Name}.`);
    if (p.Values.length === 0) throw invalidInput(`Policy parameter ${p.Name} has no values.`);
    if (p.Type === 'string' && p.Values.length !== 1) throw invalidInput(`Policy parameter ${p.Name} of type string takes exactly one value.`);
    byName.set(p.Name, p);
  }
  const used = new Set<string>();
  const param = (name: string): PolicyParameter => {
    const p = byName.get(name);
    if (p === undefined) throw invalidInput(`The policy template requires a value for parameter ${name}.`);
    used.add(name);
    return p;
  };
  const substitute = (text: string): unknown => {
    const whole = /^@\{([^{}]*)\}$/.exec(text);
    if (whole) {
      const p = param(whole[1]!);
      return p.Type === 'stringList' ? [...p.Values] : p.Values[0];
    }
    return text.replace(PLACEHOLDER, (_m, name: string) => {
      const p = param(name);
      if (p.Type !== 'string') throw invalidInput(`Policy parameter ${name} of type stringList must stand alone in a policy value.`);
      return p.Values[0]!;
    });
  };
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return substitute(node);
    if (Array.isArray(node)) return node.flatMap((n) => {
      const v = walk(n);
      return Array.isArray(v) && typeof n === 'string' ? v : [v];
    });
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) out[k] = walk(v);
      return out;
    }
    return node;
  };
  const rendered = JSON.stringify(walk(JSON.parse(template)));
  const unused = parameters.filter((p) => !used.has(p.Name)).map((p) => p.Name);
  if (unused.length > 0) throw invalidInput(`The policy template has no parameter ${unused[0]}.`);
  return rendered;
}

export interface NewDelegationRequest {
  requestorId: string;
  requestorName: string;
  requestorWorkflowId: string;
  ownerAccountId?: string;
  description: string;
  requestMessage?: string;
  policyTemplateArn?: string;
  parameters: PolicyParameter[];
  redirectUrl?: string;
  notificationChannel: string;
  sessionDuration: number;
  onlySendByOwner: boolean;
  newId: () => string;
  now: Date;
}

/**
 * A partner's template is, in Gatehouse, a customer managed policy of the partner's own account
 * whose default version holds the template text (AWS registers templates during partner
 * onboarding, which is not public).
 */
function templateText(state: StateReader, requestorId: string, arn: string | undefined): string {
  if (arn === undefined) throw invalidInput('Permissions must name a PolicyTemplateArn.');
  const policy = managedPolicyByArn(state, arn);
  if (policy?.entity === undefined || policy.entity.accountId !== requestorId) throw invalidInput(`The policy template ${arn} is not registered for this requestor.`);
  return policy.document;
}

export function createDelegationRequest(tx: Draft, args: NewDelegationRequest): DelegationRequestEntity {
  const existing = (tx.list(KIND, args.requestorId) as readonly DelegationRequestEntity[]).filter((r) => {
    const gone = Date.parse(r.data.expirationTime) + EXPIRED_RETENTION_MS <= args.now.getTime();
    if (gone) tx.delete(KIND, r.id);
    return !gone;
  });
  if (existing.some((r) => r.data.requestorWorkflowId === args.requestorWorkflowId)) {
    throw entityAlreadyExists(`A delegation request with RequestorWorkflowId ${args.requestorWorkflowId} already exists.`);
  }
  const live = existing.filter((r) => stateAt(r.data, args.now) !== 'EXPIRED');
  if (live.length >= DELEGATION_REQUESTS_PER_ACCOUNT) throw limitExceeded(`Cannot exceed quota for DelegationRequestsPerAccount: ${DELEGATION_REQUESTS_PER_ACCOUNT}`);
  const permissionPolicy = renderTemplate(templateText(tx, args.requestorId, args.policyTemplateArn), args.parameters);
  if (permissionPolicy.length > MAX_RENDERED_POLICY_CHARS) {
    throw invalidInput(`The rendered permission policy is ${permissionPolicy.length} characters; the limit is ${MAX_RENDERED_POLICY_CHARS}.`);
  }
  parsePolicy(permissionPolicy, 'identity');
  let id = args.newId();
  for (let i = 0; tx.get(KIND, id) !== undefined; i++) {
    if (i >= 16) throw new Error('could not find an unused delegation request id');
    id = args.newId();
  }
  const now = isoSeconds(args.now);
  const data: DelegationRequest = {
    delegationRequestId: id,
    requestorId: args.requestorId,
    requestorName: args.requestorName,
    requestorWorkflowId: args.requestorWorkflowId,
    ownerAccountId: args.ownerAccountId,
    description: args.description,
    requestMessage: args.requestMessage,
    policyTemplateArn: args.policyTemplateArn!,
    parameters: args.parameters,
    permissionPolicy,
    redirectUrl: args.redirectUrl,
    notificationChannel: args.notificationChannel,
    sessionDuration: args.sessionDuration,
    onlySendByOwner: args.onlySendByOwner,
    state: 'UNASSIGNED',
    createDate: now,
    updatedTime: now,
    expirationTime: isoSeconds(new Date(args.now.getTime() + OPEN_LIFETIME_MS)),
  };
  const entity = { kind: KIND, id, accountId: args.requestorId, data } as DelegationRequestEntity;
  tx.put(entity);
  return entity;
}

/** Who acts on a request on the owner's side. */
export interface OwnerSide {
  accountId: string;
  arn: string;
  now: Date;
}

function requireState(r: DelegationRequest, now: Date, allowed: readonly DelegationState[], action: string): void {
  const state = stateAt(r, now);
  if (!allowed.includes(state)) throw invalidInput(`Cannot ${action} a delegation request in state ${state}.`);
}

function change(tx: Draft, r: DelegationRequestEntity, now: Date, data: Partial<DelegationRequest>): DelegationRequestEntity {
  const next = { ...r, data: { ...r.data, ...data, updatedTime: isoSeconds(now) } } as DelegationRequestEntity;
  tx.put(next);
  return next;
}

function requireOwnerAccount(r: DelegationRequest, who: OwnerSide, action: string): void {
  if (r.ownerAccountId !== who.accountId) throw invalidInput(`Only an identity of the owner account can ${action} this delegation request.`);
}

/** UNASSIGNED → ASSIGNED: the caller becomes the owner (and its account the owner account). */
export function associateDelegationRequest(tx: Draft, id: string, who: OwnerSide): void {
  const r = tx.get(KIND, id) as DelegationRequestEntity | undefined;
  // A request targeted at another account is not for this one to see.
  if (r === undefined || (r.data.ownerAccountId !== undefined && r.data.ownerAccountId !== who.accountId && r.data.requestorId !== who.accountId)) {
    throw noSuchDelegationRequest(id);
  }
  if (r.data.ownerAccountId !== undefined && r.data.ownerAccountId !== who.accountId) {
    throw invalidInput(`This delegation request can only be associated by an identity of account ${r.data.ownerAccountId}.`);
  }
  requireState(r.data, who.now, ['UNASSIGNED'], 'associate');
  change(tx, r, who.now, { state: 'ASSIGNED', ownerId: who.arn, ownerAccountId: who.accountId });
}

/** ASSIGNED or PENDING_APPROVAL → PENDING_APPROVAL, with the notes. */
export function updateDelegationRequest(tx: Draft, id: string, who: OwnerSide, notes: string | undefined): void {
  const r = requireDelegationRequest(tx, who.accountId, id);
  requireState(r.data, who.now, ['ASSIGNED', 'PENDING_APPROVAL'], 'update');
  requireOwnerAccount(r.data, who, 'update');
  change(tx, r, who.now, { state: 'PENDING_APPROVAL', notes: notes ?? r.data.notes });
}

/** ASSIGNED or PENDING_APPROVAL → ACCEPTED: the caller is recorded as the identity the credentials act as. */
export function acceptDelegationRequest(tx: Draft, id: string, who: OwnerSide, approver: Approver): void {
  const r = requireDelegationRequest(tx, who.accountId, id);
  requireState(r.data, who.now, ['ASSIGNED', 'PENDING_APPROVAL'], 'accept');
  requireOwnerAccount(r.data, who, 'accept');
  change(tx, r, who.now, { state: 'ACCEPTED', approverId: who.arn, approver });
}

/** ASSIGNED, PENDING_APPROVAL or ACCEPTED (before the token is sent) → REJECTED, expiring in 7 days. */
export function rejectDelegationRequest(tx: Draft, id: string, who: OwnerSide, notes: string | undefined): void {
  const r = requireDelegationRequest(tx, who.accountId, id);
  requireState(r.data, who.now, ['ASSIGNED', 'PENDING_APPROVAL', 'ACCEPTED'], 'reject');
  requireOwnerAccount(r.data, who, 'reject');
  change(tx, r, who.now, {
    state: 'REJECTED',
    rejectionReason: notes,
    expirationTime: isoSeconds(new Date(who.now.getTime() + REJECTED_LIFETIME_MS)),
  });
}

export function hashExchangeToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64');
}

/**
 * ACCEPTED → FINALIZED: the exchange token is made and the delegation period (SessionDuration)
 * starts. With OnlySendByOwner, only the owner may send it.
 */
export function sendDelegationToken(tx: Draft, id: string, who: OwnerSide, token: string, seal: (t: string) => string): void {
  const r = requireDelegationRequest(tx, who.accountId, id);
  requireState(r.data, who.now, ['ACCEPTED'], 'send the token of');
  requireOwnerAccount(r.data, who, 'send the token of');
  if (r.data.onlySendByOwner && r.data.ownerId !== who.arn) throw invalidInput('Only the owner of this delegation request can send its delegation token.');
  change(tx, r, who.now, {
    state: 'FINALIZED',
    exchangeTokenSealed: seal(token),
    exchangeTokenHash: hashExchangeToken(token),
    expirationTime: isoSeconds(new Date(who.now.getTime() + r.data.sessionDuration * 1000)),
  });
}

/** Exchange tokens name their request: `<DelegationRequestId>.<secret>`. */
export function exchangeTokenFor(id: string, secret: string): string {
  return `${id}.${secret}`;
}

/** The FINALIZED, unexpired request the token belongs to, or undefined. Constant-time on the secret. */
export function requestForExchangeToken(state: StateReader, token: string, now: Date): DelegationRequestEntity | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0 || dot > 128) return undefined;
  const r = state.get(KIND, token.slice(0, dot)) as DelegationRequestEntity | undefined;
  if (r === undefined || r.data.exchangeTokenHash === undefined || stateAt(r.data, now) !== 'FINALIZED') return undefined;
  const presented = createHash('sha256').update(token, 'utf8').digest();
  const expected = Buffer.from(r.data.exchangeTokenHash, 'base64');
  return expected.length === presented.length && timingSafeEqual(expected, presented) ? r : undefined;
}

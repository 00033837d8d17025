// The request context AWS builds for every call: the principal's keys (aws:username, aws:userid,
// aws:PrincipalArn, aws:PrincipalTag/*, …), the network (aws:SourceIp, aws:SecureTransport), the
// time (aws:CurrentTime, aws:EpochTime) and the operation's own keys (aws:RequestTag/*,
// iam:PolicyARN, …). Keys are stored lowercased: AWS compares key names case-insensitively.
import type { Caller } from '../authn/caller.ts';
import { principalTypeOf } from '../authn/caller.ts';
import type { ContextValue, RequestContext } from '../policy/index.ts';

export interface RequestFacts {
  sourceIp: string;
  secureTransport: boolean;
  region: string;
  now: Date;
  userAgent?: string;
}

export function requestContext(caller: Caller, facts: RequestFacts, extra?: Record<string, ContextValue>): RequestContext {
  const ctx = new Map<string, ContextValue>();
  const set = (key: string, value: ContextValue | undefined) => {
    if (value !== undefined) ctx.set(key.toLowerCase(), value);
  };
  const p = caller.principal;
  set('aws:userid', caller.userId);
  set('aws:username', caller.userName);
  set('aws:PrincipalArn', p.type === 'AssumedRole' ? p.roleArn : p.arn);
  set('aws:PrincipalAccount', caller.accountId);
  set('aws:PrincipalType', principalTypeOf(caller));
  set('aws:PrincipalIsAWSService', 'false');
  set('aws:ViaAWSService', 'false');
  for (const tag of caller.tags) set(`aws:PrincipalTag/${tag.Key}`, tag.Value);
  set('aws:SourceIp', facts.sourceIp);
  set('aws:SecureTransport', String(facts.secureTransport));
  set('aws:RequestedRegion', facts.region);
  set('aws:CurrentTime', facts.now.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  set('aws:EpochTime', String(Math.floor(facts.now.getTime() / 1000)));
  set('aws:UserAgent', facts.userAgent);
  if (caller.session) {
    // Absent for long-term credentials, so `BoolIfExists` policies work as AWS documents.
    set('aws:TokenIssueTime', caller.session.issuedAt);
    set('aws:MultiFactorAuthPresent', String(caller.session.mfaAuthenticated));
    if (caller.session.mfaAuthenticated) {
      const since = Date.parse(caller.session.mfaAuthenticatedAt ?? caller.session.issuedAt);
      set('aws:MultiFactorAuthAge', String(Math.max(0, Math.floor((facts.now.getTime() - since) / 1000))));
    }
    set('aws:SourceIdentity', caller.session.sourceIdentity);
  }
  for (const [key, value] of Object.entries(extra ?? {})) set(key, value);
  return ctx;
}

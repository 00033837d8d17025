// The request context AWS builds for every call: the principal's keys (aws:username, aws:userid,
// aws:PrincipalArn, aws:PrincipalTag/*, …), the network (aws:SourceIp, aws:SecureTransport), the
// time (aws:CurrentTime, aws:EpochTime) and the operation's own keys (aws:RequestTag/*,
// iam:PolicyARN, …). Keys are stored lowercased: AWS compares key names case-insensitively.
import type { Caller } from '../iam/caller.ts';
import { principalTypeOf } from '../iam/caller.ts';
import { isoSeconds } from '../model/time.ts';
import type { ContextValue, RequestContext } from '../policy/index.ts';

export interface RequestFacts {
  sourceIp: string;
  secureTransport: boolean;
  region: string;
  now: Date;
  userAgent?: string;
}

/** aws:CurrentTime and aws:EpochTime change once a second; requests within it share them. */
let clockSecond = -1;
let currentTime = '';
let epochTime = '';

function timeKeys(now: Date): void {
  const second = Math.floor(now.getTime() / 1000);
  if (second === clockSecond) return;
  clockSecond = second;
  currentTime = isoSeconds(now);
  epochTime = String(second);
}

// Keys are written here already lowercased; `extra` keys (the operation's own, with tag names in
// them) are lowercased as they are added.
function put(ctx: Map<string, ContextValue>, key: string, value: ContextValue | undefined): void {
  if (value !== undefined) ctx.set(key, value);
}

/**
 * The request context of a call. It is built when a policy first reads it: most decisions read
 * no key at all (no statement that applies has a condition or a policy variable), and a map of
 * every key costs a request more than the decision itself.
 */
export function requestContext(caller: Caller, facts: RequestFacts, extra?: Record<string, ContextValue>): RequestContext {
  return new DeferredContext(caller, facts, extra);
}

class DeferredContext implements ReadonlyMap<string, ContextValue> {
  #built: Map<string, ContextValue> | undefined;

  constructor(
    private readonly caller: Caller,
    private readonly facts: RequestFacts,
    private readonly extra: Record<string, ContextValue> | undefined,
  ) {}

  #map(): Map<string, ContextValue> {
    return (this.#built ??= buildContext(this.caller, this.facts, this.extra));
  }

  get size(): number {
    return this.#map().size;
  }
  get(key: string): ContextValue | undefined {
    return this.#map().get(key);
  }
  has(key: string): boolean {
    return this.#map().has(key);
  }
  forEach(fn: (value: ContextValue, key: string, map: ReadonlyMap<string, ContextValue>) => void, thisArg?: unknown): void {
    this.#map().forEach((value, key) => fn.call(thisArg, value, key, this));
  }
  entries(): MapIterator<[string, ContextValue]> {
    return this.#map().entries();
  }
  keys(): MapIterator<string> {
    return this.#map().keys();
  }
  values(): MapIterator<ContextValue> {
    return this.#map().values();
  }
  [Symbol.iterator](): MapIterator<[string, ContextValue]> {
    return this.#map()[Symbol.iterator]();
  }
}

function buildContext(caller: Caller, facts: RequestFacts, extra: Record<string, ContextValue> | undefined): Map<string, ContextValue> {
  const ctx = new Map<string, ContextValue>();
  const p = caller.principal;
  put(ctx, 'aws:userid', caller.userId);
  put(ctx, 'aws:username', caller.userName);
  put(ctx, 'aws:principalarn', p.type === 'AssumedRole' ? p.roleArn : p.arn);
  put(ctx, 'aws:principalaccount', caller.accountId);
  put(ctx, 'aws:principaltype', principalTypeOf(caller));
  ctx.set('aws:principalisawsservice', 'false');
  ctx.set('aws:viaawsservice', 'false');
  for (const tag of caller.tags) put(ctx, `aws:principaltag/${tag.Key.toLowerCase()}`, tag.Value);
  ctx.set('aws:sourceip', facts.sourceIp);
  ctx.set('aws:securetransport', facts.secureTransport ? 'true' : 'false');
  ctx.set('aws:requestedregion', facts.region);
  timeKeys(facts.now);
  ctx.set('aws:currenttime', currentTime);
  ctx.set('aws:epochtime', epochTime);
  put(ctx, 'aws:useragent', facts.userAgent);
  if (caller.session) {
    // Absent for long-term credentials, so `BoolIfExists` policies work as AWS documents.
    put(ctx, 'aws:tokenissuetime', caller.session.issuedAt);
    ctx.set('aws:multifactorauthpresent', String(caller.session.mfaAuthenticated));
    if (caller.session.mfaAuthenticated) {
      const since = Date.parse(caller.session.mfaAuthenticatedAt ?? caller.session.issuedAt);
      ctx.set('aws:multifactorauthage', String(Math.max(0, Math.floor((facts.now.getTime() - since) / 1000))));
    }
    put(ctx, 'aws:sourceidentity', caller.session.sourceIdentity);
  }
  if (extra !== undefined) for (const key in extra) put(ctx, key.toLowerCase(), extra[key]);
  return ctx;
}

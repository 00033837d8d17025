// Readers for the values inside a statement: action and resource strings, Principal blocks,
// Condition blocks and Sids. Each takes the JSON as written, checks it against the grammar and
// returns the normalised form; a violation is thrown as PolicyRuleViolation with AWS's text, which
// parse.ts turns into MalformedPolicyDocumentError.

import type { ConditionEntry, PrincipalBlock } from './types.ts';
import { parseOperator } from './operators.ts';
import { JsonNumber, isJsonObject, type JsonValue } from './validate-json.ts';
import { Msg } from './validate-messages.ts';

/** One broken rule, carrying the message AWS gives for it. */
export class PolicyRuleViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyRuleViolation';
  }
}

export function violate(message: string): never {
  throw new PolicyRuleViolation(message);
}

/** `"x"` or `["x", "y"]`; the grammar allows nothing else for these elements. */
export function readStringList(value: JsonValue): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return violate(Msg.syntax);
  const out: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string') violate(Msg.syntax);
    out.push(item as string);
  }
  return out;
}

const VENDOR = /^[A-Za-z0-9-]+$/;
const WILDCARD = /[*?]/;

/** `*`, or `vendor:action` where the action part may hold `*` and `?` wildcards. */
export function checkAction(action: string): void {
  if (action === '*') return;
  const colon = action.indexOf(':');
  if (colon < 0) violate(Msg.actionNoVendor);
  if (action.indexOf(':', colon + 1) >= 0) violate(Msg.actionOneColon);
  const vendor = action.slice(0, colon);
  if (WILDCARD.test(vendor)) violate(Msg.actionVendorWildcard);
  if (!VENDOR.test(vendor)) violate(Msg.actionNoVendor);
  if (colon === action.length - 1) violate(Msg.syntax);
}

/**
 * `*`, or an ARN with its six parts (arn:partition:service:region:account:resource). A trailing `*`
 * may stand for the remaining parts: AWS's own managed policies have held `arn:aws:waf:*`.
 */
export function checkResource(resource: string): void {
  if (resource === '*') return;
  if (!resource.startsWith('arn:')) violate(Msg.resourceNotArn(resource));
  const parts = resource.split(':', 6);
  if (parts.length < 6 && !resource.endsWith('*')) violate(Msg.resourceNotArn(resource));
  // IAM is global: its ARNs keep the Region part empty.
  if (parts[2] === 'iam' && parts.length > 3 && parts[3] !== '') violate(Msg.iamResourceRegion(resource));
}

const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);
const ACCOUNT_ID = /^\d{12}$/;

/** `"*"` or `{ AWS | Service | Federated | CanonicalUser: string | string[] }`. */
export function readPrincipal(value: JsonValue): PrincipalBlock {
  if (value === '*') return '*';
  if (!isJsonObject(value) || value.size === 0) return violate(Msg.syntax);
  const block: { AWS?: string[]; Service?: string[]; Federated?: string[]; CanonicalUser?: string[] } = {};
  for (const [type, raw] of value) {
    if (!PRINCIPAL_TYPES.has(type)) {
      violate(Msg.invalidPrincipal(type, typeof raw === 'string' ? raw : Array.isArray(raw) && typeof raw[0] === 'string' ? raw[0] : ''));
    }
    const ids = readStringList(raw);
    if (ids.length === 0) violate(Msg.syntax);
    for (const id of ids) {
      if (id === '') violate(Msg.invalidPrincipal(type, id));
      // An AWS principal is everyone, an account, or an ARN; the others are names AWS checks by itself.
      if (type === 'AWS' && id !== '*' && !ACCOUNT_ID.test(id) && !(id.startsWith('arn:') && id.split(':', 6).length === 6)) {
        violate(Msg.invalidPrincipal(type, id));
      }
    }
    block[type as keyof typeof block] = ids;
  }
  return block;
}

/** Condition values may be JSON strings, numbers or booleans; they are compared as text. */
function conditionValue(v: JsonValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof JsonNumber) return v.raw;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return violate(Msg.syntax);
}

/** `{ operator: { key: value | [values] } }`, flattened to one entry per (operator, key). */
export function readCondition(value: JsonValue): ConditionEntry[] {
  if (!isJsonObject(value)) return violate(Msg.syntax);
  const entries: ConditionEntry[] = [];
  for (const [operator, block] of value) {
    if (!parseOperator(operator)) violate(Msg.invalidConditionType(operator));
    if (!isJsonObject(block)) violate(Msg.syntax);
    for (const [key, raw] of block as Map<string, JsonValue>) {
      if (key.indexOf(':') <= 0) violate(Msg.actionNoVendor);
      const values = Array.isArray(raw) ? raw.map(conditionValue) : [conditionValue(raw)];
      entries.push({ operator, key, values });
    }
  }
  return entries;
}

const ALPHANUMERIC = /^[0-9A-Za-z]*$/;

export function readSid(value: JsonValue, alphanumericOnly: boolean): string {
  if (typeof value !== 'string') return violate(Msg.syntax);
  if (alphanumericOnly && !ALPHANUMERIC.test(value)) violate(Msg.sidNotAlphanumeric);
  return value;
}

/** The actions a role trust policy may allow (IAM User Guide: roles, session tags, source identity). */
export const TRUST_ACTIONS: readonly string[] = [
  'sts:AssumeRole',
  'sts:AssumeRoleWithSAML',
  'sts:AssumeRoleWithWebIdentity',
  'sts:TagSession',
  'sts:SetSourceIdentity',
  'sts:SetContext',
];
const TRUST_ACTIONS_LOWER = TRUST_ACTIONS.map((a) => a.toLowerCase());

/** True when the pattern (wildcards allowed, case-insensitive) names at least one trust action. */
export function isTrustAction(pattern: string): boolean {
  const p = pattern.toLowerCase();
  return TRUST_ACTIONS_LOWER.some((a) => wildcardMatch(p, a));
}

/**
 * `*` matches any run of characters, `?` one character. The two-pointer walk backtracks only to the
 * last `*`, so it is O(pattern × text) whatever the input (a regex of many `.*` is not).
 */
function wildcardMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    const c = pattern[p];
    if (c === '?' || (c !== undefined && c !== '*' && c === text[t])) {
      p++;
      t++;
    } else if (c === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

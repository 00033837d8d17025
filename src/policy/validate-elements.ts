// Readers for the values inside a statement: action and resource strings, Principal blocks,
// Condition blocks and Sids. Each takes the JSON as written, checks it against the grammar and
// returns the normalised form; a violation is thrown as PolicyRuleViolation with AWS's text, which
// parse.ts turns into MalformedPolicyDocumentError.

import type { ConditionEntry, PrincipalBlock } from './types.ts';
import { parseOperator } from './operators.ts';
import { JsonNumber, isJsonObject, type JsonValue } from './validate-json.ts';
import { isDateValue } from './validate-date.ts';
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

const VENDOR = /^[A-Za-z0-9_.-]+$/;
const WILDCARD = /[*?]/;

/** `*`, or `vendor:action` where the action part may hold `*` and `?` wildcards. */
export function checkAction(action: string): void {
  if (action === '*') return;
  const colon = action.indexOf(':');
  if (colon < 0) violate(Msg.actionNoVendor);
  if (action.indexOf(':', colon + 1) >= 0) violate(Msg.actionOneColon);
  const vendor = action.slice(0, colon);
  if (WILDCARD.test(vendor)) violate(Msg.actionVendorWildcard);
  if (vendor === '') violate(Msg.actionNoVendor);
  if (!VENDOR.test(vendor)) violate(Msg.actionVendorInvalid(vendor));
  if (colon === action.length - 1) violate(Msg.syntax);
}

/** AWS's partitions, for documents read without an account's partition (stored ones, compiled). */
const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'];

/**
 * The account's partition: IAM in one partition refuses ARNs of the others. A wildcard that covers
 * it is accepted (AWS's own managed policies hold `arn:*:ssm:…`).
 */
function isServedPartition(partition: string, served: string | undefined): boolean {
  if (served === undefined) return PARTITIONS.some((p) => isServedPartition(partition, p));
  if (partition === served) return true;
  return WILDCARD.test(partition) && wildcardMatch(partition, served);
}

/**
 * A resource split as AWS reads it: at most six colon-separated parts, the last keeping its colons.
 * The first part is not looked at (AWS shows it as `arn` in its messages).
 */
function resourceParts(resource: string): string[] {
  const parts: string[] = [];
  let from = 0;
  while (parts.length < 5) {
    const colon = resource.indexOf(':', from);
    if (colon < 0) break;
    parts.push(resource.slice(from, colon));
    from = colon + 1;
  }
  parts.push(resource.slice(from));
  return parts;
}

/**
 * The resources AWS's legacy parser refuses ("The policy failed legacy parsing"), a check made for
 * the whole document before statements are checked one by one: in the served partition, five parts
 * (`arn:aws:s3::bucket`) or an empty service (`arn:aws::x`, `arn:aws::::bucket`).
 */
export function failsLegacyResource(resource: string, served?: string): boolean {
  if (resource === '*') return false;
  const parts = resourceParts(resource);
  if (parts.length < 4 || !isServedPartition(parts[1], served)) return false;
  return parts.length === 5 || parts[2] === '';
}

/** S3 resource types that live in a Region (access points, Batch jobs, Storage Lens, Access Grants). */
const S3_REGIONAL = /^(?:[*?]|accesspoint\/|job\/|storage-lens\/|storage-lens-group\/|access-grants\/)/;
// delegation-request/ is the resource type of IAM temporary delegation (Service Authorization Reference).
const IAM_PATHS = /^(?:\*|root$|user\/|federated-user\/|role\/|group\/|instance-profile\/|mfa\/|server-certificate\/|policy\/|sms-mfa\/|saml-provider\/|oidc-provider\/|report\/|access-report\/|delegation-request\/)/;

/**
 * `*`, or an ARN as AWS reads it. Short forms are accepted (`arn:aws:anything`, `arn:aws:s3:x`, and
 * AWS's own managed policies hold `arn:aws:waf:*`); the checks are AWS's, in its order.
 */
export function checkResource(resource: string, served?: string): void {
  if (resource === '*') return;
  const parts = resourceParts(resource);
  if (parts.length === 1) violate(Msg.resourceNotArn(resource));
  const partition = parts[1];
  if (!isServedPartition(partition, served)) {
    const shown = ['arn', partition];
    for (let i = 2; i < 6; i++) shown.push(parts[i] ?? '*');
    violate(Msg.partitionInvalid(partition, shown.join(':')));
  }
  const service = parts[2];
  if (service === undefined || service === '' || WILDCARD.test(service)) violate(Msg.resourceVendor);
  // Region and path are read only in a full ARN: a short form (`arn:aws:s3:x`) has neither.
  if (parts.length < 6) return;
  const [, , , region, , id] = parts as [string, string, string, string, string, string];
  if (service === 's3' && region !== '' && !S3_REGIONAL.test(id)) violate(Msg.resourceRegion(resource));
  if (service === 'iam') {
    // IAM is global: its ARNs keep the Region part empty.
    if (region !== '') violate(Msg.iamResourceRegion(resource));
    if (!IAM_PATHS.test(id)) violate(Msg.iamResourcePath);
  }
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

/**
 * `{ operator: { key: value | [values] } }`, flattened to one entry per (operator, key). AWS checks
 * the shape only: a key needs no vendor, and an operator it does not know passes when its block is
 * empty (it then tests nothing). Date values are checked later, with the legacy rules.
 */
export function readCondition(value: JsonValue): ConditionEntry[] {
  if (!isJsonObject(value)) return violate(Msg.syntax);
  const entries: ConditionEntry[] = [];
  for (const [operator, block] of value) {
    if (!isJsonObject(block)) violate(Msg.syntax);
    if (block.size > 0 && !parseOperator(operator)) violate(Msg.syntax);
    for (const [key, raw] of block) {
      const values = Array.isArray(raw) ? raw.map(conditionValue) : [conditionValue(raw)];
      entries.push({ operator, key, values });
    }
  }
  return entries;
}

/** True when a Date… operator holds a value AWS cannot read as a date ("failed legacy parsing"). */
export function failsLegacyCondition(entry: ConditionEntry): boolean {
  const op = parseOperator(entry.operator);
  return op !== undefined && op.family === 'Date' && !entry.values.every(isDateValue);
}

const ALPHANUMERIC = /^[0-9A-Za-z]*$/;

export function checkSid(sid: string, alphanumericOnly: boolean): void {
  if (alphanumericOnly && !ALPHANUMERIC.test(sid)) violate(Msg.sidNotAlphanumeric);
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

// Parses a policy document exactly as the user sent it and validates it against the policy grammar
// and the rules of its kind (identity, trust, SCP, …). Returns the normalised AST or throws
// MalformedPolicyDocumentError with AWS's message; a policy over its size quota throws
// PolicySizeExceededError (AWS answers LimitExceeded there, not MalformedPolicyDocument).
// Runs on every policy write, never on the request path.

import { MalformedPolicyDocumentError } from './errors.ts';
import type { ConditionEntry, Effect, PolicyDocument, PolicyKind, PolicyVersion, PrincipalBlock, Statement } from './types.ts';
import {
  PolicyRuleViolation,
  checkAction,
  checkResource,
  checkSid,
  failsLegacyCondition,
  failsLegacyResource,
  isTrustAction,
  readCondition,
  readPrincipal,
  readStringList,
  violate,
} from './validate-elements.ts';
import { JsonSyntaxError, isJsonObject, readJson, type JsonObject, type JsonValue } from './validate-json.ts';
import { Msg } from './validate-messages.ts';
import { DEFAULT_MAX_SIZE, PolicySizeExceededError, hasOnlyAllowedCharacters, policySize } from './validate-size.ts';

export { PolicySizeExceededError, DEFAULT_MAX_SIZE, policySize } from './validate-size.ts';

export interface ParsePolicyOptions {
  /** Size quota in characters, counted as AWS counts for the kind; defaults to DEFAULT_MAX_SIZE[kind]. */
  maxSize?: number;
  /**
   * The document is an AWS managed policy (FullAWSAccess, RCPFullAWSAccess, …). Only changes what
   * AWS reserves for its own policies: an RCP may then use `"Effect": "Allow"`.
   */
  awsManaged?: boolean;
  /**
   * The document is a customer managed policy (CreatePolicy, CreatePolicyVersion): AWS then asks
   * for Version 2012-10-17 before anything else. Inline, trust and session policies may omit it.
   */
  managed?: boolean;
  /**
   * The partition of the account the document is written in: a resource must be in it. Absent
   * (a stored document compiled for evaluation), any of AWS's partitions is accepted.
   */
  partition?: string;
}

/** What each kind of policy may and must contain. */
interface KindRules {
  /** forbidden: identity-like; required: resource/trust; star: required and exactly "*". */
  principal: 'forbidden' | 'required' | 'star';
  /** Trust policies name their target implicitly (the role): no Resource / NotResource. */
  resourceForbidden: boolean;
  notActionAllowed: boolean;
  /** IAM and Organizations take only [0-9A-Za-z]* Sids; other services' resource policies vary. */
  sidAlphanumeric: boolean;
  sidUnique: boolean;
  trustActionsOnly: boolean;
  /** "Every RCP must include a Version element with the value 2012-10-17." */
  version2012Required: boolean;
  /** "The effect of Allow is only supported for the RCPFullAWSAccess policy." */
  denyOnly: boolean;
  /** Errors come from AWS Organizations, which answers with one generic text. */
  organizations: boolean;
}

const IDENTITY_RULES: KindRules = {
  principal: 'forbidden',
  resourceForbidden: false,
  notActionAllowed: true,
  sidAlphanumeric: true,
  sidUnique: true,
  trustActionsOnly: false,
  version2012Required: false,
  denyOnly: false,
  organizations: false,
};

const RULES: Readonly<Record<PolicyKind, KindRules>> = {
  identity: IDENTITY_RULES,
  boundary: IDENTITY_RULES,
  session: IDENTITY_RULES,
  // SCPs take the full IAM language since September 2025 (Allow with Condition, NotAction,
  // Resource and NotResource; wildcards anywhere in an action), but never a principal.
  scp: { ...IDENTITY_RULES, organizations: true },
  rcp: {
    ...IDENTITY_RULES,
    principal: 'star',
    notActionAllowed: false,
    version2012Required: true,
    denyOnly: true,
    organizations: true,
  },
  trust: { ...IDENTITY_RULES, principal: 'required', resourceForbidden: true, trustActionsOnly: true },
  resource: { ...IDENTITY_RULES, principal: 'required', sidAlphanumeric: false, sidUnique: false },
};

const DOCUMENT_ELEMENTS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_ELEMENTS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);

export function parsePolicy(text: string, kind: PolicyKind, options: ParsePolicyOptions = {}): PolicyDocument {
  const rules = RULES[kind];
  try {
    if (typeof text !== 'string') violate(Msg.syntax);
    if (!hasOnlyAllowedCharacters(text)) violate(Msg.badCharacters);
    const limit = options.maxSize ?? DEFAULT_MAX_SIZE[kind];
    const size = policySize(text, kind);
    if (size > limit) throw new PolicySizeExceededError(kind, limit, size);
    return readDocument(readJsonText(text, kind), rules, options);
  } catch (e) {
    if (!(e instanceof PolicyRuleViolation)) throw e;
    if (!rules.organizations) throw new MalformedPolicyDocumentError(e.message);
    const err = new MalformedPolicyDocumentError(Msg.organizations);
    err.cause = e.message; // the specific rule, for logs and tests
    throw err;
  }
}

function readJsonText(text: string, kind: PolicyKind): JsonValue {
  try {
    return readJson(text);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    return violate(kind === 'trust' && !e.duplicateKey ? Msg.trustInvalidJson : Msg.syntax);
  }
}

/**
 * AWS checks a document in rounds, each over the whole document, and answers the first error of the
 * first round that finds one: the Version of a managed policy; the structure ("Syntax errors in
 * policy."); the legacy parser's rules; unique Sids; then each statement's own rules in order.
 */
function readDocument(json: JsonValue, rules: KindRules, options: ParsePolicyOptions): PolicyDocument {
  if (!isJsonObject(json)) return violate(Msg.syntax);
  if (options.managed) {
    const v = json.get('Version');
    if (v === undefined || v === '2008-10-17') violate(Msg.versionTooOld);
  }
  const { version, id, drafts } = readStructure(json, rules);
  for (const d of drafts) checkLegacy(d, rules, options.partition);
  if (rules.sidUnique) checkSidsUnique(drafts);
  const statements = drafts.map((d) => readStatement(d, rules, options));
  return id === undefined ? { version, statements } : { version, id, statements };
}

/** A statement whose structure is sound, its elements not yet checked against the rules. */
interface DraftStatement {
  index: number;
  sid?: string;
  /** As written: `Allow` or `Deny` in any case. */
  effect: string;
  principal?: [element: 'Principal' | 'NotPrincipal', value: JsonValue];
  actions?: [element: 'Action' | 'NotAction', values: string[]];
  resources?: [element: 'Resource' | 'NotResource', values: string[]];
  condition: ConditionEntry[];
}

/** The structural round: every violation here is "Syntax errors in policy.". */
function readStructure(json: JsonObject, rules: KindRules): { version: PolicyVersion; id?: string; drafts: DraftStatement[] } {
  for (const key of json.keys()) if (!DOCUMENT_ELEMENTS.has(key)) violate(Msg.syntax);
  const version = readVersion(json.get('Version'), rules);
  const id = json.get('Id');
  if (id !== undefined && typeof id !== 'string') violate(Msg.syntax);
  const raw = json.get('Statement');
  const list = isJsonObject(raw) ? [raw] : Array.isArray(raw) && raw.length > 0 ? raw : violate(Msg.syntax);
  const drafts = list.map(readDraft);
  return id === undefined ? { version, drafts } : { version, id: id as string, drafts };
}

function readVersion(value: JsonValue | undefined, rules: KindRules): PolicyVersion {
  if (value === undefined) {
    if (rules.version2012Required) violate(Msg.missingField('Version'));
    return '2008-10-17';
  }
  if (value !== '2012-10-17' && value !== '2008-10-17') return violate(Msg.syntax);
  if (rules.version2012Required && value !== '2012-10-17') violate('An RCP must use "Version": "2012-10-17".');
  return value;
}

function readDraft(value: JsonValue, index: number): DraftStatement {
  if (!isJsonObject(value)) return violate(Msg.syntax);
  for (const key of value.keys()) if (!STATEMENT_ELEMENTS.has(key)) violate(Msg.syntax);
  const sid = value.get('Sid');
  if (sid !== undefined && typeof sid !== 'string') violate(Msg.syntax);
  const effect = value.get('Effect');
  if (typeof effect !== 'string' || !EFFECTS.has(effect.toLowerCase())) return violate(Msg.syntax);
  const draft: DraftStatement = { index, effect, condition: [] };
  if (sid !== undefined) draft.sid = sid as string;
  const principal = oneOf(value, 'Principal', 'NotPrincipal');
  if (principal) draft.principal = principal;
  const actions = oneOf(value, 'Action', 'NotAction');
  if (actions) draft.actions = [actions[0], readStringList(actions[1])];
  const resources = oneOf(value, 'Resource', 'NotResource');
  if (resources) draft.resources = [resources[0], readStringList(resources[1])];
  const condition = value.get('Condition');
  if (condition !== undefined) draft.condition = readCondition(condition);
  return draft;
}

const EFFECTS = new Set(['allow', 'deny']);

/** Reads `a` or `b`; both at once is a structural error. */
function oneOf<A extends string, B extends string>(s: JsonObject, a: A, b: B): [A | B, JsonValue] | undefined {
  const va = s.get(a);
  const vb = s.get(b);
  if (va !== undefined && vb !== undefined) violate(Msg.syntax);
  if (va !== undefined) return [a, va];
  if (vb !== undefined) return [b, vb];
  return undefined;
}

/** The legacy parser's round: an Effect of the wrong case, an unreadable date, a broken ARN. */
function checkLegacy(d: DraftStatement, rules: KindRules, partition: string | undefined): void {
  if (d.effect !== 'Allow' && d.effect !== 'Deny') violate(Msg.legacyParsing);
  for (const entry of d.condition) if (failsLegacyCondition(entry)) violate(Msg.legacyParsing);
  if (d.resources && !rules.resourceForbidden) for (const r of d.resources[1]) if (failsLegacyResource(r, partition)) violate(Msg.legacyParsing);
}

function checkSidsUnique(drafts: readonly DraftStatement[]): void {
  const seen = new Set<string>();
  for (const d of drafts) {
    // Tools such as Terraform write "Sid": "" on every statement; AWS accepts that.
    if (!d.sid) continue;
    if (seen.has(d.sid)) violate(Msg.sidNotUnique);
    seen.add(d.sid);
  }
}

/** The last round, statement by statement: principals, actions, resources, then their formats. */
function readStatement(d: DraftStatement, rules: KindRules, options: ParsePolicyOptions): Statement {
  if (d.sid !== undefined) checkSid(d.sid, rules.sidAlphanumeric);
  const effect = d.effect as Effect;
  if (rules.denyOnly && effect === 'Allow' && !options.awsManaged) {
    violate('An RCP supports "Effect": "Allow" only in RCPFullAWSAccess.');
  }
  const statement: Statement = { index: d.index, effect, condition: d.condition };
  if (d.sid !== undefined) statement.sid = d.sid;
  readPrincipals(d, rules, statement);
  if (!d.actions || d.actions[1].length === 0) violate(Msg.noActions);
  readResources(d, rules, statement, options.partition);
  readActions(d.actions, rules, statement);
  return statement;
}

function readPrincipals(d: DraftStatement, rules: KindRules, out: Statement): void {
  const found = d.principal;
  if (rules.principal === 'forbidden') {
    if (found) violate(Msg.principalForbidden);
    return;
  }
  const trust = rules.trustActionsOnly;
  if (!found) return violate(trust ? Msg.trustPrincipalMissing : Msg.principalMissing);
  const [element, raw] = found;
  if (element === 'NotPrincipal') {
    // "You cannot use the NotPrincipal element in an IAM role trust policy"; SCPs and RCPs neither.
    if (trust || rules.principal === 'star') violate(Msg.prohibitedField('NotPrincipal'));
    if (out.effect === 'Allow') violate(Msg.notPrincipalWithAllow);
    out.notPrincipal = readPrincipal(raw);
    return;
  }
  const block: PrincipalBlock = readPrincipal(raw);
  if (trust && block === '*') violate(Msg.trustStarPrincipal);
  if (rules.principal === 'star' && block !== '*') violate('The Principal element of an RCP must be "*".');
  out.principal = block;
}

function readResources(d: DraftStatement, rules: KindRules, out: Statement, partition: string | undefined): void {
  if (rules.resourceForbidden) {
    if (d.resources) violate(Msg.prohibitedField(d.resources[0]));
    return;
  }
  if (!d.resources || d.resources[1].length === 0) return violate(Msg.noResources);
  const [element, resources] = d.resources;
  // A resource's format is checked before an action's (AWS's order).
  for (const r of resources) checkResource(r, partition);
  if (element === 'NotResource') out.notResource = resources;
  else out.resource = resources;
}

function readActions([element, actions]: [string, string[]], rules: KindRules, out: Statement): void {
  for (const a of actions) checkAction(a);
  if (element === 'NotAction') {
    if (!rules.notActionAllowed) violate(Msg.prohibitedField('NotAction'));
    out.notAction = actions;
    return;
  }
  if (rules.trustActionsOnly) for (const a of actions) if (!isTrustAction(a)) violate(Msg.trustActions);
  out.action = actions;
}

// Parses a policy document exactly as the user sent it and validates it against the policy grammar
// and the rules of its kind (identity, trust, SCP, …). Returns the normalised AST or throws
// MalformedPolicyDocumentError with AWS's message; a policy over its size quota throws
// PolicySizeExceededError (AWS answers LimitExceeded there, not MalformedPolicyDocument).
// Runs on every policy write, never on the request path.

import { MalformedPolicyDocumentError } from './errors.ts';
import type { Effect, PolicyDocument, PolicyKind, PolicyVersion, PrincipalBlock, Statement } from './types.ts';
import {
  PolicyRuleViolation,
  checkAction,
  checkResource,
  isTrustAction,
  readCondition,
  readPrincipal,
  readSid,
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

function readDocument(json: JsonValue, rules: KindRules, options: ParsePolicyOptions): PolicyDocument {
  if (!isJsonObject(json)) return violate(Msg.syntax);
  for (const key of json.keys()) if (!DOCUMENT_ELEMENTS.has(key)) violate(Msg.syntax);

  const version = readVersion(json.get('Version'), rules);
  const id = json.get('Id');
  if (id !== undefined && typeof id !== 'string') violate(Msg.syntax);

  const raw = json.get('Statement');
  if (raw === undefined) violate(Msg.missingField('Statement'));
  const list = isJsonObject(raw) ? [raw] : Array.isArray(raw) ? raw : violate(Msg.syntax);
  if (list.length === 0) violate(Msg.emptyStatement);

  const statements = list.map((s, index) => readStatement(s, index, rules, options));
  if (rules.sidUnique) checkSidsUnique(statements);
  return id === undefined ? { version, statements } : { version, id: id as string, statements };
}

function readVersion(value: JsonValue | undefined, rules: KindRules): PolicyVersion {
  if (value === undefined) {
    if (rules.version2012Required) violate(Msg.missingField('Version'));
    return '2008-10-17';
  }
  if (typeof value !== 'string') return violate(Msg.syntax);
  if (value !== '2012-10-17' && value !== '2008-10-17') return violate(Msg.legacyParsing);
  if (rules.version2012Required && value !== '2012-10-17') violate('An RCP must use "Version": "2012-10-17".');
  return value;
}

function checkSidsUnique(statements: readonly Statement[]): void {
  const seen = new Set<string>();
  for (const s of statements) {
    // Tools such as Terraform write "Sid": "" on every statement; AWS accepts that.
    if (!s.sid) continue;
    if (seen.has(s.sid)) violate(Msg.sidNotUnique);
    seen.add(s.sid);
  }
}

function readStatement(value: JsonValue, index: number, rules: KindRules, options: ParsePolicyOptions): Statement {
  if (!isJsonObject(value)) return violate(Msg.syntax);
  for (const key of value.keys()) if (!STATEMENT_ELEMENTS.has(key)) violate(Msg.syntax);

  const sidValue = value.get('Sid');
  const sid = sidValue === undefined ? undefined : readSid(sidValue, rules.sidAlphanumeric);
  const effect = readEffect(value.get('Effect'));
  if (rules.denyOnly && effect === 'Allow' && !options.awsManaged) {
    violate('An RCP supports "Effect": "Allow" only in RCPFullAWSAccess.');
  }

  const statement: Statement = { index, effect, condition: [] };
  if (sid !== undefined) statement.sid = sid;
  readPrincipals(value, rules, statement);
  readActions(value, rules, statement);
  readResources(value, rules, statement);
  const condition = value.get('Condition');
  if (condition !== undefined) statement.condition = readCondition(condition);
  return statement;
}

function readEffect(value: JsonValue | undefined): Effect {
  if (value === undefined) return violate(Msg.missingField('Effect'));
  if (typeof value !== 'string') return violate(Msg.syntax);
  if (value !== 'Allow' && value !== 'Deny') return violate(Msg.legacyParsing);
  return value;
}

/** Reads `a` or `b`, never both; undefined when neither is present. */
function oneOf(s: JsonObject, a: string, b: string): [string, JsonValue] | undefined {
  const va = s.get(a);
  const vb = s.get(b);
  if (va !== undefined && vb !== undefined) violate(Msg.bothElements(a, b));
  if (va !== undefined) return [a, va];
  if (vb !== undefined) return [b, vb];
  return undefined;
}

function readPrincipals(s: JsonObject, rules: KindRules, out: Statement): void {
  const found = oneOf(s, 'Principal', 'NotPrincipal');
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

function readActions(s: JsonObject, rules: KindRules, out: Statement): void {
  const found = oneOf(s, 'Action', 'NotAction');
  if (!found) return violate(Msg.noActions);
  const [element, raw] = found;
  const actions = readStringList(raw);
  if (actions.length === 0) violate(Msg.noActions);
  for (const a of actions) checkAction(a);
  if (element === 'NotAction') {
    if (!rules.notActionAllowed) violate(Msg.prohibitedField('NotAction'));
    out.notAction = actions;
    return;
  }
  if (rules.trustActionsOnly) for (const a of actions) if (!isTrustAction(a)) violate(Msg.trustActions);
  out.action = actions;
}

function readResources(s: JsonObject, rules: KindRules, out: Statement): void {
  if (rules.resourceForbidden) {
    if (s.has('Resource')) violate(Msg.prohibitedField('Resource'));
    if (s.has('NotResource')) violate(Msg.prohibitedField('NotResource'));
    return;
  }
  const found = oneOf(s, 'Resource', 'NotResource');
  if (!found) return violate(Msg.noResources);
  const [element, raw] = found;
  const resources = readStringList(raw);
  if (resources.length === 0) violate(Msg.noResources);
  for (const r of resources) checkResource(r);
  if (element === 'NotResource') out.notResource = resources;
  else out.resource = resources;
}
